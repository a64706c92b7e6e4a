// SPDX-License-Identifier: AGPL-3.0-or-later
// Stale backups end to end: a job disabled for five days and re-enabled an hour ago. On a PVE node
// `check` reads the node's job state files (`updated` = the re-enable), so it does not expect the
// runs of the pause and reports the old backups as stale; the API alone cannot know about the
// pause and reports the runs as missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { generateCertificates } from '../simulator/cert.ts';
import { writeHostRoot } from '../simulator/host-root.ts';
import { DEMO_START } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import type { ScenarioSpec } from '../simulator/spec.ts';
import { computeTruth } from '../simulator/truth.ts';
import { checkInProcess, compareWithTruth, tempRoot } from './harness.ts';

const PAUSE = { from: DEMO_START - 5 * 86400, to: DEMO_START - 3600 };

const spec: ScenarioSpec = {
    seed: 3,
    cluster: 'stale',
    start: DEMO_START,
    historyDays: 14,
    nodes: [
        { name: 'pve1', timeZone: 'Europe/Berlin' },
        { name: 'pve2', timeZone: 'Europe/Berlin' },
    ],
    guests: [
        { vmid: 100, type: 'qemu', name: 'web01', node: 'pve1' },
        { vmid: 101, type: 'lxc', name: 'dns01', node: 'pve1' },
        { vmid: 200, type: 'qemu', name: 'app01', node: 'pve2' },
    ],
    storages: [{ id: 'nfs-backup', type: 'nfs', totalGiB: 4000, usedGiB: 1000, prune: 'keep-last=30' }],
    jobs: [{ id: 'nightly', schedule: '02:00', storage: 'nfs-backup', all: true, disabled: [PAUSE] }],
    rates: {},
};

let sim: Simulator;
const empty = tempRoot();
const pve1 = tempRoot('pbh-e2e-pve1-');
const window = { historyFrom: DEMO_START - 35 * 86400 };

beforeAll(async () => {
    sim = await startSimulator(spec, { certs: generateCertificates() });
    writeHostRoot(sim.world, 'pve1', pve1.dir, DEMO_START);
});
afterAll(async () => {
    await sim.stop();
    empty.remove();
    pve1.remove();
});

const problem = (r: HealthReport, vmid: number) => r.problems.filter((p) => p.vmid === vmid).map((p) => `${p.code}/${p.severity}`);

describe('stale after a paused job', () => {
    it('on pve1 (its job state files read): stale, critical; pve2 (API only): the runs of the pause are missed', async () => {
        const run = await checkInProcess(sim, pve1.dir);
        const r = run.report as HealthReport;
        expect(run.code).toBe(2);
        for (const vmid of [100, 101]) {
            expect(problem(r, vmid)).toEqual(['backup-stale/critical']);
            expect(r.problems.find((p) => p.vmid === vmid)?.message).toMatch(/newest good backup is 5d/);
        }
        expect(problem(r, 200)).toEqual(['backup-missed/critical']);
        expect(r.problems.find((p) => p.vmid === 200)?.message).toMatch(/5 scheduled runs in a row/);
        expect(compareWithTruth(r, computeTruth(sim.world, DEMO_START, new Set(), { ...window, jobStatesRead: new Set(['pve1']) }))).toEqual([]);
    });

    it('from the API alone every guest has missed runs, as the truth without job states says', async () => {
        const run = await checkInProcess(sim, empty.dir);
        const r = run.report as HealthReport;
        for (const vmid of [100, 101, 200]) expect(problem(r, vmid)).toEqual(['backup-missed/critical']);
        expect(compareWithTruth(r, computeTruth(sim.world, DEMO_START, new Set(), window))).toEqual([]);
    });
});
