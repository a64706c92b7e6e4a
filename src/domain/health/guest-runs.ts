// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The verdict on a guest's scheduled runs: the latest due run of each job that backs it up
 * decides (failed, missed, warnings); older runs only appear in the explanation.
 */

import type { BackupJob, Guest, LogEvidence, Problem, VzdumpTask } from '../model.ts';
import { guestResultOf, hasGuestResult } from '../snapshot/guest-table.ts';
import { isGood } from './attempts.ts';
import { formatLocal, guestLabel } from './format.ts';
import type { Attempt, GuestRunExplanation } from './report.ts';
import type { MatchedSlot } from './slots.ts';

export interface GuestRunInput {
    guest: Guest;
    jobs: readonly BackupJob[];
    /** The job's expected runs on the nodes this guest lived on (ascending); filtered by nodeAt here. */
    slotsOf: (jobId: string) => readonly MatchedSlot[];
    nodeAt: (time: number) => string | undefined;
    attempts: readonly Attempt[];
    timeZoneOf: (node: string) => string;
    /** Build `runs` (the explanation); off when the report carries none. Default on. */
    explain?: boolean;
}

export interface GuestRunVerdict {
    problems: Problem[];
    runs: GuestRunExplanation[];
    /** A due run was judged (ran or missed). */
    judged: boolean;
    /**
     * The latest due run failed, was missed, is still running or has an unknown result: staleness
     * would only repeat a known cause, or guess where we cannot know (field-notes: Pulse #2136).
     */
    suppressStale: boolean;
    /** A due run could not be judged because its node is unreadable. */
    unknown: boolean;
}

/** Lines of the task log that decide this guest's result (its own block, else the job's). */
export function decisiveLines(task: VzdumpTask | undefined, vmid: number): LogEvidence[] {
    const log = task?.log;
    if (!task || !log) return [];
    const g = guestResultOf(log.guests, vmid);
    const lines = g && g.evidence.length > 0 ? g.evidence : log.evidence;
    return lines.map((l) => ({ upid: task.upid, n: l.n, text: l.text }));
}

type GuestOutcome = NonNullable<GuestRunExplanation['guestStatus']>;

/** A guest's attempts by UPID (the first one of a UPID, like `find`): every slot looks its task up. */
type AttemptIndex = ReadonlyMap<string, Attempt>;

function indexAttempts(attempts: readonly Attempt[]): AttemptIndex {
    const m = new Map<string, Attempt>();
    for (const a of attempts) if (!m.has(a.upid)) m.set(a.upid, a);
    return m;
}

function guestOutcome(slot: MatchedSlot, vmid: number, attempts: AttemptIndex): GuestOutcome {
    const a = slot.upid === undefined ? undefined : attempts.get(slot.upid);
    if (a) return a.status;
    const task = slot.task;
    if (!task?.log) {
        if (task?.status === 'OK') return 'ok';
        if (task?.status.startsWith('WARNINGS')) return 'warnings';
        return task && task.endTime === undefined ? 'running' : 'unknown';
    }
    const o = task.log.outcome;
    if (o === 'job-failed' || o === 'unexpected' || o === 'interrupted') return 'failed';
    if (o === 'running') return 'running';
    return hasGuestResult(task.log.guests, vmid) ? 'unknown' : 'absent';
}

/** The job's runs that concerned this guest: on the node it lived on at each run's time. */
function guestSlots(input: GuestRunInput, jobId: string): MatchedSlot[] {
    return input.slotsOf(jobId).filter((s) => input.nodeAt(s.time) === s.node);
}

export function judgeGuestRuns(input: GuestRunInput): GuestRunVerdict {
    const { guest } = input;
    const v: GuestRunVerdict = { problems: [], runs: [], judged: false, suppressStale: false, unknown: false };
    const byUpid = indexAttempts(input.attempts);
    for (const job of input.jobs) {
        const mine = guestSlots(input, job.id);
        if (input.explain !== false) for (const s of mine.slice(-10)) v.runs.push(explain(job, s, guest.vmid, byUpid));
        const latest = [...mine].reverse().find((s) => s.state === 'ran' || s.state === 'missed' || s.state === 'unknown');
        if (!latest) continue;
        if (latest.state === 'unknown') {
            v.unknown = true;
            v.suppressStale = true;
            continue;
        }
        v.judged = true;
        if (latest.state === 'missed') v.suppressStale = true;
        else if (!['ok', 'warnings'].includes(guestOutcome(latest, guest.vmid, byUpid))) v.suppressStale = true;
        const p = latest.state === 'missed' ? missed(input, job, latest, mine) : ran(input, job, latest, byUpid);
        if (p) v.problems.push(p);
    }
    v.runs.sort((a, b) => b.time - a.time);
    return v;
}

function explain(job: BackupJob, s: MatchedSlot, vmid: number, attempts: AttemptIndex): GuestRunExplanation {
    const e: GuestRunExplanation = { job: job.id, node: s.node, time: s.time, state: s.state };
    if (s.upid !== undefined) e.upid = s.upid;
    const outcome = s.state === 'ran' ? guestOutcome(s, vmid, attempts) : undefined;
    if (outcome !== undefined) e.guestStatus = outcome;
    if (s.state === 'dst-ambiguous') e.why = 'inside the repeated DST hour: PVE may fire at either occurrence';
    return e;
}

function base(input: GuestRunInput, job: BackupJob, slot: MatchedSlot): Omit<Problem, 'code' | 'severity' | 'message'> {
    return {
        vmid: input.guest.vmid,
        guestName: input.guest.name,
        job: job.id,
        node: slot.node,
        evidence: {
            expectedRuns: [slot.time],
            tasks: slot.upid ? [slot.upid] : [],
            logLines: decisiveLines(slot.task, input.guest.vmid),
        },
    };
}

function laterGood(attempts: readonly Attempt[], after: number): Attempt | undefined {
    return attempts.find((a) => a.start > after && isGood(a));
}

function missed(input: GuestRunInput, job: BackupJob, slot: MatchedSlot, mine: readonly MatchedSlot[]): Problem {
    const tz = input.timeZoneOf(slot.node);
    const when = formatLocal(slot.time, tz);
    let streak = 0;
    for (let i = mine.length - 1; i >= 0 && mine[i]?.state === 'missed'; i--) streak++;
    const manual = laterGood(input.attempts, slot.time);
    const label = guestLabel(input.guest.name, input.guest.vmid);
    const more = streak > 1 ? ` (${streak} scheduled runs in a row)` : '';
    const message = manual
        ? `${label}: scheduled backup of job ${job.id} due ${when} on ${slot.node} did not start${more}; a manual backup ran later`
        : `${label}: scheduled backup of job ${job.id} due ${when} on ${slot.node} did not start${more} (node down or scheduler not running?)`;
    const p: Problem = { ...base(input, job, slot), code: 'backup-missed', severity: manual ? 'warning' : 'critical', message };
    p.evidence.details = { missedInARow: streak, timeZone: tz, laterManualBackup: manual?.upid ?? null };
    return p;
}

/** How many of the job's latest due runs in a row failed for this guest. */
function failedStreak(input: GuestRunInput, job: BackupJob, vmid: number, byUpid: AttemptIndex): number {
    const mine = guestSlots(input, job.id).filter((s) => s.state === 'ran' || s.state === 'missed');
    let n = 0;
    for (let i = mine.length - 1; i >= 0; i--) {
        const s = mine[i] as MatchedSlot;
        const o = s.state === 'ran' ? guestOutcome(s, vmid, byUpid) : 'missed';
        if (o !== 'failed' && o !== 'aborted') break;
        n++;
    }
    return n;
}

function ran(input: GuestRunInput, job: BackupJob, slot: MatchedSlot, byUpid: AttemptIndex): Problem | null {
    const vmid = input.guest.vmid;
    const status = guestOutcome(slot, vmid, byUpid);
    const label = guestLabel(input.guest.name, vmid);
    const when = formatLocal(slot.time, input.timeZoneOf(slot.node));
    const attempt = slot.upid === undefined ? undefined : byUpid.get(slot.upid);
    if (status === 'failed' || status === 'aborted') {
        const fix = laterGood(input.attempts, slot.time);
        if (fix) return null;
        const err = attempt?.error ?? slot.task?.log?.jobError ?? slot.task?.status ?? 'unknown error';
        const what = status === 'aborted' ? 'was aborted' : 'failed';
        const streak = failedStreak(input, job, vmid, byUpid);
        const more = streak > 1 ? ` (${streak} scheduled runs in a row)` : '';
        const message = `${label}: backup by job ${job.id} at ${when} on ${slot.node} ${what}${more}: ${err}`;
        const p: Problem = { ...base(input, job, slot), code: 'backup-failed', severity: 'critical', message };
        p.evidence.details = { failedInARow: streak };
        return p;
    }
    if (status === 'warnings') {
        const log = slot.task?.log;
        const warn = (log ? guestResultOf(log.guests, vmid)?.warnings[0] : undefined) ?? log?.warnings[0];
        const message = `${label}: backup by job ${job.id} at ${when} finished with warnings${warn ? `: ${warn}` : ''}`;
        return { ...base(input, job, slot), code: 'backup-warnings', severity: 'warning', message };
    }
    if (status === 'absent') {
        if (laterGood(input.attempts, slot.time)) return null;
        const message = `${label}: the run of job ${job.id} at ${when} on ${slot.node} did not include this guest`;
        return { ...base(input, job, slot), code: 'backup-missed', severity: 'warning', message };
    }
    if (status === 'unknown') {
        const message = `${label}: result of the run of job ${job.id} at ${when} on ${slot.node} is unknown (task log unreadable: ${slot.task?.logError ?? 'no per-guest result'})`;
        return { ...base(input, job, slot), code: 'source-unreachable', severity: 'unknown', message };
    }
    return null;
}
