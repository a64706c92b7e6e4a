// SPDX-License-Identifier: AGPL-3.0-or-later
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.ts';

const demo = join(import.meta.dirname, '../../demo/demo-cluster.json');
const scenario = (name: string) => join(import.meta.dirname, '../scenarios', name, 'snapshot.json');
const NOW = '2026-11-21T09:00:00Z';

describe('check command', () => {
    it('prints the JSON report contract and exits with the Nagios code of the status', async () => {
        const r = await cli(['check', '--snapshot', demo, '--now', NOW, '--json']);
        const report = JSON.parse(r.out);
        expect(report.status).toBe('critical');
        expect(r.code).toBe(2);
        expect(report.checkedAt).toBe(NOW);
        expect(Array.isArray(report.guests) && Array.isArray(report.jobs)).toBe(true);
        const failed = report.problems.find((p: { code: string }) => p.code === 'backup-failed');
        expect(failed).toMatchObject({ severity: 'critical', vmid: 201, job: 'backup-7c1e2b3f-9a1d', node: 'pve2' });
        expect(failed.message).toContain('mail01 (201)');
        expect(failed.evidence.logLines.map((l: { text: string }) => l.text).join('\n')).toContain('CT is locked (snapshot)');
        for (const p of report.problems) expect(typeof p.message).toBe('string');
        for (const g of report.guests) expect(['ok', 'warning', 'critical', 'unknown']).toContain(g.status);
    });

    it('exit codes: 0 ok, 1 warning, 3 unknown', async () => {
        expect((await cli(['check', '--snapshot', scenario('01-all-ok-daily'), '--now', NOW])).code).toBe(0);
        expect((await cli(['check', '--snapshot', scenario('07-not-covered'), '--now', NOW])).code).toBe(1);
        expect((await cli(['check', '--snapshot', scenario('20-offline-node'), '--now', NOW])).code).toBe(3);
    });

    it('readable report lists problems first, guest names before VMIDs', async () => {
        const r = await cli(['check', '--snapshot', demo, '--now', NOW]);
        const problems = r.out.indexOf('Problems');
        expect(problems).toBeGreaterThan(0);
        expect(problems).toBeLessThan(r.out.indexOf('LAST GOOD BACKUP'));
        expect(r.out).toMatch(/\[CRIT\] backup-failed: mail01 \(201\)/);
        expect(r.out).toContain('log ');
    });

    it('--only-problems leaves out the tables; --debug explains expected runs and tasks', async () => {
        const only = await cli(['check', '--snapshot', demo, '--now', NOW, '--only-problems']);
        expect(only.out).not.toContain('LAST GOOD BACKUP');
        expect(only.out).toContain('Problems (');
        const debug = await cli(['check', '--snapshot', demo, '--now', NOW, '--debug']);
        expect(debug.out).toContain('Explain');
        expect(debug.out).toMatch(/pve3 backup-7c1e2b3f-9a1d: missed/);
        expect(debug.out).toMatch(/UPID:pve2:[0-9A-F]{8}:/);
    });

    it('bad input: clear message naming the thing at fault, exit 3 (unknown)', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'pbh-'));
        const broken = join(dir, 'broken.json');
        writeFileSync(broken, JSON.stringify({ version: 1, collectedAt: 'yesterday', nodes: [], guests: [{ vmid: 'x' }], jobs: [] }));
        const r = await cli(['check', '--snapshot', broken]);
        expect(r.code).toBe(3);
        expect(r.err).toContain('collectedAt');
        expect(r.err).toContain('guests[0].vmid');
        const missing = await cli(['check', '--snapshot', join(dir, 'nope.json')]);
        expect(missing.code).toBe(3);
        expect(missing.err).toContain('nope.json');
        const notJson = join(dir, 'x.json');
        writeFileSync(notJson, '{');
        expect((await cli(['check', '--snapshot', notJson])).err).toContain('not valid JSON');
        const usage = await cli(['check', '--now', 'tomorrow', '--snapshot', demo]);
        expect(usage.code).toBe(3);
        expect(usage.err).toContain('--now');
    });
});
