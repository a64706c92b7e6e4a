// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Per-guest backup attempts from the task history. A multi-guest task has an empty task id, so
 * per-guest results come from its log (pve-platform.md §3.5); a task whose log could not be read
 * still tells a single guest's result through its id and status.
 */

import type { VzdumpTask } from '../model.ts';
import { parseLocalDateTime, utcOffsetAt } from '../time/zoned.ts';
import type { GuestBackupResult } from '../vzdump-log/types.ts';
import type { Attempt } from './report.ts';
import { isRunning } from './task-match.ts';

export interface AttemptSource {
    /** Tasks that served a scheduled run, by UPID → job id. */
    scheduled: ReadonlyMap<string, string>;
    timeZoneOf: (node: string) => string;
}

function guestStatus(task: VzdumpTask, g: GuestBackupResult): Attempt['status'] {
    switch (g.status) {
        case 'ok':
            // The guest's own WARN lines count whatever the task's end; a task-level warning that
            // no guest claims is shared by all of them.
            if (g.warnings.length > 0) return 'warnings';
            return task.log?.outcome === 'warnings' && !anyGuestWarned(task) ? 'warnings' : 'ok';
        case 'failed':
            return 'failed';
        case 'aborted':
            return 'aborted';
        case 'running':
            return isRunning(task) ? 'running' : 'unknown';
        default:
            return 'unknown';
    }
}

/** When no guest carries its own warning, a WARNINGS task's warning cannot be pinned on one guest. */
function anyGuestWarned(task: VzdumpTask): boolean {
    return task.log?.guests.some((g) => g.warnings.length > 0) ?? false;
}

function statusFromTask(task: VzdumpTask): Attempt['status'] {
    if (isRunning(task)) return 'running';
    if (task.status === 'OK') return 'ok';
    if (task.status.startsWith('WARNINGS')) return 'warnings';
    if (task.status === 'unexpected status') return 'failed';
    return task.status === '' ? 'unknown' : 'failed';
}

/**
 * Local log times → epoch, cheaply: the task's UTC offset applies to every line of the task
 * unless a DST change falls inside it, which the check catches (then the full conversion runs).
 */
function localTime(text: string | null, task: VzdumpTask, tz: string, offset: number): number | null {
    if (text === null) return null;
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
    if (!m) return parseLocalDateTime(text, tz);
    const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
    const epoch = wall - offset;
    return Math.abs(epoch - task.startTime) < 6 * 3600 && utcOffsetAt(epoch, tz) === offset ? epoch : parseLocalDateTime(text, tz);
}

function attemptFor(task: VzdumpTask, g: GuestBackupResult, src: AttemptSource, offset: number): Attempt {
    const tz = src.timeZoneOf(task.node);
    const end = localTime(g.endedLocal, task, tz, offset);
    const a: Attempt = {
        upid: task.upid,
        node: task.node,
        start: localTime(g.startedLocal, task, tz, offset) ?? task.startTime,
        status: guestStatus(task, g),
        scheduled: src.scheduled.has(task.upid),
    };
    const endTime = end ?? task.endTime;
    if (endTime !== undefined) a.end = endTime;
    const jobId = src.scheduled.get(task.upid) ?? task.jobId;
    if (jobId !== undefined) a.jobId = jobId;
    if (g.error !== null) a.error = g.error;
    if (g.durationSeconds !== null) a.durationSeconds = g.durationSeconds;
    if (g.sizeBytes !== null) a.sizeBytes = g.sizeBytes;
    if (g.archive !== null) a.archive = g.archive;
    const storage = task.log?.selection?.storage;
    if (storage) a.storage = storage;
    return a;
}

/** All attempts per VMID, oldest first. Skipped guests (on other nodes) are not attempts. */
export function collectAttempts(tasks: readonly VzdumpTask[], src: AttemptSource): Map<number, Attempt[]> {
    const byGuest = new Map<number, Attempt[]>();
    const add = (vmid: number, a: Attempt) => {
        let list = byGuest.get(vmid);
        if (!list) {
            list = [];
            byGuest.set(vmid, list);
        }
        list.push(a);
    };
    for (const task of tasks) {
        const log = task.log;
        if (log && log.guests.length > 0) {
            const offset = utcOffsetAt(task.startTime, src.timeZoneOf(task.node));
            for (const g of log.guests) if (g.status !== 'skipped') add(g.vmid, attemptFor(task, g, src, offset));
            continue;
        }
        const vmid = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
        if (vmid === undefined) continue;
        const a: Attempt = {
            upid: task.upid,
            node: task.node,
            start: task.startTime,
            status: statusFromTask(task),
            scheduled: src.scheduled.has(task.upid),
        };
        if (task.endTime !== undefined) a.end = task.endTime;
        if (a.status === 'failed') a.error = log?.jobError ?? task.status;
        add(vmid, a);
    }
    for (const list of byGuest.values()) list.sort((x, y) => x.start - y.start);
    return byGuest;
}

export function isGood(a: Attempt): boolean {
    return a.status === 'ok' || a.status === 'warnings';
}
