// SPDX-License-Identifier: AGPL-3.0-or-later
// The shipped bundle is one file that runs on Node >= 18 without node_modules: run the built
// dist/ file from an empty directory, with the test runner's Node and (when scripts/node18.sh
// has unpacked it) Debian bookworm's own Node 18.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'dist/pve-backup-health.js');
const node18 = join(root, '.cache/node18/node');

const nodes = [process.execPath, ...(existsSync(node18) ? [node18] : [])];

describe.skipIf(!existsSync(bundle))('bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbh-bundle-'));
    copyFileSync(bundle, join(dir, 'pve-backup-health.js'));
    copyFileSync(join(root, 'demo/demo-cluster.json'), join(dir, 'demo.json'));

    for (const node of nodes) {
        const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
        it(`runs on ${version} from a directory without node_modules`, () => {
            const v = spawnSync(node, ['pve-backup-health.js', '--version'], { cwd: dir, encoding: 'utf8' });
            expect(v.status).toBe(0);
            expect(v.stdout).toMatch(/^pve-backup-health \S+/);
            const c = spawnSync(node, ['pve-backup-health.js', 'check', '--snapshot', 'demo.json', '--now', '2026-11-21T09:00:00Z', '--json'], { cwd: dir, encoding: 'utf8' });
            expect(c.stderr).toBe('');
            expect(c.status).toBe(2);
            expect(JSON.parse(c.stdout).status).toBe('critical');
            const s = spawnSync(node, ['pve-backup-health.js', 'schedule', 'sat 02:00', '--from', '2026-11-21T09:00:00Z', '--count', '2'], { cwd: dir, encoding: 'utf8' });
            expect(s.stdout).toBe('2026-11-28T02:00:00Z\n2026-12-05T02:00:00Z\n');
        });
    }

    it('Debian Node 18 was available to prove the floor', () => {
        // CI unpacks it (scripts/node18.sh); locally this only reports.
        if (process.env.CI) expect(existsSync(node18)).toBe(true);
    });
});
