// SPDX-License-Identifier: AGPL-3.0-or-later
// The shipped plugin bundle: within its 100 KB budget, and on a page where things are not as
// expected (no ExtJS, an ExtJS that throws) it logs one warning and never throws into the page.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin } from './harness.ts';

let code = '';
beforeAll(async () => {
    code = readFileSync(await buildPlugin(), 'utf8');
});

function run(globals: Record<string, unknown>): { warnings: unknown[][]; window: Record<string, unknown> } {
    const warnings: unknown[][] = [];
    const window: Record<string, unknown> = { location: { protocol: 'https:', hostname: 'pve1' }, document: { cookie: '' }, ...globals };
    const context = { window, console: { warn: (...a: unknown[]) => warnings.push(a), log: () => undefined, error: () => undefined }, ...globals };
    window.window = window;
    runInNewContext(code, context);
    return { warnings, window };
}

describe('plugin bundle', () => {
    it('stays within 100 KB minified', () => {
        expect(Buffer.byteLength(code)).toBeLessThanOrEqual(100 * 1024);
    });

    it('does nothing but warn once when ExtJS is missing', () => {
        const { warnings, window } = run({});
        expect(warnings).toHaveLength(1);
        expect(String(warnings[0]?.[0])).toMatch(/^pve-backup-health: ExtJS is not loaded/);
        expect((window.PVEBackupHealth as { installed: string[] }).installed).toEqual([]);
    });

    it('never throws into the page when ExtJS itself fails', () => {
        const Ext = { define: () => { throw new Error('broken Ext'); }, util: { CSS: { createStyleSheet: () => undefined } }, String: { htmlEncode: (s: string) => s } };
        const { warnings } = run({ Ext });
        expect(warnings).toHaveLength(1);
        expect(String(warnings[0]?.[0])).toContain('could not start; the PVE GUI is not affected');
    });
});
