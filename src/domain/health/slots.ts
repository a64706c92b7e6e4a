// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Expected scheduled runs of a job on a node, and the task that served each of them.
 * A run is expected where PVE's scheduler would really fire (same calendar engine, the node's
 * time zone, DST gaps skipped) on a node that had at least one of the job's guests at that time.
 */

import type { BackupJob, VzdumpTask } from '../model.ts';
import { type ParsedSchedule, isRepeatedLocalTime, scheduleEventsBetween } from './calendar.ts';
import type { SlotReport } from './report.ts';
import { firstStartingAt, isRunning, isScheduledTask, taskMatchesJob } from './task-match.ts';

/** Clock slack: pvescheduler starts jobs 0–60 s after the computed time (pve-platform.md §6). */
const EARLY_SLACK = 60;
/** At most this many expected runs per job and node are kept (e.g. `minutely` over 35 days). */
const MAX_SLOTS = 5000;

export interface SchedulePeriod {
    /** Exclusive start and inclusive end of the period, epoch seconds. */
    from: number;
    to: number;
    schedule: ParsedSchedule | null;
    enabled: boolean;
}

export interface SlotContext {
    now: number;
    grace: number;
    timeZone: string;
    /** True when this node's task list could not be read: no verdicts, only `unknown`. */
    nodeUnreadable: boolean;
    /** Whether the node had at least one of the job's guests at time t. */
    hasGuestsAt: (t: number) => boolean;
}

/** Expected run times of a job in its schedule periods, ascending. */
export function expectedTimes(periods: readonly SchedulePeriod[], timeZone: string): number[] {
    const out: number[] = [];
    for (const p of periods) {
        if (!p.enabled || !p.schedule || p.to <= p.from) continue;
        for (const t of scheduleEventsBetween(p.schedule, p.from, p.to, timeZone, MAX_SLOTS)) out.push(t);
    }
    return out.length > MAX_SLOTS ? out.slice(out.length - MAX_SLOTS) : out;
}

export interface MatchedSlot extends SlotReport {
    task?: VzdumpTask;
}

/**
 * Pairs each expected run with the scheduled task that served it. A task serves at most one run
 * of a job. A run that overlapped a still-running previous run starts right after that one ends
 * (PVE's catch-up run), so the window then extends to the previous end.
 */
export function matchSlots(
    job: BackupJob,
    times: readonly number[],
    nodeTasks: readonly VzdumpTask[],
    node: string,
    ctx: SlotContext,
): MatchedSlot[] {
    const used = new Set<string>();
    const out: MatchedSlot[] = [];
    let previousEnd: number | undefined;
    for (const time of times) {
        if (!ctx.hasGuestsAt(time)) continue;
        const ambiguous = isRepeatedLocalTime(time, ctx.timeZone);
        let until = time + ctx.grace + (ambiguous ? 3600 : 0);
        if (previousEnd !== undefined && previousEnd > time) until = Math.max(until, previousEnd + ctx.grace);
        if (job.repeatMissed) until = Math.max(until, nextOrNow(times, time, ctx.now));
        const task = findTask(job, nodeTasks, time - EARLY_SLACK, until, used);
        if (task) {
            used.add(task.upid);
            previousEnd = isRunning(task) ? ctx.now : (task.endTime ?? task.startTime);
            out.push({ time, node, state: 'ran', upid: task.upid, taskStatus: task.status, task });
            continue;
        }
        out.push({ time, node, state: unmatchedState(time, ambiguous, ctx) });
    }
    return out;
}

function unmatchedState(time: number, ambiguous: boolean, ctx: SlotContext): MatchedSlot['state'] {
    if (ctx.nodeUnreadable) return 'unknown';
    if (time + ctx.grace > ctx.now) return 'pending';
    if (ambiguous) return 'dst-ambiguous';
    return 'missed';
}

/** With repeat-missed, a run missed during downtime starts late, up to the next scheduled time. */
function nextOrNow(times: readonly number[], time: number, now: number): number {
    const next = times.find((t) => t > time);
    return next ?? now;
}

function findTask(
    job: BackupJob,
    tasks: readonly VzdumpTask[],
    from: number,
    until: number,
    used: ReadonlySet<string>,
): VzdumpTask | undefined {
    let fallback: VzdumpTask | undefined;
    for (let i = firstStartingAt(tasks, from); i < tasks.length; i++) {
        const task = tasks[i] as VzdumpTask;
        if (task.startTime > until) break;
        if (used.has(task.upid) || isScheduledTask(task) === 'no') continue;
        const m = taskMatchesJob(task, job);
        if (m === 'yes') return task;
        if (m === 'unknown' && !fallback) fallback = task;
    }
    return fallback;
}
