// SPDX-License-Identifier: AGPL-3.0-or-later
// Enforces the import rule of DEVELOPERS.md: dependencies point inward
// (cli, server, plugin → app → ports ← adapters; everyone may use domain; domain does no I/O).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
    let out: string[] = [];
    let entries: string[];
    try {
        entries = readdirSync(join(root, dir));
    } catch {
        return [];
    }
    for (const name of entries) {
        const rel = join(dir, name);
        if (statSync(join(root, rel)).isDirectory()) out = out.concat(files(rel));
        else if (name.endsWith('.ts')) out.push(rel);
    }
    return out;
}

/** Import specifiers of a file, resolved to repo-relative paths (npm and node: kept as is). */
function importsOf(file: string, text: string): string[] {
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]/g)]
        .concat([...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)])
        .concat([...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)])
        .map((m) => m[1] as string);
    return specs.map((s) => (s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s));
}

/** Which layer a source file belongs to. */
function layer(path: string): string {
    if (path.startsWith('src/domain/')) return 'domain';
    if (path.startsWith('src/contract/')) return 'contract';
    if (path === 'src/ports.ts') return 'ports';
    if (path.startsWith('src/app/')) return 'app';
    if (path.startsWith('src/adapters/')) return `adapters/${path.split('/')[2]}`;
    if (path.startsWith('src/config/')) return 'config';
    if (path.startsWith('src/server/')) return 'server';
    if (path.startsWith('src/cli/')) return 'cli';
    if (path === 'src/compose.ts' || /^src\/compose-[a-z-]+\.ts$/.test(path)) return 'compose';
    if (path === 'src/main.ts') return 'main';
    if (path.startsWith('plugin/')) return 'plugin';
    return 'other';
}

/** Returns why `from` may not import `to`, or null when allowed. */
function violation(from: string, to: string): string | null {
    const a = layer(from);
    const external = !to.startsWith('src/') && !to.startsWith('plugin/') && !to.startsWith('test/');
    if (to.startsWith('test/')) return 'nothing in src/ or plugin/ may import tests';
    if (a === 'domain') {
        if (external) return 'domain must not import node:* or npm packages (no I/O)';
        return layer(to) === 'domain' ? null : 'domain may import only domain';
    }
    if (a === 'contract') return external || !['domain', 'contract'].includes(layer(to)) ? 'contract may import only domain' : null;
    if (a === 'ports') return external || !['domain', 'ports'].includes(layer(to)) ? 'ports may import only domain' : null;
    if (a === 'app') {
        if (external) return 'app must not do I/O itself (no node:*, npm): use a port';
        return ['domain', 'ports', 'app', 'contract', 'config'].includes(layer(to)) ? null : `app must not import ${layer(to)}`;
    }
    if (a.startsWith('adapters/')) {
        if (external) return null;
        const b = layer(to);
        if (b === a || b === 'domain' || b === 'ports' || b === 'config' || b === 'contract') return null;
        return `${a} must not import ${b}`;
    }
    if (a === 'config') return external || ['domain', 'config'].includes(layer(to)) ? null : `config must not import ${layer(to)}`;
    if (a === 'server') {
        if (external) return null;
        return ['app', 'contract', 'ports', 'domain', 'server', 'config'].includes(layer(to)) ? null : `server must not import ${layer(to)}`;
    }
    if (a === 'cli') {
        if (external) return null;
        return layer(to).startsWith('adapters/') ? 'cli must reach adapters only through compose.ts' : null;
    }
    if (a === 'plugin') {
        if (external) return 'plugin must not import node:* or npm packages at runtime';
        return ['plugin', 'domain', 'contract'].includes(layer(to)) ? null : `plugin must not import ${layer(to)}`;
    }
    return null;
}

describe('architecture: dependencies point inward', () => {
    const sources = [...files('src'), ...files('plugin')];

    it('finds the sources', () => {
        expect(sources).toContain('src/domain/model.ts');
    });

    it('no file imports across the rule', () => {
        const broken: string[] = [];
        for (const file of sources) {
            const text = readFileSync(join(root, file), 'utf8');
            for (const spec of importsOf(file, text)) {
                const why = violation(file, spec);
                if (why) broken.push(`${file} imports ${spec}: ${why}`);
            }
            if (layer(file) === 'domain' && /\bDate\.now\(|\bnew Date\(\)|\bprocess\.|\bconsole\./.test(text)) {
                broken.push(`${file}: domain must not read the clock, process or console`);
            }
        }
        expect(broken).toEqual([]);
    });

    it('only cli and main import the composition root', () => {
        const offenders = sources.filter((f) => {
            const l = layer(f);
            if (l === 'cli' || l === 'main' || l === 'compose') return false;
            return importsOf(f, readFileSync(join(root, f), 'utf8')).some((i) => layer(i) === 'compose');
        });
        expect(offenders).toEqual([]);
    });

    it('the rule itself rejects what it must', () => {
        expect(violation('src/domain/x.ts', 'node:fs')).toMatch(/domain/);
        expect(violation('src/app/x.ts', 'src/adapters/pve-api/client.ts')).toMatch(/app must not/);
        expect(violation('src/adapters/pve-api/x.ts', 'src/adapters/local/y.ts')).toMatch(/must not import/);
        expect(violation('src/server/x.ts', 'src/adapters/local/y.ts')).toMatch(/server/);
        expect(violation('src/cli/x.ts', 'src/adapters/local/y.ts')).toMatch(/compose/);
        expect(violation('plugin/x.ts', 'src/app/y.ts')).toMatch(/plugin/);
        expect(violation('src/adapters/pve-api/x.ts', 'src/ports.ts')).toBeNull();
        expect(importsOf('src/app/a.ts', "import type { X } from '../ports.ts';\n")).toEqual(['src/ports.ts']);
    });
});
