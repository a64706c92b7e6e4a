// SPDX-License-Identifier: AGPL-3.0-or-later
// `check --api-url` when nodes go away: a node down at schedule time and back later (missed), and
// a node offline right now (its guests unknown, never ok).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { type SimCertificates, generateCertificates } from '../simulator/cert.ts';
import { DEMO_START } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import type { ScenarioSpec } from '../simulator/spec.ts';
import { computeTruth } from '../simulator/truth.ts';
import { checkInProcess, compareWithTruth, tempRoot } from './harness.ts';

const H = 3600;
/** pve2 goes down at 00:30 UTC (01:30 Berlin), misses the 02:00 run, and is back at 05:00 UTC. */
const OUTAGE = { from: DEMO_START - 8.5 * H, to: DEMO_START - 4 * H };

/** Three quiet nodes (no random failures): every problem here comes from the node states. */
function quietCluster(): ScenarioSpec {
    return {
        seed: 11,
        cluster: 'nodes',
        start: DEMO_START,
        historyDays: 10,
        nodes: [
            { name: 'pve1', timeZone: 'Europe/Berlin' },
            { name: 'pve2', timeZone: 'Europe/Berlin', outages: [OUTAGE] },
            { name: 'pve3', timeZone: 'America/New_York' },
        ],
        guests: [
            { vmid: 100, type: 'qemu', name: 'web01', node: 'pve1' },
            { vmid: 101, type: 'lxc', name: 'dns01', node: 'pve1' },
            { vmid: 200, type: 'qemu', name: 'app01', node: 'pve2' },
            { vmid: 201, type: 'lxc', name: 'cache01', node: 'pve2' },
            { vmid: 300, type: 'qemu', name: 'files01', node: 'pve3' },
        ],
        storages: [{ id: 'nfs-backup', type: 'nfs', totalGiB: 4000, usedGiB: 1000 }],
        jobs: [{ id: 'nightly', schedule: '02:00', storage: 'nfs-backup', all: true }],
        rates: {},
    };
}

let certs: SimCertificates;
let sim: Simulator;
const root = tempRoot();

beforeAll(async () => {
    certs = generateCertificates();
    sim = await startSimulator(quietCluster(), { certs });
});
afterAll(async () => {
    await sim.stop();
    root.remove();
});

const status = (r: HealthReport, vmid: number) => r.guests.find((g) => g.vmid === vmid)?.status;

describe('check --api-url with nodes down', () => {
    it('a node down right now: its guests are unknown, the check is unknown (exit 3)', async () => {
        sim.clock.set(OUTAGE.from + 3 * H);
        const run = await checkInProcess(sim, root.dir);
        const r = run.report as HealthReport;
        expect(run.code).toBe(3);
        expect(r.status).toBe('unknown');
        expect(status(r, 200)).toBe('unknown');
        expect(status(r, 201)).toBe('unknown');
        for (const vmid of [100, 101, 300]) expect(status(r, vmid)).toBe('ok');
        expect(r.problems.find((p) => p.code === 'source-unreachable' && p.node === 'pve2')?.severity).toBe('unknown');
        expect(r.problems.some((p) => p.code === 'backup-missed')).toBe(false);
        expect(compareWithTruth(r, computeTruth(sim.world, sim.clock.now(), new Set(), { historyFrom: sim.clock.now() - 35 * 86400 }))).toEqual([]);
    });

    it('the node back, the run it slept through is missed (critical)', async () => {
        sim.clock.set(DEMO_START);
        const run = await checkInProcess(sim, root.dir);
        const r = run.report as HealthReport;
        expect(run.code).toBe(2);
        for (const vmid of [200, 201]) {
            const p = r.problems.find((x) => x.code === 'backup-missed' && x.vmid === vmid);
            expect(p).toMatchObject({ severity: 'critical', job: 'nightly', node: 'pve2' });
            expect(p?.message).toMatch(/due 2026-11-21 02:00 on pve2 did not start/);
        }
        for (const vmid of [100, 101, 300]) expect(status(r, vmid)).toBe('ok');
        expect(compareWithTruth(r, computeTruth(sim.world, DEMO_START, new Set(), { historyFrom: DEMO_START - 35 * 86400 }))).toEqual([]);
    });

    it('a node the cluster reports offline now: unknown, not ok (exit 3)', async () => {
        sim.clock.set(DEMO_START - 5 * 86400);
        sim.setNodeOffline('pve3', true);
        try {
            const run = await checkInProcess(sim, root.dir);
            const r = run.report as HealthReport;
            expect(run.code).toBe(3);
            expect(status(r, 300)).toBe('unknown');
            expect(r.guests.find((g) => g.vmid === 300)?.problems).toContain('source-unreachable');
            expect(status(r, 100)).toBe('ok');
            const truth = computeTruth(sim.world, sim.clock.now(), new Set(['pve3']), { historyFrom: sim.clock.now() - 35 * 86400 });
            expect(truth.unknown).toEqual([300]);
            expect(compareWithTruth(r, truth)).toEqual([]);
        } finally {
            sim.setNodeOffline('pve3', false);
        }
    });

    it('a node that answers 595 through the API node is unreachable too: unknown, not ok', async () => {
        sim.clock.set(DEMO_START - 5 * 86400);
        // 595 is not retried: the first request to the node fails, the rest of the node is skipped.
        sim.faults.failNext(/^\/nodes\/pve3\//, 1, 595, 'No route to host');
        const mark = sim.requestLog.length;
        const run = await checkInProcess(sim, root.dir);
        const r = run.report as HealthReport;
        expect(run.code).toBe(3);
        expect(status(r, 300)).toBe('unknown');
        expect(r.problems.find((p) => p.node === 'pve3' && p.code === 'source-unreachable')?.message).toMatch(/595|No route/);
        expect(sim.requestLog.slice(mark).filter((x) => x.path.startsWith('/nodes/pve3/')).map((x) => x.status)).toEqual([595]);
    });
});
