// SPDX-License-Identifier: AGPL-3.0-or-later
// `check --remotes <settings>`: several clusters in one report. Two simulated clusters with the
// same VMIDs and node names over real HTTPS; each judged on its own, every guest and problem
// naming its remote, a remote without its token secret reported unknown instead of hiding others.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN } from '../simulator/spec.ts';
import { demoScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { checkInProcess, tempRoot } from './harness.ts';

let main: Simulator;
let other: Simulator;
const root = tempRoot('pbh-multi-');
let settingsFile: string;

beforeAll(async () => {
    main = await startSimulator(demoScenario());
    // The same guests and node names, nothing planted: a cluster where all is well.
    other = await startSimulator(demoScenario({ cluster: 'dc2', rates: {}, plant: [] }));
    settingsFile = join(root.dir, 'settings.json');
    writeFileSync(
        settingsFile,
        JSON.stringify({
            version: 1,
            remotes: [
                { name: 'dc2', url: other.url, tokenId: DEFAULT_TOKEN.id, fingerprint: other.fingerprint },
                { name: 'dc3', url: 'https://127.0.0.1:9', tokenId: DEFAULT_TOKEN.id, insecure: true },
            ],
        }),
    );
    writeFileSync(join(root.dir, 'settings.secrets.json'), JSON.stringify({ version: 1, remotes: { dc2: { tokenSecret: DEFAULT_TOKEN.secret } } }), { mode: 0o600 });
});
afterAll(async () => {
    await Promise.all([main.stop(), other.stop()]);
    root.remove();
});

describe('check --remotes', () => {
    it('joins this cluster and every remote into one report, each guest and problem naming its remote', async () => {
        const alone = await checkInProcess(main, root.dir);
        const run = await checkInProcess(main, root.dir, ['--remotes', settingsFile]);
        const r = run.report;
        expect(r, run.err).toBeDefined();
        if (!r || !alone.report) return;
        const local = r.guests.filter((g) => g.remote === undefined);
        const dc2 = r.guests.filter((g) => g.remote === 'dc2');
        expect(local.map((g) => g.vmid).sort()).toEqual(alone.report.guests.map((g) => g.vmid).sort());
        expect(dc2.map((g) => g.vmid).sort()).toEqual(local.map((g) => g.vmid).sort());
        // This cluster's verdicts are unchanged by the remotes; dc2 has nothing planted.
        expect(r.problems.filter((p) => p.remote === undefined).map((p) => `${p.code}:${p.vmid}`).sort()).toEqual(alone.report.problems.map((p) => `${p.code}:${p.vmid}`).sort());
        expect(dc2.filter((g) => g.status === 'critical')).toEqual([]);
        expect(r.counts.guests).toBe(local.length + dc2.length);
        expect(r.jobs.some((j) => j.remote === 'dc2')).toBe(true);
        expect(r.nodes.filter((n) => n.remote === 'dc2').map((n) => n.name).sort()).toEqual(r.nodes.filter((n) => n.remote === undefined).map((n) => n.name).sort());
        // A remote without its secret: unknown, naming where the secret belongs, never a guess.
        const dc3 = r.problems.filter((p) => p.remote === 'dc3');
        expect(dc3).toHaveLength(1);
        expect(dc3[0]).toMatchObject({ code: 'source-unreachable', severity: 'unknown' });
        expect(dc3[0]?.message).toContain('remotes.dc3.tokenSecret');
        expect(r.status).toBe(alone.report.status);
        expect(run.code).toBe(alone.code);
        expect(JSON.stringify(r)).not.toContain(DEFAULT_TOKEN.secret);
    });

    it('checks only the remotes when there is no other data source, and says which is which in text', async () => {
        const empty = tempRoot('pbh-multi-empty-');
        try {
            const { cli } = await import('../cli/run.ts');
            const text = await cli(['check', '--remotes', settingsFile, '--host-root', empty.dir, '--now', new Date(other.clock.now() * 1000).toISOString()], other.clock.now());
            expect(text.err).toBe('');
            expect(text.out).toMatch(/\[dc3\] source-unreachable: /);
            expect(text.out).toMatch(/dc2\/pve1/);
            expect(text.out).toMatch(/ {2}dc2\/backup-7c1e2b3f-9a1d /);
            expect(text.code).toBe(3);
        } finally {
            empty.remove();
        }
    });

    it('refuses an unusable settings file with exit 3, naming it', async () => {
        const bad = join(root.dir, 'bad.json');
        writeFileSync(bad, '{"version": 1, "remotes": [{"name": "x", "url": "http://plain"}]}');
        const run = await checkInProcess(main, root.dir, ['--remotes', bad]);
        expect(run.code).toBe(3);
        expect(run.err).toContain(bad);
        const none = join(root.dir, 'none.json');
        writeFileSync(none, '{"version": 1}');
        const empty = await checkInProcess(main, root.dir, ['--remotes', none]);
        expect(empty.code).toBe(3);
        expect(empty.err).toContain('lists no remotes');
    });
});
