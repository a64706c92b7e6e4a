// SPDX-License-Identifier: AGPL-3.0-or-later
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { createLocalSnapshotSource, readLocalEnrichment } from '../../src/adapters/local/local-source.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import { enrichWithLocal } from '../../src/domain/snapshot/merge.ts';

const ROOT = resolve(import.meta.dirname, '../fixtures/host-root');
const T0 = 'UPID:pve1:0009A0B1:00912345:67788815:vzdump::root@pam:';
const T1 = 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:';
const T2 = 'UPID:pve1:000B2C3D:009F1E2A:677B2B14:vzdump::root@pam:';
const T3 = 'UPID:pve1:000C4D2E:00A1B2C3:677C7C92:vzdump:100:admin@pve:';
/** 2025-01-07 02:06:38 Berlin: the third backup is running. */
const NOW = 1736212000;
const window = { now: NOW, historyFrom: NOW - 35 * 86400 };

const temp: string[] = [];
afterEach(() => {
    for (const d of temp.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('local snapshot source (fixture host root)', () => {
    it('reads nodes, guests, jobs, job states and this node’s tasks', async () => {
        const snap = await createLocalSnapshotSource({ rootDir: ROOT, remote: 'site-a' }).collect(window);
        expect(snap.cluster).toBe('demo');
        expect(snap.remote).toBe('site-a');
        expect(snap.nodes).toEqual([
            { name: 'pve1', online: true, timeZone: 'Europe/Berlin' },
            { name: 'pve2', online: false, timeZone: 'Europe/Berlin', unreachable: expect.stringMatching(/only pve1/) },
        ]);
        expect(snap.guests.map((g) => [g.vmid, g.type, g.name, g.node, g.template, g.tags])).toEqual([
            [100, 'qemu', 'web01', 'pve1', false, ['prod', 'web']],
            [101, 'lxc', 'dns01', 'pve1', false, ['infra']],
            [200, 'qemu', 'db01', 'pve2', false, []],
            [201, 'lxc', 'CT 201', 'pve2', false, []],
            [9000, 'qemu', 'tmpl-debian', 'pve1', true, []],
        ]);
        expect(snap.guests.find((g) => g.vmid === 200)?.lock).toBe('backup');
        expect(snap.guests.every((g) => g.remote === 'site-a')).toBe(true);
    });

    it('reads legacy cron jobs first, then jobs.cfg (skipping realm-sync)', async () => {
        const snap = await createLocalSnapshotSource({ rootDir: ROOT }).collect(window);
        expect(snap.jobs.map((j) => [j.origin, j.id.replace(/^[0-9a-f]{40}/, '<sha1>'), j.schedule, j.enabled])).toEqual([
            ['vzdump.cron', '<sha1>:1', 'sat 02:00', true],
            ['vzdump.cron', '<sha1>:2', '01:30', false],
            ['jobs.cfg', 'backup-7c1e2b3f-9a1d', '02:00', true],
            ['jobs.cfg', 'weekly-pbs', 'sun 03:00', true],
        ]);
        expect(snap.jobs.find((j) => j.id === 'weekly-pbs')).toMatchObject({
            comment: 'Weekly: everything except templates',
            node: 'pve2',
            selection: { all: true, exclude: [9000, 9001] },
        });
        expect(snap.jobs.find((j) => j.id === 'backup-7c1e2b3f-9a1d')?.prune).toEqual({ keepDaily: 7, keepLast: 3 });
    });

    it('reads the task index, active list and logs of vzdump tasks only', async () => {
        const snap = await createLocalSnapshotSource({ rootDir: ROOT }).collect(window);
        expect(snap.tasks.map((t) => [t.upid, t.status, t.endTime])).toEqual([
            [T0, 'OK', 0x67788880],
            [T1, 'OK', 0x6779da06],
            [T2, 'job errors', 0x677b2b6f],
            [T3, 'RUNNING', undefined],
        ]);
        const [t0, t1, t2, t3] = snap.tasks;
        expect(t0?.logError).toMatch(/task log file .*67788815.* is missing/);
        expect(t1?.log?.outcome).toBe('ok');
        expect(t2?.log?.guests.map((g) => [g.vmid, g.status])).toEqual([
            [100, 'ok'],
            [101, 'failed'],
        ]);
        expect(t3).toMatchObject({ id: '100', user: 'admin@pve' });
        expect(t3?.log?.outcome).toBe('running');
        // index.1 reaches back only to its oldest entry.
        expect(snap.historyFrom).toBe(0x67788815);
    });

    it('reports broken files by name and treats missing ones as normal', async () => {
        const snap = await createLocalSnapshotSource({ rootDir: ROOT }).collect(window);
        expect(snap.jobStates.map((s) => [s.jobId, s.state, s.upid])).toEqual([
            ['backup-7c1e2b3f-9a1d', 'stopped', T2],
            ['weekly-pbs', 'created', undefined],
        ]);
        const files = snap.sourceErrors.map((e) => e.what);
        expect(files).toContain('/var/lib/pve-manager/jobs/vzdump-backup-deadbeef-0000.json');
        expect(files).not.toContain('/etc/vzdump.conf');
        expect(files.filter((f) => f !== 'local files' && !f.includes('deadbeef'))).toEqual([]);
    });

    it('uses the cache for finished task logs', async () => {
        const cache = createMemoryTaskLogCache();
        await createLocalSnapshotSource({ rootDir: ROOT, cache }).collect(window);
        expect(cache.size).toBe(2);
        expect(await cache.get(T3)).toBeUndefined();
    });

    it('works on an empty root with a given node name', async () => {
        const root = mkdtempSync(join(tmpdir(), 'pbh-root-'));
        temp.push(root);
        const snap = await createLocalSnapshotSource({ rootDir: root, nodeName: 'pve9' }).collect(window);
        expect(snap.nodes).toEqual([{ name: 'pve9', online: true, timeZone: 'UTC' }]);
        expect(snap.jobs).toEqual([]);
        expect(snap.tasks).toEqual([]);
        expect(snap.sourceErrors.map((e) => e.what)).toEqual(['/etc/timezone']);
    });

    it('names an unreadable file', async () => {
        const root = mkdtempSync(join(tmpdir(), 'pbh-root-'));
        temp.push(root);
        mkdirSync(join(root, 'etc/pve/jobs.cfg'), { recursive: true });
        const snap = await createLocalSnapshotSource({ rootDir: root, nodeName: 'pve9' }).collect(window);
        expect(snap.sourceErrors.find((e) => e.what === '/etc/pve/jobs.cfg')?.message).toMatch(/cannot read \/etc\/pve\/jobs\.cfg: EISDIR/);
    });
});

describe('local enrichment', () => {
    const apiSnapshot = (): ClusterSnapshot => ({
        version: 1,
        collectedAt: NOW,
        nodes: [{ name: 'pve1', online: true, timeZone: 'Europe/Berlin' }],
        guests: [],
        jobs: [],
        jobStates: [{ jobId: 'old', node: 'pve1', state: 'stopped' }],
        tasks: [{ upid: T2, node: 'pve1', startTime: 0x677b2b14, endTime: 0x677b2b6f, status: 'job errors', user: 'root@pam', id: '', logError: 'HTTP 500' }],
        backups: [],
        storages: [],
        historyFrom: NOW - 3 * 86400,
        sourceErrors: [],
    });

    it('adds job states and the job id of the task they name', async () => {
        const local = await readLocalEnrichment({ rootDir: ROOT });
        expect(local.node).toBe('pve1');
        expect(local.tasks).toBeUndefined();
        const before = apiSnapshot();
        const merged = enrichWithLocal(before, local);
        expect(merged.jobStates.map((s) => s.jobId)).toEqual(['backup-7c1e2b3f-9a1d', 'weekly-pbs']);
        expect(merged.tasks.find((t) => t.upid === T2)?.jobId).toBe('backup-7c1e2b3f-9a1d');
        expect(merged.sourceErrors.map((e) => e.what)).toEqual(['/var/lib/pve-manager/jobs/vzdump-backup-deadbeef-0000.json']);
        expect(before.tasks[0]?.jobId).toBeUndefined();
    });

    it('fills logs the API could not deliver and adds unlisted local tasks inside the window', async () => {
        const local = await readLocalEnrichment({ rootDir: ROOT, tasksSince: NOW - 35 * 86400 });
        const merged = enrichWithLocal(apiSnapshot(), local);
        const t2 = merged.tasks.find((t) => t.upid === T2);
        expect(t2?.log?.outcome).toBe('guest-failures');
        expect(t2?.logError).toBeUndefined();
        // T0 started before the snapshot's history window and stays out.
        expect(merged.tasks.map((t) => t.upid)).toEqual([T1, T2, T3]);
    });

    it('reads only the logs it is asked for, and fills the same gaps with them', async () => {
        const all = await readLocalEnrichment({ rootDir: ROOT, tasksSince: NOW - 35 * 86400 });
        // The API delivered T1 with its log: only the other logs are worth reading (LayeredSource).
        const t1 = all.tasks?.find((t) => t.upid === T1);
        expect(t1?.log).toBeDefined();
        const api = apiSnapshot();
        api.tasks = [{ ...(t1 as NonNullable<typeof t1>) }, ...api.tasks];
        const asked: string[] = [];
        const some = await readLocalEnrichment({
            rootDir: ROOT,
            tasksSince: NOW - 35 * 86400,
            wantLog: (upid) => {
                asked.push(upid);
                return upid !== T1;
            },
        });
        expect(asked.sort()).toEqual((all.tasks ?? []).map((t) => t.upid).sort());
        expect(some.tasks?.map((t) => t.upid)).toEqual(all.tasks?.map((t) => t.upid));
        expect(some.tasks?.find((t) => t.upid === T1)?.log).toBeUndefined();
        expect(some.tasks?.find((t) => t.upid === T2)?.log).toBeDefined();
        expect(enrichWithLocal(api, some)).toEqual(enrichWithLocal(api, all));
    });
});
