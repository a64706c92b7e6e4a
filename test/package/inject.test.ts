// SPDX-License-Identifier: AGPL-3.0-or-later
// The panel's script line in PVE's index template: inserted once after pvemanagerlib.js,
// idempotent, replaced on upgrade, removed exactly, never corrupting a template it does not know.
// Text rules first, then the file handling (mode, owner, atomic rename), then the bundled
// helper as a real process.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToFile, describeFile, removeFromFile } from '../../packaging/gui-hook.ts';
import { applyTag, inspect, removeTag, scriptTag } from '../../packaging/template-tag.ts';

const template = readFileSync(join(import.meta.dirname, 'fixtures/index.html.tpl'), 'utf8');
const ANCHOR = '    <script type="text/javascript" src="/pve2/js/pvemanagerlib.js?ver=[% version %]"></script>';

function lines(text: string): string[] {
    return text.split('\n');
}

describe('script line in the template text', () => {
    it('is inserted once, directly after the pvemanagerlib.js line, with its indentation', () => {
        const r = applyTag(template, '0.1.0');
        expect(r.outcome).toBe('changed');
        expect(r.warnings).toEqual([]);
        const out = lines(r.text);
        const at = out.indexOf(ANCHOR);
        expect(at).toBeGreaterThan(0);
        expect(out[at + 1]).toBe(
            '    <script type="text/javascript" src="/pve2/js/pve-backup-health.js?ver=0.1.0" data-pve-backup-health="0.1.0"></script>',
        );
        // Nothing else changed: removing the one new line gives the original back.
        expect([...out.slice(0, at + 1), ...out.slice(at + 2)].join('\n')).toBe(template);
        expect(inspect(r.text)).toMatchObject({ count: 1, versions: ['0.1.0'], anchors: 1 });
    });

    it('a second run changes nothing', () => {
        const once = applyTag(template, '0.1.0').text;
        const twice = applyTag(once, '0.1.0');
        expect(twice.outcome).toBe('unchanged');
        expect(twice.text).toBe(once);
    });

    it('an upgrade replaces the older version line', () => {
        const old = applyTag(template, '0.0.9').text;
        const r = applyTag(old, '0.1.0');
        expect(r.outcome).toBe('changed');
        expect(r.text).toBe(applyTag(template, '0.1.0').text);
        expect(inspect(r.text).versions).toEqual(['0.1.0']);
    });

    it('duplicates and a line moved elsewhere end up as one line after pvemanagerlib.js', () => {
        const tag = `  ${scriptTag('0.0.8')}`;
        const messy = template.replace('<head>', `<head>\n${tag}`).replace('</body>', `${tag}\n  </body>\n${tag}`);
        expect(inspect(messy).count).toBe(3);
        const r = applyTag(messy, '0.1.0');
        expect(r.text).toBe(applyTag(template, '0.1.0').text);
    });

    it('removal gives back the template byte for byte, and is a no-op without the line', () => {
        const r = removeTag(applyTag(template, '0.1.0').text);
        expect(r.outcome).toBe('changed');
        expect(r.text).toBe(template);
        expect(removeTag(template)).toEqual({ outcome: 'unchanged', text: template, warnings: [] });
    });

    it('a template without the pvemanagerlib.js line is left untouched, with a warning', () => {
        const foreign = template.replace(`${ANCHOR}\n`, '');
        const r = applyTag(foreign, '0.1.0');
        expect(r.outcome).toBe('no-anchor');
        expect(r.text).toBe(foreign);
        expect(r.warnings.join()).toMatch(/no <script> line loading pvemanagerlib\.js/);
        // Even a stale line of ours stays: we do not rewrite a page we do not understand.
        const stale = `${foreign}${scriptTag('0.0.1')}\n`;
        expect(applyTag(stale, '0.1.0').text).toBe(stale);
    });

    it('keeps CRLF line ends', () => {
        const crlf = template.replaceAll('\n', '\r\n');
        const r = applyTag(crlf, '0.1.0');
        expect(r.text).toBe(applyTag(template, '0.1.0').text.replaceAll('\n', '\r\n'));
        expect(removeTag(r.text).text).toBe(crlf);
    });

    it('with several pvemanagerlib.js lines loads after the last one and says so', () => {
        const twice = template.replace(ANCHOR, `${ANCHOR}\n    <script src='/pve2/js/pvemanagerlib.js'></script>`);
        const r = applyTag(twice, '0.1.0');
        const out = lines(r.text);
        expect(out[out.indexOf("    <script src='/pve2/js/pvemanagerlib.js'></script>") + 1]).toContain('data-pve-backup-health="0.1.0"');
        expect(inspect(r.text).count).toBe(1);
        expect(r.warnings.join()).toMatch(/2 pvemanagerlib\.js lines/);
    });

    it('leaves a hand-edited line that mentions the marker alone, with a warning', () => {
        const edited = template.replace('<body>', `<body><!-- ${scriptTag('0.0.1')} -->`);
        const r = applyTag(edited, '0.1.0');
        expect(r.text).toContain(`<body><!-- ${scriptTag('0.0.1')} -->`);
        expect(inspect(r.text).count).toBe(1);
        expect(r.warnings.join()).toMatch(/not a plain script tag line/);
        expect(removeTag(r.text).text).toBe(edited);
    });

    it('encodes Debian version characters in the URL and rejects anything that could break the HTML', () => {
        expect(scriptTag('1:0.2.0~rc1+b1')).toContain('src="/pve2/js/pve-backup-health.js?ver=1%3A0.2.0~rc1%2Bb1" data-pve-backup-health="1:0.2.0~rc1+b1"');
        expect(() => scriptTag('0.1.0"><script>alert(1)</script>')).toThrow(/invalid package version/);
        expect(() => scriptTag('')).toThrow(/invalid package version/);
    });

    it('property: for any template, apply is idempotent, leaves one line, and removal restores the other lines', () => {
        const line = fc.oneof(
            fc.constantFrom(ANCHOR, '  </body>', '<html>', '', `\t${scriptTag('0.0.1')}`, scriptTag('9.9'), '<script src="/pve2/js/other.js"></script>'),
            fc.string({ maxLength: 40 }).filter((s) => !s.includes('\n')),
        );
        fc.assert(
            fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('0.1.0', '1:2.0~b1'), (ls, version) => {
                const text = ls.join('\n');
                const r = applyTag(text, version);
                const ours = (t: string) => lines(t).filter((l) => inspect(l).count === 1);
                const others = (t: string) => lines(t).filter((l) => inspect(l).count === 0);
                if (r.outcome === 'no-anchor') {
                    expect(r.text).toBe(text);
                    return;
                }
                expect(ours(r.text)).toHaveLength(1);
                expect(others(r.text)).toEqual(others(text));
                expect(applyTag(r.text, version).outcome).toBe('unchanged');
                expect(removeTag(r.text).text).toBe(others(text).join('\n'));
            }),
            { numRuns: 500 },
        );
    });
});

describe('script line in a template file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbh-inject-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function fresh(name: string, mode = 0o644): string {
        const path = join(dir, name);
        writeFileSync(path, template, { mode });
        return path;
    }

    it('is written by atomic rename, keeping mode and owner, without leftovers', () => {
        const path = fresh('owned.tpl', 0o640);
        const isRoot = process.getuid?.() === 0;
        if (isRoot) chownSync(path, 1234, 5678);
        const before = statSync(path);
        expect(applyToFile(path, '0.1.0')).toEqual({ outcome: 'applied', messages: [] });
        const after = statSync(path);
        expect(after.ino).not.toBe(before.ino);
        expect(after.mode & 0o7777).toBe(0o640);
        if (isRoot) expect([after.uid, after.gid]).toEqual([1234, 5678]);
        expect(readFileSync(path, 'utf8')).toBe(applyTag(template, '0.1.0').text);
        expect(readdirSync(dir).filter((n) => n.includes('pbh-tmp'))).toEqual([]);
    });

    it('is not rewritten when already right, and is removed again', () => {
        const path = fresh('again.tpl');
        applyToFile(path, '0.1.0');
        const ino = statSync(path).ino;
        expect(applyToFile(path, '0.1.0').outcome).toBe('unchanged');
        expect(statSync(path).ino).toBe(ino);
        expect(describeFile(path, '0.1.0')).toEqual({ ok: true, text: `panel 0.1.0 loaded by ${path}` });
        expect(describeFile(path, '0.2.0').ok).toBe(false);
        expect(removeFromFile(path).outcome).toBe('removed');
        expect(readFileSync(path, 'utf8')).toBe(template);
        expect(removeFromFile(path).outcome).toBe('unchanged');
        expect(describeFile(path, '0.1.0').text).toMatch(/panel not loaded/);
    });

    it('follows a symlink and keeps it', () => {
        const real = fresh('real.tpl');
        const link = join(dir, 'link.tpl');
        symlinkSync(real, link);
        applyToFile(link, '0.1.0');
        expect(statSync(link).isFile()).toBe(true);
        expect(readFileSync(real, 'utf8')).toContain('data-pve-backup-health="0.1.0"');
        expect(readFileSync(link, 'utf8')).toBe(readFileSync(real, 'utf8'));
        expect(readdirSync(dir).filter((n) => n.includes('pbh-tmp'))).toEqual([]);
    });

    it('reports a missing template and one it does not know, touching neither', () => {
        expect(applyToFile(join(dir, 'absent.tpl'), '0.1.0').outcome).toBe('missing');
        expect(existsSync(join(dir, 'absent.tpl'))).toBe(false);
        const path = join(dir, 'foreign.tpl');
        writeFileSync(path, '<html><body>new GUI</body></html>\n');
        const ino = statSync(path).ino;
        const r = applyToFile(path, '0.1.0');
        expect(r.outcome).toBe('no-anchor');
        expect(r.messages.join()).toMatch(/foreign\.tpl: no <script> line loading pvemanagerlib\.js/);
        expect(statSync(path).ino).toBe(ino);
    });
});

describe('the bundled helper (real process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbh-helper-'));
    const helper = join(dir, 'setup.js');
    beforeAll(async () => {
        // Bundled exactly as the Makefile does it, CommonJS for the system node.
        await build({
            entryPoints: [join(import.meta.dirname, '../../packaging/setup.ts')],
            bundle: true,
            platform: 'node',
            target: 'node18',
            format: 'cjs',
            outfile: helper,
            define: { __PBH_VERSION__: '"0.1.0"' },
            logLevel: 'warning',
        });
        writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (...args: string[]) => spawnSync(process.execPath, [helper, ...args], { encoding: 'utf8' });

    it('applies, reports and removes the line; exit codes as documented', () => {
        const tpl = join(dir, 'index.html.tpl');
        writeFileSync(tpl, template);
        expect(run('gui-status', '--template', tpl).status).toBe(1);
        const a = run('gui-apply', '--template', tpl);
        expect(a.status).toBe(0);
        expect(a.stdout).toBe(`pve-backup-health: GUI panel 0.1.0 added to ${tpl}\n`);
        expect(run('gui-apply', '--template', tpl).stdout).toBe('');
        expect(inspect(readFileSync(tpl, 'utf8')).count).toBe(1);
        expect(run('gui-status', '--template', tpl).status).toBe(0);
        expect(run('gui-remove', '--template', tpl).status).toBe(0);
        expect(readFileSync(tpl, 'utf8')).toBe(template);
    });

    it('never fails on an odd template, and rejects bad usage with 2', () => {
        const missing = run('gui-apply', '--template', join(dir, 'nope', 'index.html.tpl'));
        expect(missing.status).toBe(0);
        expect(missing.stderr).toMatch(/does not exist.*GUI panel not added/s);
        expect(run('gui-remove', '--template', join(dir, 'nope.tpl')).status).toBe(0);
        expect(run('frobnicate').status).toBe(2);
        expect(run('gui-apply', '--bogus').status).toBe(2);
    });

    // Root writes anywhere, so this runs only as a normal user.
    it.skipIf(process.getuid?.() === 0)('fails (exit 1, message) when the template cannot be written, leaving it intact', () => {
        const ro = join(dir, 'ro');
        mkdirSync(ro);
        writeFileSync(join(ro, 'index.html.tpl'), template);
        chmodSync(ro, 0o555);
        const r = run('gui-apply', '--template', join(ro, 'index.html.tpl'));
        chmodSync(ro, 0o755);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/gui-apply: EACCES/);
        expect(readFileSync(join(ro, 'index.html.tpl'), 'utf8')).toBe(template);
    });
});
