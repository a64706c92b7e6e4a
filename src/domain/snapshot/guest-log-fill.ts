// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * When a local task's log is missing or unreadable, the per-guest logs `/var/log/vzdump/<type>-
 * <vmid>.log` (latest run of each guest, local time stamps, pve-platform.md §4.8) can still tell
 * the guests' results: a guest log whose times fall inside the task's start/end window was written
 * by that task (one vzdump at a time per node: the node lock).
 *
 * A task log names every guest of the run; a guest that is absent from it "was not part of the
 * run". A log rebuilt from guest logs must therefore be complete, or it would turn guests whose
 * guest log was overwritten into false "missed" verdicts. It is built only when it is:
 *
 * - a single-guest task (its UPID id is the VMID) and that guest's log lies in its window;
 * - a multi-guest task that is the node's latest vzdump task (no later run can have overwritten
 *   one of its guest logs) and whose guest results agree with the task's final status.
 *
 * Otherwise the task keeps its log error and its guests stay unknown. Guests that failed before
 * their guest log was opened (`unable to find VM`, §5.3a) cannot be seen in guest logs at all.
 */

import type { VzdumpTask } from '../model.ts';
import { parseLocalDateTime } from '../time/zoned.ts';
import type { GuestBackupResult, ParsedVzdumpLog } from '../vzdump-log/types.ts';

/** One parsed guest log and where it was read. */
export interface GuestLogRecord {
    /** Host path, e.g. `/var/log/vzdump/qemu-100.log`; named in the evidence lines. */
    path: string;
    result: GuestBackupResult;
}

/** Guest log times are whole local seconds; the index end time is written after the last line. */
const SLACK = 2;

interface Placed {
    record: GuestLogRecord;
    start: number;
    end: number;
}

function place(r: GuestLogRecord, timeZone: string): Placed | null {
    const start = r.result.startedLocal === null ? null : parseLocalDateTime(r.result.startedLocal, timeZone);
    const end = r.result.endedLocal === null ? start : parseLocalDateTime(r.result.endedLocal, timeZone);
    if (start === null || end === null || end < start) return null;
    return { record: r, start, end };
}

function inside(p: Placed, task: VzdumpTask): boolean {
    return task.endTime !== undefined && p.start >= task.startTime - SLACK && p.end <= task.endTime + SLACK;
}

function outcomeOf(status: string): { outcome: ParsedVzdumpLog['outcome']; taskLine: string } | null {
    if (status === 'OK') return { outcome: 'ok', taskLine: 'OK' };
    if (/^WARNINGS: \d+$/.test(status)) return { outcome: 'warnings', taskLine: status };
    if (status === 'job errors') return { outcome: 'guest-failures', taskLine: 'ERROR: job errors' };
    return null;
}

/** The guests' results agree with the task's final status (a failure shows in some guest log). */
function consistent(status: string, guests: readonly GuestBackupResult[]): boolean {
    const failed = guests.some((g) => g.status !== 'ok');
    return status === 'job errors' ? failed : !failed;
}

function rebuild(task: VzdumpTask, placed: readonly Placed[]): ParsedVzdumpLog | null {
    const end = outcomeOf(task.status);
    if (!end || placed.length === 0) return null;
    const guests = placed.map(({ record }) => ({
            ...record.result,
            warnings: [...record.result.warnings],
            evidence: record.result.evidence.map((l) => ({ n: l.n, text: `${record.path}: ${l.text}` })),
        }));
    if (!consistent(task.status, guests)) return null;
    return {
        outcome: end.outcome,
        taskLine: end.taskLine,
        jobError: null,
        cmdline: null,
        options: {},
        selection: null,
        quiet: false,
        guests,
        warnings: [],
        evidence: [],
        lineCount: 0,
    };
}

/**
 * Returns the tasks with logs rebuilt from guest logs where that is sound (see above); other
 * tasks are returned unchanged. `timeZone` is the node's (guest logs carry local times). Pure.
 */
export function fillFromGuestLogs(tasks: readonly VzdumpTask[], logs: readonly GuestLogRecord[], timeZone: string): VzdumpTask[] {
    const placed = logs.map((r) => place(r, timeZone)).filter((p): p is Placed => p !== null);
    const finished = tasks.filter((t) => t.endTime !== undefined);
    // A guest log inside two task windows (a run that waited for the node lock) is ambiguous.
    const owner = new Map<Placed, VzdumpTask | null>();
    for (const p of placed) {
        const hits = finished.filter((t) => inside(p, t));
        owner.set(p, hits.length === 1 ? (hits[0] as VzdumpTask) : null);
    }
    const latestStart = new Map<string, number>();
    for (const t of tasks) latestStart.set(t.node, Math.max(latestStart.get(t.node) ?? t.startTime, t.startTime));
    return tasks.map((task) => {
        if (task.log !== undefined || task.endTime === undefined) return task;
        const mine = placed.filter((p) => owner.get(p) === task);
        const single = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
        let use: Placed[];
        if (single !== undefined) use = mine.filter((p) => p.record.result.vmid === single).slice(-1);
        else if (latestStart.get(task.node) === task.startTime) use = mine;
        else return task;
        use.sort((a, b) => a.start - b.start);
        const log = rebuild(task, use);
        if (!log) return task;
        const note = `per-guest results from ${use.map((p) => p.record.path).join(', ')}`;
        return { ...task, log, logError: task.logError === undefined ? note : `${task.logError}; ${note}` };
    });
}
