// SPDX-License-Identifier: AGPL-3.0-or-later
/** Client answers → the snapshot model (model.ts): the evaluator never sees API shapes. */

import type { BackupItem, BackupJob, BackupVerification, Guest, GuestType, StorageStatus, VzdumpTask } from '../../domain/model.ts';
import { parseUpid } from '../../domain/pve/upid.ts';
import type { ApiBackup, ApiBackupJob, ApiStorageStatus, ApiTask, ApiVmResource } from './types.ts';

/** Legacy vzdump.cron ids are `<sha1 of the file>:<n>` (pve-platform.md §4.2). */
const LEGACY_ID = /^[0-9a-f]{40}:\d+$/;

/** Keys mapped to BackupJob fields; everything else goes to `options`. */
const MAPPED = new Set(['id', 'type', 'schedule', 'enabled', 'vmid', 'all', 'exclude', 'pool', 'node', 'storage', 'comment', 'repeat-missed', 'prune-backups', 'next-run', 'digest']);

export function toBackupJob(j: ApiBackupJob): BackupJob {
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries(j.raw)) if (!MAPPED.has(k)) options[k] = v;
    const job: BackupJob = {
        id: j.id,
        origin: j.type === 'vzdump' || !LEGACY_ID.test(j.id) ? 'jobs.cfg' : 'vzdump.cron',
        schedule: j.schedule ?? '',
        enabled: j.enabled,
        selection: { all: j.all, vmids: j.vmids, exclude: j.exclude },
        repeatMissed: j.repeatMissed,
        options,
    };
    if (j.pool !== undefined) job.selection.pool = j.pool;
    if (j.node !== undefined) job.node = j.node;
    if (j.storage !== undefined) job.storage = j.storage;
    if (j.comment !== undefined) job.comment = j.comment;
    if (j.prune !== undefined) job.prune = j.prune;
    return job;
}

export function toGuest(r: ApiVmResource, remote: string | undefined): Guest {
    const g: Guest = {
        vmid: r.vmid,
        type: r.type,
        // Resources of an offline node can lack the name.
        name: r.name ?? `${r.type === 'qemu' ? 'VM' : 'CT'} ${r.vmid}`,
        node: r.node,
        template: r.template,
        tags: r.tags,
    };
    if (r.pool !== undefined) g.pool = r.pool;
    if (r.status !== undefined) g.status = r.status;
    if (r.lock !== undefined) g.lock = r.lock;
    if (remote !== undefined) g.remote = remote;
    return g;
}

export function isRunningTask(t: ApiTask): boolean {
    return t.endtime === undefined || t.status === undefined || t.status === 'RUNNING';
}

/** A task list entry as a VzdumpTask, without its log. */
export function toTask(t: ApiTask): VzdumpTask {
    const task: VzdumpTask = {
        upid: t.upid,
        node: t.node,
        startTime: t.starttime,
        status: isRunningTask(t) ? 'RUNNING' : (t.status ?? 'unexpected status'),
        user: t.user,
        id: t.id,
    };
    if (!isRunningTask(t) && t.endtime !== undefined) task.endTime = t.endtime;
    return task;
}

function backupType(b: ApiBackup): GuestType | undefined {
    if (b.subtype === 'qemu' || b.subtype === 'lxc') return b.subtype;
    if (/pbs-vm|^vma/.test(b.format ?? '') || /backup\/(vm\/|vzdump-qemu-)/.test(b.volid)) return 'qemu';
    if (/pbs-ct|^tar|^tgz/.test(b.format ?? '') || /backup\/(ct\/|vzdump-(lxc|openvz)-)/.test(b.volid)) return 'lxc';
    return undefined;
}

/** One frozen object per verification result (a verify job's result is every checked snapshot's). */
function verificationOf(raw: { state: string; upid?: string }, intern: (text: string) => string, verifications: Map<string, BackupVerification>): BackupVerification {
    const state = raw.state === 'ok' ? 'ok' : 'failed';
    const key = `${state} ${raw.upid ?? ''}`;
    const known = verifications.get(key);
    if (known) return known;
    const v: BackupVerification = { state };
    if (raw.upid !== undefined) {
        v.upid = intern(raw.upid);
        // The verification time exists only inside the PBS UPID (pve-platform.md §8.1).
        const parsed = parseUpid(raw.upid);
        if (parsed) v.time = parsed.startTime;
    }
    verifications.set(key, Object.freeze(v));
    return v;
}

/**
 * `intern` keeps one copy of texts that repeat across a storage's list (format, notes, the UPID
 * of a PBS verify job that checked many snapshots); `verifications` one copy of each result.
 */
export function toBackupItem(
    b: ApiBackup,
    storage: string,
    intern: (text: string) => string = (t) => t,
    verifications: Map<string, BackupVerification> = new Map(),
): BackupItem {
    const item: BackupItem = { volid: b.volid, storage, vmid: b.vmid, ctime: b.ctime };
    const type = backupType(b);
    if (type !== undefined) item.type = type;
    if (b.size !== undefined) item.size = b.size;
    if (b.format !== undefined) item.format = intern(b.format);
    if (b.protected) item.protected = true;
    if (b.encrypted) item.encrypted = true;
    if (b.notes !== undefined) item.notes = intern(b.notes);
    if (b.verification && (b.verification.state === 'ok' || b.verification.state === 'failed')) item.verification = verificationOf(b.verification, intern, verifications);
    return item;
}

export function toStorageStatus(s: ApiStorageStatus, node: string): StorageStatus {
    const out: StorageStatus = { storage: s.storage, node, type: s.type, shared: s.shared, active: s.active, enabled: s.enabled };
    if (s.total !== undefined) out.total = s.total;
    if (s.used !== undefined) out.used = s.used;
    if (s.avail !== undefined) out.avail = s.avail;
    return out;
}
