// SPDX-License-Identifier: AGPL-3.0-or-later
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { type ApiSourceOptions, createApiSnapshotSource } from '../../src/adapters/pve-api/collector.ts';
import { PveApiError } from '../../src/adapters/pve-api/errors.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import { type SimCertificates, generateCertificates } from '../simulator/cert.ts';
import { DEMO_START, LIMITED_TOKEN, demoScenario } from '../simulator/scenarios.ts';
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

/** The demo without noise and without the never-ending task: nothing happens between cycles. */
const quiet = () => demoScenario({ rates: {}, plant: demoScenario().plant?.filter((p) => p.kind !== 'running-long') ?? [] });

async function setup(spec = quiet(), extra: Partial<ApiSourceOptions> & { token?: string } = {}) {
    const sim = await startSimulator(spec, { certs });
    running.push(sim);
    const transport = createTransport({ baseUrl: sim.url, token: extra.token ?? sim.token, tls: { fingerprint: sim.fingerprint }, sleep: async () => {} });
    closers.push(() => transport.close());
    const cache = extra.cache ?? createMemoryTaskLogCache();
    const source = createApiSnapshotSource({ transport, cache, ...extra });
    const collect = () => source.collect({ now: sim.clock.now(), historyFrom: sim.clock.now() - HISTORY });
    return { sim, source, cache, collect };
}

const requestsSince = (sim: Simulator, from: number) => sim.requestLog.slice(from);

describe('API snapshot source against the simulator', () => {
    it('first cycle builds the whole snapshot', async () => {
        const { sim, collect, source } = await setup(quiet(), { remote: 'site-a' });
        const snap = await collect();
        expect(snap.version).toBe(1);
        expect(snap.cluster).toBe('demo');
        expect(snap.remote).toBe('site-a');
        expect(snap.nodes.map((n) => [n.name, n.online, n.timeZone])).toEqual([
            ['pve1', true, 'Europe/Berlin'],
            ['pve2', true, 'Europe/Berlin'],
            ['pve3', true, 'America/New_York'],
        ]);
        expect(snap.sourceErrors).toEqual([]);
        expect(snap.guests).toHaveLength(sim.world.spec.guests.length);
        expect(snap.guests.every((g) => g.remote === 'site-a')).toBe(true);
        expect(snap.guests.find((g) => g.vmid === 204)?.tags).toEqual(['nobackup', 'lab']);
        expect(snap.guests.find((g) => g.vmid === 9000)?.template).toBe(true);
        expect(snap.guests.find((g) => g.vmid === 301)?.pool).toBe('dev');
        // Legacy jobs first, with their sha1 id; jobs.cfg prune objects mapped.
        expect(snap.jobs[0]).toMatchObject({ id: sim.jobId('legacy-ci'), origin: 'vzdump.cron', schedule: 'fri 23:15' });
        expect(snap.jobs.find((j) => j.id === 'backup-7c1e2b3f-9a1d')).toMatchObject({
            origin: 'jobs.cfg',
            enabled: true,
            selection: { all: false, vmids: [100, 101, 102], exclude: [] },
            prune: { keepDaily: 7, keepLast: 3 },
            storage: 'local',
        });
        expect(snap.jobs.find((j) => j.id === 'old-disabled')).toMatchObject({ enabled: false, comment: 'retired' });
        expect(snap.jobs.find((j) => j.id === 'weekly-dev')?.selection.pool).toBe('dev');
        // Every task of the window, each with its parsed log.
        const expected = sim.world.tasks.filter((t) => t.start <= sim.clock.now() && t.start >= snap.historyFrom);
        expect(snap.tasks.map((t) => t.upid).sort()).toEqual(expected.map((t) => t.upid).sort());
        expect(snap.tasks.every((t) => t.log !== undefined && t.logError === undefined)).toBe(true);
        const failed = snap.tasks.filter((t) => t.status === 'job errors');
        expect(failed.some((t) => t.log?.guests.some((g) => g.vmid === 102 && g.status === 'failed'))).toBe(true);
        // Backups: a shared storage read once, PBS verification time from the PBS UPID.
        const backups = [...snap.backups];
        expect(backups.length).toBeGreaterThan(0);
        expect(new Set(backups.map((b) => b.volid)).size).toBe(snap.backups.length);
        const verified = backups.find((b) => b.vmid === 300 && b.verification?.state === 'failed');
        expect(verified?.verification?.time).toBeGreaterThan(verified?.ctime ?? Number.POSITIVE_INFINITY);
        expect(snap.storages.filter((s) => s.storage === 'pbs-store')).toHaveLength(1);
        expect(snap.storages.filter((s) => s.storage === 'local').map((s) => s.node)).toEqual(['pve1', 'pve2', 'pve3']);
        expect(snap.storages.find((s) => s.storage === 'nfs-backup')).toMatchObject({ contentRead: true, prune: { keepDaily: 7, keepWeekly: 4 } });
        expect(source.stats().cycles).toBe(1);
    });

    it('a quiet cycle costs at most 2 requests per node plus a constant', async () => {
        const { sim, collect, source } = await setup();
        await collect();
        const mark = sim.requestLog.length;
        sim.clock.advance(60);
        const snap = await collect();
        const nodes = snap.nodes.length;
        const paths = requestsSince(sim, mark).map((r) => r.path);
        expect(source.stats().lastCycle?.requests).toBe(paths.length);
        expect(paths.length).toBeLessThanOrEqual(2 * nodes + 3);
        expect(paths.filter((p) => p.includes('/log'))).toEqual([]);
        // One cluster-wide task window instead of a task list per node.
        expect(paths.filter((p) => p.endsWith('/tasks'))).toEqual(['/cluster/tasks']);
        expect(source.stats().requestsPerCycle).toHaveLength(2);
    });

    it('asks for the history window with vzdump filter and running tasks on the first cycle', async () => {
        const { sim, collect } = await setup();
        await collect();
        const list = sim.requestLog.find((r) => r.path === '/nodes/pve1/tasks');
        expect(list?.query).toMatchObject({ typefilter: 'vzdump', source: 'all', since: String(DEMO_START - HISTORY), start: '0' });
    });

    it('picks up a new failed task in the next cycle, fetching only its log', async () => {
        const { sim, collect } = await setup();
        await collect();
        const at = sim.clock.now() + 100;
        const task = sim.addRun({ node: 'pve1', at, vmids: [100], storage: 'local', outcome: 'failed', user: 'admin@pve' });
        sim.clock.set(at + 600);
        const mark = sim.requestLog.length;
        const snap = await collect();
        const got = snap.tasks.find((t) => t.upid === task.upid);
        expect(got).toMatchObject({ status: 'job errors', id: '100', user: 'admin@pve' });
        expect([...(got?.log?.guests ?? [])][0]).toMatchObject({ vmid: 100, status: 'failed' });
        expect(requestsSince(sim, mark).filter((r) => r.path.includes('/log'))).toHaveLength(1);
        // The node's list asks only for what is new.
        const lists = requestsSince(sim, mark).filter((r) => r.path.endsWith('/tasks') && r.path.startsWith('/nodes/'));
        expect(lists.map((r) => r.path)).toEqual(['/nodes/pve1/tasks']);
        for (const r of lists) expect(Number(r.query.since)).toBeGreaterThan(sim.clock.now() - 2 * 86400);
    });

    it('re-checks a running task until it finishes, then caches its final log', async () => {
        const { sim, collect, cache } = await setup();
        await collect();
        const at = sim.clock.now() + 10;
        const task = sim.addRun({ node: 'pve2', at, vmids: [200], storage: 'pbs-store' });
        sim.clock.set(at + 20);
        let snap = await collect();
        expect(snap.tasks.find((t) => t.upid === task.upid)).toMatchObject({ status: 'RUNNING' });
        expect(snap.tasks.find((t) => t.upid === task.upid)?.log?.outcome).toBe('running');
        expect(await cache.get(task.upid)).toBeUndefined();
        sim.clock.set(task.end + 5);
        snap = await collect();
        const done = snap.tasks.find((t) => t.upid === task.upid);
        expect(done?.status).toBe('OK');
        expect(done?.endTime).toBe(task.end);
        expect(done?.log?.outcome).toBe('ok');
        expect((await cache.get(task.upid))?.outcome).toBe('ok');
    });

    it('keeps an offline node (cluster status) with its previous data and reports it', async () => {
        const { sim, collect } = await setup();
        const first = await collect();
        sim.setNodeOffline('pve3', true);
        sim.clock.advance(300);
        const mark = sim.requestLog.length;
        const snap = await collect();
        const pve3 = snap.nodes.find((n) => n.name === 'pve3');
        expect(pve3).toMatchObject({ online: false, timeZone: 'America/New_York' });
        expect(pve3?.unreachable).toMatch(/offline/);
        expect(snap.sourceErrors.some((e) => e.node === 'pve3')).toBe(true);
        const tasksOf = (s: ClusterSnapshot) => s.tasks.filter((t) => t.node === 'pve3').map((t) => t.upid);
        expect(tasksOf(snap)).toEqual(tasksOf(first));
        expect(requestsSince(sim, mark).some((r) => r.path.startsWith('/nodes/pve3'))).toBe(false);
    });

    it("lets an offline node's old tasks leave the history window as time passes", async () => {
        const { sim, collect } = await setup();
        const first = await collect();
        sim.setNodeOffline('pve3', true);
        const oldest = Math.min(...first.tasks.filter((t) => t.node === 'pve3').map((t) => t.startTime));
        sim.clock.advance(oldest + HISTORY - sim.clock.now() + 1);
        const snap = await collect();
        expect(snap.tasks.length).toBeGreaterThan(0);
        expect(snap.tasks.every((t) => t.startTime >= sim.clock.now() - HISTORY)).toBe(true);
        expect(snap.tasks.some((t) => t.node === 'pve3')).toBe(true);
        expect(snap.tasks.some((t) => t.node === 'pve3' && t.startTime === oldest)).toBe(false);
    });

    it('treats a node answering 595 as unreachable without throwing', async () => {
        const { sim, collect } = await setup();
        const first = await collect();
        // A new task makes the cycle read pve2's own list, which then answers 595.
        sim.addRun({ node: 'pve2', at: sim.clock.now() + 10, vmids: [200], storage: 'pbs-store', outcome: 'failed' });
        sim.faults.failNext(/^\/nodes\/pve2\//, 1, 595, 'No route to host');
        sim.clock.advance(300);
        const snap = await collect();
        expect(snap.nodes.find((n) => n.name === 'pve2')).toMatchObject({ online: false });
        expect(snap.nodes.find((n) => n.name === 'pve2')?.unreachable).toMatch(/595|No route/);
        const err = snap.sourceErrors.find((e) => e.node === 'pve2');
        expect(err?.what).toBe('GET /nodes/pve2/tasks');
        expect(snap.tasks.filter((t) => t.node === 'pve2').length).toBe(first.tasks.filter((t) => t.node === 'pve2').length);
        sim.clock.advance(300);
        const back = await collect();
        expect(back.nodes.find((n) => n.name === 'pve2')).toMatchObject({ online: true });
        expect(back.nodes.find((n) => n.name === 'pve2')?.unreachable).toBeUndefined();
    });

    it('retries a 500 on the job list and succeeds', async () => {
        const { sim, collect, source } = await setup();
        sim.faults.failNext('/cluster/backup', 2);
        const snap = await collect();
        expect(snap.jobs.length).toBe(sim.world.spec.jobs.length);
        expect(snap.sourceErrors).toEqual([]);
        expect(source.stats().lastCycle?.retries).toBe(2);
    });

    it('reports a job list that keeps failing as a source error, not a throw', async () => {
        const { sim, collect } = await setup();
        sim.faults.failNext('/cluster/backup', 10);
        const snap = await collect();
        expect(snap.jobs).toEqual([]);
        expect(snap.sourceErrors.find((e) => e.what === 'GET /cluster/backup')?.message).toMatch(/HTTP 500/);
    });

    it('throws a clear error when the token is rejected', async () => {
        const { sim, collect } = await setup();
        sim.faults.rejectTokens = true;
        const err = await collect().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PveApiError);
        expect((err as PveApiError).kind).toBe('auth');
        expect((err as Error).message).toMatch(/token rejected/);
    });

    it('throws naming the missing privilege for a token without Sys.Audit on /', async () => {
        const { collect } = await setup(quiet(), { token: tokenString(LIMITED_TOKEN) });
        const err = (await collect().catch((e: unknown) => e)) as PveApiError;
        expect(err.kind).toBe('permission');
        expect(err.message).toMatch(/lacks Sys\.Audit on \//);
    });

    it('records a calendar disagreement with schedule-analyze, checking each schedule once a day', async () => {
        const { sim, collect } = await setup();
        sim.faults.scheduleAnalyzeShift = 60;
        const snap = await collect();
        const notes = snap.sourceErrors.filter((e) => e.what.includes('schedule-analyze'));
        const schedules = new Set(sim.world.spec.jobs.map((j) => j.schedule));
        expect(notes).toHaveLength(schedules.size);
        expect(notes[0]?.message).toMatch(/disagrees with PVE/);
        const mark = sim.requestLog.length;
        sim.clock.advance(3600);
        const again = await collect();
        expect(requestsSince(sim, mark).filter((r) => r.path.includes('schedule-analyze'))).toEqual([]);
        expect(again.sourceErrors.filter((e) => e.what.includes('schedule-analyze'))).toHaveLength(schedules.size);
        sim.faults.scheduleAnalyzeShift = 0;
        sim.clock.advance(86400);
        const later = await collect();
        expect(later.sourceErrors.filter((e) => e.what.includes('schedule-analyze'))).toEqual([]);
    });

    it('refreshes storages on their own interval', async () => {
        const { sim, collect } = await setup();
        await collect();
        let mark = sim.requestLog.length;
        sim.clock.advance(600);
        await collect();
        expect(requestsSince(sim, mark).some((r) => r.path.includes('/storage'))).toBe(false);
        mark = sim.requestLog.length;
        sim.clock.advance(400);
        await collect();
        const contents = requestsSince(sim, mark).filter((r) => r.path.endsWith('/content'));
        // local on each node, nfs and pbs once.
        expect(contents).toHaveLength(5);
    });

    it('reuses cached logs in a new source instance', async () => {
        const first = await setup();
        await first.collect();
        const { sim, collect, source } = await setup(quiet(), { cache: first.cache });
        await collect();
        expect(sim.requestLog.filter((r) => r.path.includes('/log'))).toEqual([]);
        expect(source.stats().lastCycle?.logsFromCache).toBeGreaterThan(50);
    });
});
