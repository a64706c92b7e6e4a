// SPDX-License-Identifier: AGPL-3.0-or-later
// The collector's quiet cycle reads one `/cluster/tasks` window instead of a task list per node,
// and still reads a node's own list whenever the window shows (or cannot rule out) something new.
// Against the simulator over real HTTPS, plus the simulator's `/cluster/tasks` itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { createPveClient } from '../../src/adapters/pve-api/client.ts';
import { createApiSnapshotSource } from '../../src/adapters/pve-api/collector.ts';
import { newNodeTasks } from '../../src/adapters/pve-api/node-tasks.ts';
import { nodeListReason } from '../../src/adapters/pve-api/task-window.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import type { ApiTask } from '../../src/adapters/pve-api/types.ts';
import { type SimCertificates, generateCertificates } from '../simulator/cert.ts';
import { CLUSTER_TASKLIST_FINISHED } from '../simulator/routes-cluster.ts';
import { DEMO_START, scaleScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { tokenString } from '../simulator/spec.ts';

const HISTORY = 35 * 86400;
let certs: SimCertificates;
const running: Simulator[] = [];
const closers: Array<() => void> = [];

beforeAll(() => {
    certs = generateCertificates();
});
afterEach(() => {
    for (const c of closers.splice(0)) c();
});
afterAll(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Small clusters with a few days of quiet history; at 14:00 UTC every nightly run is over. */
const spec = (nodes: number, extra: Partial<ReturnType<typeof scaleScenario>> = {}) => ({
    ...scaleScenario({ nodes, guestsPerNode: 2, historyDays: 4, start: DEMO_START + 5 * 3600, rates: {} }),
    ...extra,
});

async function setup(nodes: number, extra: Partial<ReturnType<typeof scaleScenario>> = {}) {
    const sim = await startSimulator(spec(nodes, extra), { certs });
    running.push(sim);
    const transport = createTransport({ baseUrl: sim.url, token: sim.token, tls: { fingerprint: sim.fingerprint }, sleep: async () => {} });
    closers.push(() => transport.close());
    const source = createApiSnapshotSource({ transport, cache: createMemoryTaskLogCache() });
    const collect = () => source.collect({ now: sim.clock.now(), historyFrom: sim.clock.now() - HISTORY });
    /** Runs one cycle and returns the paths it requested. */
    const cycle = async () => {
        const mark = sim.requestLog.length;
        const snap = await collect();
        return { snap, paths: sim.requestLog.slice(mark).map((r) => r.path), requests: source.stats().lastCycle?.requests };
    };
    return { sim, source, transport, cycle };
}

const nodeLists = (paths: string[]) => paths.filter((p) => /^\/nodes\/[^/]+\/tasks$/.test(p));

describe('quiet cycles with the cluster task window', () => {
    it('costs the same number of requests for 3 and for 30 nodes, with no per-node task list', async () => {
        const costs: number[] = [];
        for (const n of [3, 30]) {
            const { sim, cycle } = await setup(n);
            const first = await cycle();
            expect(nodeLists(first.paths)).toHaveLength(n);
            sim.clock.advance(60);
            const quiet = await cycle();
            expect(quiet.requests).toBe(quiet.paths.length);
            expect(quiet.paths.filter((p) => p.startsWith('/nodes/'))).toEqual([]);
            expect(quiet.paths.filter((p) => p === '/cluster/tasks')).toHaveLength(1);
            expect(quiet.snap.tasks).toEqual(first.snap.tasks);
            costs.push(quiet.paths.length);
        }
        expect(costs[0]).toBe(costs[1]);
        expect(costs[0]).toBeLessThanOrEqual(4);
    });

    it('keeps the guest list while the window shows nothing new; re-reads it on a new task, after a failure, and every 5 minutes', async () => {
        const { sim, cycle } = await setup(3);
        const resources = (paths: string[]) => paths.filter((p) => p === '/cluster/resources').length;
        expect(resources((await cycle()).paths)).toBe(1);
        sim.clock.advance(60);
        // The first window is recorded with a fresh guest list.
        expect(resources((await cycle()).paths)).toBe(1);
        sim.clock.advance(60);
        const quiet = await cycle();
        expect(resources(quiet.paths)).toBe(0);
        expect(quiet.requests).toBe(3);
        expect(quiet.snap.guests.map((g) => g.vmid)).toHaveLength(6);
        // A guest-changing action is a task: the window changes and the list is read again.
        const at = sim.clock.now() + 10;
        sim.addRun({ node: 'pve1', at, vmids: [1000], storage: 'pbs-store' });
        sim.clock.set(at + 600);
        expect(resources((await cycle()).paths)).toBe(1);
        sim.clock.advance(60);
        expect(resources((await cycle()).paths)).toBe(0);
        // A failed read is retried in the next cycle, whatever the window says.
        const later = sim.clock.now() + 10;
        sim.addRun({ node: 'pve2', at: later, vmids: [2000], storage: 'pbs-store' });
        sim.clock.set(later + 600);
        sim.faults.failNext('/cluster/resources', 4);
        const failed = await cycle();
        expect(resources(failed.paths)).toBe(4);
        expect(failed.snap.sourceErrors.some((e) => e.what === 'GET /cluster/resources?type=vm')).toBe(true);
        expect(failed.snap.guests).toHaveLength(6);
        sim.clock.advance(60);
        expect(resources((await cycle()).paths)).toBe(1);
        // Renames, tags and pools change without a task: re-read after guestIntervalSeconds.
        sim.clock.advance(240);
        expect(resources((await cycle()).paths)).toBe(0);
        sim.clock.advance(60);
        expect(resources((await cycle()).paths)).toBe(1);
    });

    it('reads the guest list and the storages anew for a requested check, even in a quiet cycle', async () => {
        const { sim, source } = await setup(3);
        const collect = async (fresh: boolean) => {
            const mark = sim.requestLog.length;
            await source.collect({ now: sim.clock.now(), historyFrom: sim.clock.now() - HISTORY, ...(fresh ? { fresh } : {}) });
            return sim.requestLog.slice(mark).map((r) => r.path);
        };
        await collect(false);
        sim.clock.advance(60);
        await collect(false);
        sim.clock.advance(60);
        const quiet = await collect(false);
        expect(quiet.filter((p) => p === '/cluster/resources' || p.includes('/storage'))).toEqual([]);
        sim.clock.advance(60);
        const fresh = await collect(true);
        expect(fresh.filter((p) => p === '/cluster/resources')).toHaveLength(1);
        expect(fresh.filter((p) => /^\/nodes\/[^/]+\/storage$/.test(p))).toHaveLength(3);
        expect(fresh.filter((p) => p.endsWith('/content'))).not.toHaveLength(0);
    });

    it('picks up a new failed task with exactly its node list and its log on top of a quiet cycle', async () => {
        const { sim, cycle } = await setup(3);
        await cycle();
        sim.clock.advance(60);
        const quiet = await cycle();
        const at = sim.clock.now() + 30;
        const task = sim.addRun({ node: 'pve2', at, vmids: [2000], storage: 'pbs-store', outcome: 'failed' });
        sim.clock.set(at + 600);
        const next = await cycle();
        expect(next.paths.length).toBe(quiet.paths.length + 2);
        const extra = next.paths.filter((p) => p.startsWith('/nodes/'));
        expect(extra).toHaveLength(2);
        expect(extra[0]).toBe('/nodes/pve2/tasks');
        expect(decodeURIComponent(extra[1] ?? '')).toBe(`/nodes/pve2/tasks/${task.upid}/log`);
        const got = next.snap.tasks.find((t) => t.upid === task.upid);
        expect(got?.status).not.toBe('OK');
        expect([...(got?.log?.guests ?? [])][0]).toMatchObject({ vmid: 2000, status: 'failed' });
        sim.clock.advance(60);
        expect((await cycle()).paths.filter((p) => p.startsWith('/nodes/'))).toEqual([]);
    });

    it('reads the node list when more tasks ran than the window holds, losing none', async () => {
        const { sim, cycle } = await setup(3);
        await cycle();
        const count = CLUSTER_TASKLIST_FINISHED + 5;
        const added = [];
        for (let i = 0; i < count; i++) added.push(sim.addRun({ node: 'pve1', at: sim.clock.now() + 10 + i * 120, vmids: [1000 + (i % 2)], storage: 'pbs-store', outcome: i % 2 ? 'ok' : 'failed' }));
        sim.clock.advance(10 + count * 120 + 600);
        const next = await cycle();
        expect(nodeLists(next.paths)).toEqual(['/nodes/pve1/tasks']);
        const upids = new Set(next.snap.tasks.map((t) => t.upid));
        for (const t of added) expect(upids.has(t.upid)).toBe(true);
    });

    it('falls back to every node list when /cluster/tasks fails, and picks up new tasks meanwhile', async () => {
        const { sim, cycle } = await setup(3);
        await cycle();
        const task = sim.addRun({ node: 'pve3', at: sim.clock.now() + 10, vmids: [3000], storage: 'pbs-store', outcome: 'failed' });
        sim.faults.failNext('/cluster/tasks', 10, 500);
        sim.clock.advance(900 - 60);
        const next = await cycle();
        expect(next.paths).toContain('/cluster/tasks');
        expect(nodeLists(next.paths).sort()).toEqual(['/nodes/pve1/tasks', '/nodes/pve2/tasks', '/nodes/pve3/tasks']);
        expect(next.snap.tasks.some((t) => t.upid === task.upid)).toBe(true);
        expect(next.snap.sourceErrors).toEqual([]);
    });

    it('reads the node list while a task of that node is running', async () => {
        const { sim, cycle } = await setup(3);
        await cycle();
        const task = sim.addRun({ node: 'pve3', at: sim.clock.now() + 10, vmids: [3000, 3001], storage: 'pbs-store' });
        sim.clock.advance(20);
        expect((await cycle()).snap.tasks.find((t) => t.upid === task.upid)?.status).toBe('RUNNING');
        sim.clock.advance(5);
        expect(nodeLists((await cycle()).paths)).toEqual(['/nodes/pve3/tasks']);
    });
});

describe('window decisions', () => {
    const entry = (starttime: number, type = 'qmstart', upid = `UPID:pve1:${starttime}`): ApiTask => ({ upid, node: 'pve1', starttime, type, id: '100', user: 'root@pam', endtime: starttime + 5, status: 'OK' });
    const known = () => {
        const s = newNodeTasks();
        s.fetchedFrom = 1000;
        s.mark = 5000;
        s.tasks.set('UPID:old', { upid: 'UPID:old', node: 'pve1', startTime: 5000, endTime: 5100, status: 'OK', user: 'root@pam' } as never);
        return s;
    };

    it('trusts a window that reaches back to the mark', () => {
        expect(nodeListReason(known(), [entry(4000), entry(6000), entry(7000)], 1000)).toBeUndefined();
        expect(nodeListReason(known(), [entry(5000, 'vzdump', 'UPID:old'), entry(6000)], 1000)).toBeUndefined();
    });

    it('distrusts a window whose oldest entry is newer than the mark (overflowed)', () => {
        expect(nodeListReason(known(), [entry(5001), entry(9000)], 1000)).toMatch(/overflow/);
    });

    it('reads on a new vzdump task, a missing window, an empty window for a node with tasks, or a first read', () => {
        expect(nodeListReason(known(), [entry(4000), entry(6000, 'vzdump')], 1000)).toMatch(/new backup/);
        expect(nodeListReason(known(), undefined, 1000)).toMatch(/unavailable/);
        expect(nodeListReason(known(), [], 1000)).toMatch(/missing/);
        expect(nodeListReason(newNodeTasks(), [entry(4000)], 1000)).toMatch(/first/);
        expect(nodeListReason(known(), [entry(4000)], 500)).toMatch(/widened/);
    });
});

describe('simulator GET /cluster/tasks', () => {
    it('gives about 25 finished plus running tasks per node, newest first, numbers as numbers', async () => {
        const { sim, transport } = await setup(3, { historyDays: 35 });
        const run = sim.addRun({ node: 'pve2', at: sim.clock.now() - 5, vmids: [2000, 2001], storage: 'pbs-store' });
        const raw = (await transport.request('GET', '/cluster/tasks')).data as Array<Record<string, unknown>>;
        const starts = raw.map((e) => e.starttime as number);
        expect(starts).toEqual([...starts].sort((a, b) => b - a));
        for (const node of ['pve1', 'pve2', 'pve3']) {
            const finished = raw.filter((e) => e.node === node && e.endtime !== undefined);
            expect(finished).toHaveLength(CLUSTER_TASKLIST_FINISHED);
        }
        const live = raw.find((e) => e.upid === run.upid);
        expect(live).toBeDefined();
        expect(live?.status).toBeUndefined();
        expect(live?.endtime).toBeUndefined();
        const done = raw.find((e) => e.endtime !== undefined) ?? {};
        for (const k of ['starttime', 'endtime', 'pid', 'pstart']) expect(typeof done[k]).toBe('number');
        expect(done).toMatchObject({ type: 'vzdump', status: expect.any(String), upid: expect.stringMatching(/^UPID:/) });
        const mapped = await createPveClient(transport).clusterTasks();
        expect(mapped).toHaveLength(raw.length);
    });

    it('shows a token without Sys.Audit on / only its own user tasks', async () => {
        const limited = { id: 'watch@pve!ro', secret: '0badc0de-0000-4000-8000-0000000000aa', acl: [{ path: '/vms', privs: ['VM.Audit'] }] };
        const base = spec(2);
        const { sim } = await setup(2, { tokens: [...(base.tokens ?? []), { id: 'root@pam!check', secret: '0badc0de-0000-4000-8000-0000000000bb', acl: [{ path: '/', privs: ['Sys.Audit'] }] }, limited] });
        const own = sim.addRun({ node: 'pve1', at: sim.clock.now() - 600, vmids: [1000], storage: 'pbs-store', user: 'watch@pve' });
        sim.clock.advance(600);
        const t = createTransport({ baseUrl: sim.url, token: tokenString(limited), tls: { fingerprint: sim.fingerprint }, sleep: async () => {} });
        closers.push(() => t.close());
        const seen = await createPveClient(t).clusterTasks();
        expect(seen.map((x) => x.upid)).toEqual([own.upid]);
        expect(seen[0]?.user).toBe('watch@pve');
    });
});
