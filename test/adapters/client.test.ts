// SPDX-License-Identifier: AGPL-3.0-or-later
// The typed client against the simulator, and the PVE quirks the simulator must reproduce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveClient, createPveClient } from '../../src/adapters/pve-api/client.ts';
import type { PveApiError } from '../../src/adapters/pve-api/errors.ts';
import { type PveTransport, createTransport } from '../../src/adapters/pve-api/transport.ts';
import { parseUpid } from '../../src/domain/pve/upid.ts';
import { demoScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';

let sim: Simulator;
let transport: PveTransport;
let api: PveClient;

beforeAll(async () => {
    sim = await startSimulator(demoScenario());
    transport = createTransport({ baseUrl: sim.url, token: sim.token, tls: { fingerprint: sim.fingerprint }, sleep: async () => {} });
    api = createPveClient(transport);
});
afterAll(async () => {
    transport.close();
    await sim.stop();
});

const since = () => sim.clock.now() - 35 * 86400;

describe('task list paging', () => {
    it('pages through more than 50 tasks until total is reached', async () => {
        const mark = sim.requestLog.length;
        const all = await api.tasks('pve1', { since: since(), limit: 50 });
        const pages = sim.requestLog.slice(mark);
        const expected = sim.world.tasks.filter((t) => t.node === 'pve1' && t.start <= sim.clock.now() && t.start >= since());
        expect(expected.length).toBeGreaterThan(50);
        expect(all).toHaveLength(expected.length);
        expect(pages.map((r) => r.query.start)).toEqual(Array.from({ length: Math.ceil(expected.length / 50) }, (_, i) => String(i * 50)));
    });

    it('gets PVE default page of 50 without a limit, and total', async () => {
        const page = await api.taskPage('pve1', { since: since() });
        expect(page.items).toHaveLength(50);
        expect(page.total).toBeGreaterThan(50);
    });

    it('limit=0 gives only the total; an empty result omits total', async () => {
        const r = await transport.request('GET', '/nodes/pve1/tasks', { query: { limit: 0, source: 'all' } });
        expect(r.data).toEqual([]);
        expect(r.total).toBeGreaterThan(50);
        const none = await transport.request('GET', '/nodes/pve1/tasks', { query: { since: sim.clock.now() + 86400 } });
        expect(none).toEqual({ data: [] });
    });

    it('lists running tasks first and only with source=active|all', async () => {
        const all = await api.taskPage('pve1', { since: since(), source: 'all' });
        expect(all.items[0]).toMatchObject({ status: 'RUNNING', id: '103' });
        expect(all.items[0]?.endtime).toBeUndefined();
        const archive = await api.taskPage('pve1', { since: since(), source: 'archive' });
        expect(archive.items.some((t) => t.status === 'RUNNING')).toBe(false);
        const active = await api.taskPage('pve1', { source: 'active' });
        expect(active.items.map((t) => t.id)).toEqual(['103']);
    });

    it('gives multi-guest tasks an empty id, so vmid= misses them', async () => {
        const tasks = await api.tasks('pve1', { since: since() });
        const multi = tasks.filter((t) => t.id === '');
        expect(multi.length).toBeGreaterThan(10);
        expect(parseUpid(multi[0]?.upid ?? '')?.id).toBe('');
        const byVmid = await api.tasks('pve1', { since: since(), vmid: 100 });
        expect(byVmid).toEqual([]);
    });
});

describe('task logs and status', () => {
    it('returns the whole log with limit=0, ending in the TASK line', async () => {
        const t = (await api.tasks('pve1', { since: since() })).find((x) => x.status === 'OK');
        const log = await api.taskLog('pve1', t?.upid ?? '');
        expect(log[0]).toEqual({ n: 1, t: expect.stringMatching(/^INFO: starting new backup job: vzdump /) });
        expect(log[log.length - 1]?.t).toBe('TASK OK');
        const page = await transport.request('GET', `/nodes/pve1/tasks/${encodeURIComponent(t?.upid ?? '')}/log`);
        expect((page.data as unknown[]).length).toBe(Math.min(50, log.length));
        expect(page.total).toBe(log.length);
    });

    it('serves an empty log as "no content", which the client returns as no lines', async () => {
        const task = sim.addRun({ node: 'pve3', at: sim.clock.now() - 7200, vmids: [301], storage: 'nfs-backup', emptyLog: true });
        const raw = await transport.request('GET', `/nodes/pve3/tasks/${encodeURIComponent(task.upid)}/log`, { query: { limit: 0 } });
        expect(raw).toEqual({ data: [{ n: 1, t: 'no content' }], total: 1 });
        expect(await api.taskLog('pve3', task.upid)).toEqual([]);
    });

    it('downloads the log as one text file (gzipped above 1 KiB) with the same lines as the JSON list', async () => {
        const t = (await api.tasks('pve1', { since: since() })).find((x) => x.status === 'OK' && x.id === '');
        const upid = t?.upid ?? '';
        const path = `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`;
        const mark = sim.requestLog.length;
        const text = await api.taskLogText('pve1', upid);
        expect(sim.requestLog.slice(mark).map((r) => r.query)).toEqual([{ download: '1' }]);
        expect(text.length).toBeGreaterThan(1024);
        expect(text.split('\n').slice(0, -1)).toEqual((await api.taskLog('pve1', upid)).map((l) => l.t));
        // PVE refuses `download` together with start/limit.
        await expect(transport.request('GET', path, { query: { download: 1, limit: 0 }, text: true })).rejects.toMatchObject({ status: 400 });
        const small = sim.addRun({ node: 'pve3', at: sim.clock.now() - 7000, vmids: [301], storage: 'nfs-backup', emptyLog: true });
        expect(await api.taskLogText('pve3', small.upid)).toBe('');
    });

    it('falls back to the JSON log for good on a PVE that does not know download (before 7.3)', async () => {
        const t = (await api.tasks('pve2', { since: since() })).filter((x) => x.status === 'OK');
        const older = createPveClient(transport);
        sim.faults.failNext(/\/log$/, 1, 400, 'Parameter verification failed.');
        const mark = sim.requestLog.length;
        const first = await older.taskLogText('pve2', t[0]?.upid ?? '');
        const second = await older.taskLogText('pve2', t[1]?.upid ?? '');
        expect(sim.requestLog.slice(mark).map((r) => r.query)).toEqual([{ download: '1' }, { limit: '0' }, { limit: '0' }]);
        expect(first).toBe(await api.taskLogText('pve2', t[0]?.upid ?? ''));
        expect(second.endsWith('TASK OK\n')).toBe(true);
    });

    it('reports running and stopped status', async () => {
        const [first] = (await api.taskPage('pve1', { source: 'active' })).items;
        expect(await api.taskStatus('pve1', first?.upid ?? '')).toMatchObject({ status: 'running' });
        const done = (await api.tasks('pve1', { since: since() })).find((x) => x.status === 'job errors');
        expect(await api.taskStatus('pve1', done?.upid ?? '')).toEqual({ status: 'stopped', exitstatus: 'job errors', starttime: done?.starttime });
    });
});

describe('other endpoints', () => {
    it('maps guests with tags, templates and pools', async () => {
        const guests = await api.vmResources();
        expect(guests.find((g) => g.vmid === 204)).toMatchObject({ type: 'lxc', tags: ['nobackup', 'lab'] });
        expect(guests.find((g) => g.vmid === 9000)?.template).toBe(true);
        // The guest being backed up right now carries the backup lock.
        expect(guests.find((g) => g.vmid === 103)?.lock).toBe('backup');
    });

    it('returns LXC vmids as strings on the node list, as PVE does', async () => {
        const r = await transport.request('GET', '/nodes/pve1/lxc');
        expect(r.data).toEqual([expect.objectContaining({ vmid: '101' })]);
    });

    it('reads node time zones, storages, PBS verification and prune settings', async () => {
        expect((await api.nodeTime('pve3')).timezone).toBe('America/New_York');
        const storages = await api.nodeStorages('pve2');
        expect(storages.find((s) => s.storage === 'pbs-store')).toMatchObject({ type: 'pbs', shared: true, active: true, content: ['backup'] });
        const backups = await api.storageBackups('pve2', 'pbs-store');
        const v = backups.find((b) => b.verification)?.verification;
        expect(v?.state).toMatch(/^(ok|failed)$/);
        expect(parseUpid(v?.upid ?? '')).toMatchObject({ kind: 'pbs', type: 'verificationjob' });
        expect((await api.storageConfigs()).find((c) => c.storage === 'local')?.pruneBackups).toBe('keep-last=7');
    });

    it('analyzes a schedule like PVE', async () => {
        const times = await api.scheduleAnalyze('02:00', sim.clock.now(), 3);
        expect(times).toHaveLength(3);
        expect((times[1] as number) - (times[0] as number)).toBe(86400);
    });

    it('lists permissions and verifies tickets without the token', async () => {
        expect((await api.permissions())['/']).toMatchObject({ 'Sys.Audit': true, 'VM.Audit': true });
        const ticket = sim.issueTicket('alice@pve', ['Sys.Audit']);
        expect(await api.verifyTicket('alice@pve', ticket, '/', 'Sys.Audit')).toEqual({ username: 'alice@pve' });
        const err = (await api.verifyTicket('bob@pve', ticket, '/', 'Sys.Audit').catch((e: unknown) => e)) as PveApiError;
        expect(err.kind).toBe('auth');
    });

    it('answers 401 without a token and 595 for an offline node', async () => {
        const anon = createTransport({ baseUrl: sim.url, tls: { fingerprint: sim.fingerprint } });
        const e401 = (await anon.request('GET', '/cluster/status').catch((e: unknown) => e)) as PveApiError;
        expect(e401.status).toBe(401);
        anon.close();
        sim.setNodeOffline('pve2', true);
        const e595 = (await api.nodeTime('pve2').catch((e: unknown) => e)) as PveApiError;
        sim.setNodeOffline('pve2', false);
        expect(e595).toMatchObject({ kind: 'node-offline', status: 595 });
    });
});
