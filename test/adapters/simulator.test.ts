// SPDX-License-Identifier: AGPL-3.0-or-later
// The simulator itself: determinism, ground truth, time, and the schedule placement it promises.
import { describe, expect, it } from 'vitest';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import { parseVzdumpLog } from '../../src/domain/vzdump-log/parse.ts';
import { nextTimes } from '../simulator/calendar.ts';
import { generateWorld } from '../simulator/generate.ts';
import { DEMO_START, demoScenario, scaleScenario } from '../simulator/scenarios.ts';
import { startSimulator } from '../simulator/server.ts';
import { computeTruth } from '../simulator/truth.ts';
import { taskLines } from '../simulator/world.ts';

const codes = (vmid: number, certainty = 'must') =>
    computeTruth(generateWorld(demoScenario()).world, DEMO_START)
        .entries.filter((e) => e.vmid === vmid && e.certainty === certainty)
        .map((e) => e.code)
        .sort();

describe('scenario generation', () => {
    it('is deterministic for a seed and differs for another seed', () => {
        const a = generateWorld(demoScenario()).world;
        const b = generateWorld(demoScenario()).world;
        const c = generateWorld(demoScenario({ seed: 43 })).world;
        expect(b.tasks.map((t) => t.upid)).toEqual(a.tasks.map((t) => t.upid));
        expect(b.tasks.map((t) => t.lines.map((l) => l.text).join('\n'))).toEqual(a.tasks.map((t) => t.lines.map((l) => l.text).join('\n')));
        expect(c.tasks.map((t) => t.upid)).not.toEqual(a.tasks.map((t) => t.upid));
    });

    it('places runs where the calendar engine puts them, in the node’s time zone', () => {
        const w = generateWorld(demoScenario({ rates: {} })).world;
        const slots = w.slots.filter((s) => s.jobId === 'files-pbs' && s.node === 'pve3');
        expect(slots.length).toBeGreaterThan(30);
        for (const s of slots.slice(0, 5)) {
            const expected = nextTimes('22:00', s.time - 1, 'America/New_York', 1)[0];
            expect(s.time).toBe(expected);
        }
        // Runs start a few seconds after the slot; the node lock serializes jobs of one node.
        for (const t of w.tasks.filter((x) => x.slot !== undefined)) expect(t.start - (t.slot as number)).toBeGreaterThanOrEqual(1);
    });

    it('writes logs the project parser reads back to the same per-guest results', () => {
        const w = generateWorld(demoScenario()).world;
        for (const task of w.tasks.filter((t) => t.end <= DEMO_START).slice(0, 80)) {
            const log = parseVzdumpLog(task.lines.map((l) => l.text));
            expect(log.guests.map((g) => [g.vmid, g.status === 'ok' && g.warnings.length > 0 ? 'warnings' : g.status])).toEqual(
                task.results.map((r) => [r.vmid, r.outcome]),
            );
        }
    });

    it('ground truth holds one planted problem of each kind', () => {
        expect(codes(101)).toEqual(['backup-warnings']);
        expect(codes(102)).toEqual(['backup-failed']);
        expect(codes(103)).toEqual(['backup-running-long']);
        expect(codes(104)).toEqual(['not-covered']);
        expect(codes(200)).toEqual(['backup-missed']);
        expect(codes(202)).toEqual(['backup-failed']);
        expect(codes(203)).toEqual(['not-covered']);
        expect(codes(300)).toEqual(['verify-failed']);
        const truth = computeTruth(generateWorld(demoScenario()).world, DEMO_START);
        expect(truth.excluded.sort()).toEqual([204, 9000]);
        expect(truth.healthy).toContain(100);
    });

    it('reports old outages no more, and an offline node as source-unreachable', () => {
        const w = generateWorld(demoScenario()).world;
        expect(w.slots.some((s) => s.node === 'pve3' && s.missed === 'outage')).toBe(true);
        expect(computeTruth(w, DEMO_START).entries.some((e) => e.node === 'pve3' && e.code === 'backup-missed')).toBe(false);
        const offline = computeTruth(w, DEMO_START, new Set(['pve3']));
        expect(offline.entries.filter((e) => e.node === 'pve3').map((e) => e.code)).toEqual(['source-unreachable']);
    });

    it('verifies PBS snapshots in daily verify-job runs: one UPID per run, after the snapshot', () => {
        const w = generateWorld(demoScenario()).world;
        const verified = w.backups.filter((b) => b.verification);
        expect(verified.length).toBeGreaterThan(20);
        const runs = new Map<string, number>();
        for (const b of verified) {
            const v = b.verification as NonNullable<typeof b.verification>;
            expect(v.time).toBeGreaterThan(b.visibleFrom);
            expect(v.time - b.visibleFrom).toBeLessThanOrEqual(86400);
            // The PBS UPID's start time (pve-platform.md §8.1) is the run's time.
            expect(Number.parseInt(v.upid.split(':')[5] ?? '', 16)).toBe(v.time);
            expect(v.upid).toMatch(/^UPID:pbs:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:verificationjob:pbs\\x2dstore\\x3av\\x2d[0-9a-f]{8}:root@pam:$/);
            expect(runs.get(v.upid) ?? v.time).toBe(v.time);
            runs.set(v.upid, v.time);
        }
        expect(runs.size).toBeLessThan(verified.length / 2);
    });

    it('scales', () => {
        const w = generateWorld(scaleScenario({ nodes: 4, guestsPerNode: 25, historyDays: 7 })).world;
        expect(w.tasks.length).toBeGreaterThan(4 * 7);
        expect(new Set(w.backups.map((b) => b.volid)).size).toBe(w.backups.length);
    });
});

describe('simulated time', () => {
    it('shows a task while it runs, with only the lines logged so far', async () => {
        const sim = await startSimulator(demoScenario({ rates: {} }));
        try {
            const task = sim.addRun({ node: 'pve1', at: DEMO_START + 600, vmids: [100, 101], storage: 'local' });
            expect(taskLines(task, DEMO_START)).toHaveLength(0);
            sim.clock.set(task.start + 30);
            const partial = taskLines(task, sim.clock.now());
            expect(partial.length).toBeGreaterThan(0);
            expect(partial.length).toBeLessThan(task.lines.length);
            expect(partial.some((l) => l.text.startsWith('TASK'))).toBe(false);
            sim.clock.set(task.end);
            expect(taskLines(task, sim.clock.now()).at(-1)?.text).toBe('TASK OK');
        } finally {
            await sim.stop();
        }
    });

    it('delays 401 answers when asked to, like pveproxy', async () => {
        const sim = await startSimulator(demoScenario(), { authDelayMs: 150 });
        const t = createTransport({ baseUrl: sim.url, token: 'nobody@pve!bad=wrong', tls: { fingerprint: sim.fingerprint } });
        try {
            const started = Date.now();
            await expect(t.request('GET', '/cluster/status')).rejects.toThrow(/token rejected/);
            expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        } finally {
            t.close();
            await sim.stop();
        }
    });
});
