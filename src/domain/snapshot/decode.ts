// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads a snapshot JSON document (a `check --snapshot` file, a scenario input) into a
 * ClusterSnapshot. Every error names the exact path (`tasks[3].startTime`). Times may be epoch
 * seconds or RFC 3339 strings; task logs may be raw text or lines, parsed here.
 */

import type {
    BackupItem, BackupJob, ClusterSnapshot, Guest, GuestPlacement, JobState, NodeInfo, SourceError, StorageStatus, VzdumpTask,
} from '../model.ts';
import { parseVzdumpLog } from '../vzdump-log/parse.ts';
import { Reader } from './reader.ts';

export type DecodeResult = { ok: true; snapshot: ClusterSnapshot } | { ok: false; errors: string[] };

export function decodeSnapshot(input: unknown): DecodeResult {
    const r = new Reader();
    const root = r.object(input, '');
    if (!root) return { ok: false, errors: r.errors };
    const version = root.v.version ?? 1;
    if (version !== 1) r.fail('version', `unsupported snapshot version ${JSON.stringify(version)} (this build reads version 1)`);
    const collectedAt = r.time(root.v.collectedAt, 'collectedAt');
    const snapshot: ClusterSnapshot = {
        version: 1,
        collectedAt: collectedAt ?? 0,
        nodes: r.list(root.v.nodes, 'nodes', (x, p) => node(r, x, p)),
        guests: r.list(root.v.guests, 'guests', (x, p) => guest(r, x, p)),
        jobs: r.list(root.v.jobs, 'jobs', (x, p) => job(r, x, p)),
        jobStates: r.optList(root.v.jobStates, 'jobStates', (x, p) => jobState(r, x, p)),
        tasks: r.optList(root.v.tasks, 'tasks', (x, p) => task(r, x, p)),
        backups: r.optList(root.v.backups, 'backups', (x, p) => backup(r, x, p)),
        storages: r.optList(root.v.storages, 'storages', (x, p) => storage(r, x, p)),
        historyFrom: r.time(root.v.historyFrom, 'historyFrom') ?? 0,
        sourceErrors: r.optList(root.v.sourceErrors, 'sourceErrors', (x, p) => sourceError(r, x, p)),
    };
    const placements = r.optList(root.v.placements, 'placements', (x, p) => placement(r, x, p));
    if (placements.length > 0) snapshot.placements = placements;
    const cluster = r.optString(root.v.cluster, 'cluster');
    if (cluster !== undefined) snapshot.cluster = cluster;
    const remote = r.optString(root.v.remote, 'remote');
    if (remote !== undefined) snapshot.remote = remote;
    return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, snapshot };
}

function node(r: Reader, x: unknown, p: string): NodeInfo | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const n: NodeInfo = { name: r.string(o.v.name, `${p}.name`) ?? '', online: r.bool(o.v.online, `${p}.online`) ?? true, timeZone: r.timeZone(o.v.timeZone, `${p}.timeZone`) };
    const u = r.optString(o.v.unreachable, `${p}.unreachable`);
    if (u !== undefined) n.unreachable = u;
    const boot = o.v.bootTime === undefined ? undefined : r.time(o.v.bootTime, `${p}.bootTime`);
    if (boot !== undefined) n.bootTime = boot;
    return n;
}

function guest(r: Reader, x: unknown, p: string): Guest | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const vmid = r.vmid(o.v.vmid, `${p}.vmid`);
    const g: Guest = {
        vmid: vmid ?? 0,
        type: r.oneOf(o.v.type, `${p}.type`, ['qemu', 'lxc'] as const) ?? 'qemu',
        name: r.optString(o.v.name, `${p}.name`) ?? `VM ${vmid ?? '?'}`,
        node: r.string(o.v.node, `${p}.node`) ?? '',
        template: r.bool(o.v.template, `${p}.template`) ?? false,
        tags: r.tags(o.v.tags, `${p}.tags`),
    };
    for (const k of ['pool', 'status', 'lock', 'remote'] as const) {
        const s = r.optString(o.v[k], `${p}.${k}`);
        if (s !== undefined) g[k] = s;
    }
    return g;
}

function job(r: Reader, x: unknown, p: string): BackupJob | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const sel = r.object(o.v.selection ?? {}, `${p}.selection`);
    const j: BackupJob = {
        id: r.string(o.v.id, `${p}.id`) ?? '',
        origin: r.oneOf(o.v.origin ?? 'jobs.cfg', `${p}.origin`, ['jobs.cfg', 'vzdump.cron'] as const) ?? 'jobs.cfg',
        schedule: r.string(o.v.schedule, `${p}.schedule`) ?? '',
        enabled: r.bool(o.v.enabled ?? true, `${p}.enabled`) ?? true,
        selection: {
            all: r.bool(sel?.v.all ?? false, `${p}.selection.all`) ?? false,
            vmids: r.vmids(sel?.v.vmids ?? [], `${p}.selection.vmids`),
            exclude: r.vmids(sel?.v.exclude ?? [], `${p}.selection.exclude`),
        },
        repeatMissed: r.bool(o.v.repeatMissed ?? false, `${p}.repeatMissed`) ?? false,
        options: r.stringMap(o.v.options ?? {}, `${p}.options`),
    };
    const pool = r.optString(sel?.v.pool, `${p}.selection.pool`);
    if (pool !== undefined) j.selection.pool = pool;
    for (const k of ['node', 'storage', 'comment'] as const) {
        const s = r.optString(o.v[k], `${p}.${k}`);
        if (s !== undefined) j[k] = s;
    }
    if (o.v.prune !== undefined) j.prune = r.prune(o.v.prune, `${p}.prune`);
    if (o.v.revisions !== undefined) {
        j.revisions = r.list(o.v.revisions, `${p}.revisions`, (y, q) => {
            const rv = r.object(y, q);
            if (!rv) return undefined;
            return { until: r.time(rv.v.until, `${q}.until`) ?? 0, schedule: r.string(rv.v.schedule, `${q}.schedule`) ?? '', enabled: r.bool(rv.v.enabled ?? true, `${q}.enabled`) ?? true };
        });
    }
    return j;
}

function jobState(r: Reader, x: unknown, p: string): JobState | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const s: JobState = {
        jobId: r.string(o.v.jobId, `${p}.jobId`) ?? '',
        node: r.string(o.v.node, `${p}.node`) ?? '',
        state: r.oneOf(o.v.state, `${p}.state`, ['created', 'starting', 'started', 'stopped'] as const) ?? 'stopped',
    };
    for (const k of ['time', 'updated'] as const) {
        if (o.v[k] !== undefined) {
            const t = r.time(o.v[k], `${p}.${k}`);
            if (t !== undefined) s[k] = t;
        }
    }
    for (const k of ['upid', 'msg'] as const) {
        const v = r.optString(o.v[k], `${p}.${k}`);
        if (v !== undefined) s[k] = v;
    }
    return s;
}

function task(r: Reader, x: unknown, p: string): VzdumpTask | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const t: VzdumpTask = {
        upid: r.string(o.v.upid, `${p}.upid`) ?? '',
        node: r.string(o.v.node, `${p}.node`) ?? '',
        startTime: r.time(o.v.startTime, `${p}.startTime`) ?? 0,
        status: r.optString(o.v.status, `${p}.status`) ?? '',
        user: r.optString(o.v.user, `${p}.user`) ?? 'root@pam',
        id: r.optString(o.v.id, `${p}.id`) ?? '',
    };
    if (o.v.endTime !== undefined) {
        const e = r.time(o.v.endTime, `${p}.endTime`);
        if (e !== undefined) t.endTime = e;
    }
    const jobId = r.optString(o.v.jobId, `${p}.jobId`);
    if (jobId !== undefined) t.jobId = jobId;
    const logError = r.optString(o.v.logError, `${p}.logError`);
    if (logError !== undefined) t.logError = logError;
    const raw = o.v.log;
    if (typeof raw === 'string' || (Array.isArray(raw) && raw.every((l) => typeof l === 'string'))) {
        const log = parseVzdumpLog(raw as string | string[], { running: t.endTime === undefined && t.status === 'RUNNING' });
        t.log = log;
        if (t.status === '') t.status = statusFromLog(log.taskLine);
    } else if (raw !== undefined) {
        r.fail(`${p}.log`, 'expected the task log as text or an array of lines');
    }
    return t;
}

/** The status PVE derives from the last line of the log (pve-platform.md §4.6). */
function statusFromLog(taskLine: string | null): string {
    if (taskLine === null) return 'unexpected status';
    if (taskLine.startsWith('ERROR: ')) return taskLine.slice(7);
    return taskLine;
}

function backup(r: Reader, x: unknown, p: string): BackupItem | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const b: BackupItem = {
        volid: r.string(o.v.volid, `${p}.volid`) ?? '',
        storage: r.string(o.v.storage, `${p}.storage`) ?? '',
        vmid: r.vmid(o.v.vmid, `${p}.vmid`) ?? 0,
        ctime: r.time(o.v.ctime, `${p}.ctime`) ?? 0,
    };
    const type = o.v.type === undefined ? undefined : r.oneOf(o.v.type, `${p}.type`, ['qemu', 'lxc'] as const);
    if (type !== undefined) b.type = type;
    if (o.v.size !== undefined) b.size = r.number(o.v.size, `${p}.size`) ?? 0;
    const format = r.optString(o.v.format, `${p}.format`);
    if (format !== undefined) b.format = format;
    if (o.v.protected !== undefined) b.protected = r.bool(o.v.protected, `${p}.protected`) ?? false;
    if (o.v.encrypted !== undefined) b.encrypted = r.bool(o.v.encrypted, `${p}.encrypted`) ?? false;
    if (o.v.verification !== undefined) {
        const v = r.object(o.v.verification, `${p}.verification`);
        const state = v ? r.oneOf(v.v.state, `${p}.verification.state`, ['ok', 'failed'] as const) : undefined;
        if (v && state) {
            b.verification = { state };
            if (v.v.time !== undefined) b.verification.time = r.time(v.v.time, `${p}.verification.time`) ?? 0;
            const upid = r.optString(v.v.upid, `${p}.verification.upid`);
            if (upid !== undefined) b.verification.upid = upid;
        }
    }
    return b;
}

function storage(r: Reader, x: unknown, p: string): StorageStatus | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const s: StorageStatus = {
        storage: r.string(o.v.storage, `${p}.storage`) ?? '',
        node: r.string(o.v.node, `${p}.node`) ?? '',
        type: r.optString(o.v.type, `${p}.type`) ?? 'dir',
        shared: r.bool(o.v.shared ?? false, `${p}.shared`) ?? false,
        active: r.bool(o.v.active ?? true, `${p}.active`) ?? true,
        enabled: r.bool(o.v.enabled ?? true, `${p}.enabled`) ?? true,
    };
    for (const k of ['total', 'used', 'avail'] as const) if (o.v[k] !== undefined) s[k] = r.number(o.v[k], `${p}.${k}`) ?? 0;
    if (o.v.prune !== undefined) s.prune = r.prune(o.v.prune, `${p}.prune`);
    if (o.v.contentRead !== undefined) s.contentRead = r.bool(o.v.contentRead, `${p}.contentRead`) ?? false;
    return s;
}

function placement(r: Reader, x: unknown, p: string): GuestPlacement | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const pl: GuestPlacement = { vmid: r.vmid(o.v.vmid, `${p}.vmid`) ?? 0, node: r.string(o.v.node, `${p}.node`) ?? '', from: r.time(o.v.from, `${p}.from`) ?? 0 };
    if (o.v.until !== undefined) pl.until = r.time(o.v.until, `${p}.until`) ?? 0;
    return pl;
}

function sourceError(r: Reader, x: unknown, p: string): SourceError | undefined {
    const o = r.object(x, p);
    if (!o) return undefined;
    const e: SourceError = { what: r.string(o.v.what, `${p}.what`) ?? '', message: r.string(o.v.message, `${p}.message`) ?? '' };
    const n = r.optString(o.v.node, `${p}.node`);
    if (n !== undefined) e.node = n;
    if (o.v.severity !== undefined) {
        const sev = r.oneOf(o.v.severity, `${p}.severity`, ['info', 'warning', 'unknown'] as const);
        if (sev !== undefined) e.severity = sev;
    }
    return e;
}
