// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The health evaluator: cluster snapshot + now + settings → report. Pure and deterministic.
 * Rules (pve-platform.md §6, README "How verdicts are reached"): every node runs every job for its
 * own guests; warnings are not failures; a DST-skipped run is never expected; templates and
 * ignore-tagged guests are not "not covered"; a moved guest is judged where it lived at run time;
 * a manual run counts as a backup but not as the scheduled run; unreadable data gives unknown.
 */

import type { BackupItem, BackupJob, ClusterSnapshot, Guest, Problem, ProblemCode, VzdumpTask } from '../model.ts';
import { AttemptBook } from './attempt-book.ts';
import { ScheduleCache, schedulePrevious } from './calendar.ts';
import { SelectionIndex, coverageOf, exclusionReason, notCoveredReason } from './coverage.ts';
import { guestLabel } from './format.ts';
import { anomalyProblems, lastGoodBackup, median, staleProblem, verifyProblems } from './guest-checks.ts';
import { judgeGuestRuns } from './guest-runs.ts';
import { jobProblems, runningLongProblems, storageProblems } from './job-checks.ts';
import { buildJobSlots } from './job-slots.ts';
import { PlacementIndex } from './placement.ts';
import type { Attempt, GuestReport, GuestRunExplanation, HealthReport } from './report.ts';
import type { MatchedSlot } from './slots.ts';
import { retentionProblems } from './retention.ts';
import { type EvaluationSettings, DEFAULT_SETTINGS, effectiveGrace } from './settings.ts';
import { GuestBackups } from './guest-backups.ts';
import { buildJobReports, buildStorageReports, finishReport, worstStatus } from './summarize.ts';
import { tasksByNode } from './task-match.ts';

/** Shared by every guest report without them (frozen: a report's lists are never changed in place). */
const NO_CODES: readonly ProblemCode[] = Object.freeze([]);
const NO_RUNS: readonly GuestRunExplanation[] = Object.freeze([]);
const NO_ATTEMPTS: readonly Attempt[] = Object.freeze([]);

export interface EvaluateOptions {
    /**
     * Whose `runs` and `attempts` the report carries: every guest's (default), none (the daemon's
     * cycle: 60 objects per guest were a third of its memory at 10 000 guests), or one VMID's
     * (the daemon's `/guests/{vmid}`). Verdicts are the same either way.
     */
    explain?: 'all' | 'none' | number;
}

export function evaluate(snapshot: ClusterSnapshot, now: number, settings: EvaluationSettings = DEFAULT_SETTINGS, options: EvaluateOptions = {}): HealthReport {
    const explain = options.explain ?? 'all';
    const explains = (vmid: number) => explain === 'all' || explain === vmid;
    const grace = effectiveGrace(settings);
    const zones = new Map(snapshot.nodes.map((n) => [n.name, n.timeZone || 'UTC']));
    const timeZoneOf = (node: string) => zones.get(node) ?? 'UTC';
    const unreadable = new Set<string>();
    for (const n of snapshot.nodes) if (!n.online || n.unreachable !== undefined) unreadable.add(n.name);
    const byNode = tasksByNode(snapshot.tasks);
    const schedules = new ScheduleCache();
    const placements = new PlacementIndex(snapshot.guests, snapshot.placements);
    const selection = new SelectionIndex(snapshot.jobs, snapshot.guests);
    const { slots, scheduled } = buildJobSlots({
        snapshot, now, grace, schedules, placements, selection, timeZoneOf, unreadable,
        tasksOf: (node) => byNode.get(node) ?? [],
    });
    const attempts = new AttemptBook(snapshot.tasks, { scheduled, timeZoneOf });
    const slotIndex = indexSlots(slots);
    const moved = new Set(placements.movedGuests());
    const backupsOf = new GuestBackups(snapshot.backups);
    const pbsStorages = new Set(snapshot.storages.filter((s) => s.type === 'pbs').map((s) => s.storage));
    const jobsById = new Map(snapshot.jobs.map((j) => [j.id, j]));
    const guestsById = new Map(snapshot.guests.map((g) => [g.vmid, g]));
    const problems: Problem[] = [];
    const guests: GuestReport[] = [];
    // What a job promised on a node is the same for each of its guests there: once per job × node.
    const promises = new Map<BackupJob, Map<string, number | null>>();
    const promiseOf = (job: BackupJob, node: string): number | null => {
        let perNode = promises.get(job);
        if (!perNode) {
            perNode = new Map();
            promises.set(job, perNode);
        }
        let p = perNode.get(node);
        if (p === undefined) {
            p = promisedRun(job, now, grace, schedules, timeZoneOf(node), byNode.get(node) ?? [], scheduled);
            perNode.set(node, p);
        }
        return p;
    };
    /** With several jobs the most recent promise counts. */
    const latestPromise = (jobs: readonly BackupJob[], node: string): number | null => {
        let best: number | null = null;
        for (const job of jobs) {
            const e = promiseOf(job, node);
            if (e !== null && (best === null || e > best)) best = e;
        }
        return best;
    };

    // Most guests share their list of jobs: one array and one schedule text per distinct list
    // (10 000 guests' copies were ~1 MiB of the report).
    const jobLists = new Map<string, { ids: string[]; schedule: string }>();
    const jobListOf = (jobs: readonly BackupJob[]) => {
        const key = jobs.map((j) => j.id).join('\n');
        let l = jobLists.get(key);
        if (!l) {
            l = { ids: Object.freeze(jobs.map((j) => j.id)) as string[], schedule: [...new Set(jobs.map((j) => schedules.text(j.schedule)))].join(', ') };
            jobLists.set(key, l);
        }
        return l;
    };

    for (const guest of snapshot.guests) {
        const mine = attempts.of(guest.vmid);
        const backups = backupsOf.of(guest.vmid);
        const explained = explains(guest.vmid);
        const report = baseGuestReport(guest, mine, backups, explained);
        const excluded = exclusionReason(guest, settings.ignoreTag);
        const cov = coverageOf(guest, selection.jobsOf(guest));
        const jobList = jobListOf(cov.effective);
        report.jobs = jobList.ids;
        report.schedule = jobList.schedule;
        const gp: Problem[] = [];
        if (excluded !== null) {
            report.coverage = 'excluded';
            report.excludedReason = excluded;
        } else if (cov.effective.length === 0) {
            report.coverage = 'not-covered';
            gp.push({
                code: 'not-covered', severity: 'warning', vmid: guest.vmid, guestName: guest.name, node: guest.node,
                message: `${guestLabel(guest.name, guest.vmid)} on ${guest.node} is not backed up: ${notCoveredReason(cov)}`,
                evidence: { details: { disabledJobs: cov.disabled.map((j) => j.id).join(',') || null, otherNodeJobs: cov.otherNode.map((j) => j.id).join(',') || null } },
            });
        }
        if (cov.effective.length > 0) {
            const verdict = judgeGuestRuns({
                guest, jobs: cov.effective, attempts: mine, timeZoneOf, explain: explained,
                slotsOf: (id) => slotsOnNodes(slotIndex, id, moved.has(guest.vmid) ? placements.nodesOf(guest.vmid) : [guest.node]),
                nodeAt: (t) => placements.nodeAt(guest.vmid, t) ?? guest.node,
            });
            gp.push(...verdict.problems);
            if (explained) report.runs = verdict.runs.slice(0, 30);
            if (verdict.unknown || unreadable.has(guest.node)) report.problems.push('source-unreachable');
            // A job whose calendar cannot be read cannot vouch for the guest: unknown, never ok.
            if (cov.effective.some((j) => typeof schedules.get(j.schedule) === 'string')) report.problems.push('schedule-invalid');
            const promised = verdict.suppressStale || unreadable.has(guest.node) ? null : latestPromise(cov.effective, guest.node);
            const last = lastGoodBackup(mine, backups);
            if (promised !== null && (last !== undefined || verdict.judged)) {
                const stale = staleProblem(guest, last, promised, now, snapshot.historyFrom, timeZoneOf(guest.node));
                if (stale) gp.push(stale);
            }
            gp.push(...anomalyProblems(guest, mine, settings));
        }
        const pbs = backups.filter((b) => pbsStorages.has(b.storage) || b.verification !== undefined);
        gp.push(...verifyProblems(guest, pbs, now, settings));
        gp.push(...retentionProblems(guest, backups, cov.effective, snapshot.storages, timeZoneOf(guest.node)));
        fillVerify(report, pbs);
        problems.push(...gp);
        guests.push(report);
    }

    const inventoryComplete = !snapshot.sourceErrors.some((e) => e.node === undefined && (e.severity ?? 'unknown') === 'unknown');
    for (const job of snapshot.jobs) {
        const parsed = schedules.get(job.schedule);
        problems.push(...jobProblems(job, guestsById, inventoryComplete, typeof parsed === 'string' ? parsed : undefined));
    }
    problems.push(...runningLongProblems(snapshot.tasks, snapshot.jobs, scheduled, guestsById, now, settings));
    problems.push(...storageProblems(snapshot.storages, settings));
    for (const e of snapshot.sourceErrors) {
        const p: Problem = { code: 'source-unreachable', severity: e.severity ?? 'unknown', message: `${e.what}: ${e.message}`, evidence: {} };
        if (e.node !== undefined) p.node = e.node;
        problems.push(p);
    }
    for (const n of snapshot.nodes) {
        if (n.online && n.unreachable === undefined) continue;
        problems.push({ code: 'source-unreachable', severity: 'unknown', node: n.name, message: `node ${n.name} is ${n.online ? 'unreachable' : 'offline'}${n.unreachable ? `: ${n.unreachable}` : ''}: the backups of its guests cannot be checked`, evidence: {} });
    }
    guestStatuses(guests, problems);
    const jobs = buildJobReports(snapshot, { slots, results: attempts.jobResults(), problems, schedules, now, timeZoneOf, jobsById, selection });
    const storages = buildStorageReports(snapshot, problems, backupsOf.storageCounts());
    return finishReport(snapshot, now, problems, guests, jobs, storages);
}

/**
 * A guest's status is the worst of every problem naming it — its own checks and task-level ones
 * such as a long-running task — and unknown when its data could not be read.
 */
function guestStatuses(guests: GuestReport[], problems: readonly Problem[]): void {
    const byVmid = new Map<number, Problem[]>();
    for (const p of problems) {
        if (p.vmid === undefined) continue;
        const l = byVmid.get(p.vmid);
        if (l) l.push(p);
        else byVmid.set(p.vmid, [p]);
    }
    for (const g of guests) {
        const mine = byVmid.get(g.vmid) ?? [];
        const blind = g.problems.includes('source-unreachable') || g.problems.includes('schedule-invalid');
        const codes = [...new Set([...g.problems, ...mine.map((p) => p.code)])];
        g.problems = codes.length > 0 ? codes : (NO_CODES as ProblemCode[]);
        g.status = worstStatus(mine.map((p) => p.severity).concat(blind ? ['unknown'] : []));
    }
}

/** Slots per job and node, so a guest looks only at the runs of the nodes it lived on. */
function indexSlots(slots: ReadonlyMap<string, MatchedSlot[]>): Map<string, Map<string, MatchedSlot[]>> {
    const index = new Map<string, Map<string, MatchedSlot[]>>();
    for (const [job, list] of slots) {
        const byNode = new Map<string, MatchedSlot[]>();
        for (const s of list) {
            const l = byNode.get(s.node);
            if (l) l.push(s);
            else byNode.set(s.node, [s]);
        }
        index.set(job, byNode);
    }
    return index;
}

function slotsOnNodes(index: Map<string, Map<string, MatchedSlot[]>>, job: string, nodes: readonly string[]): MatchedSlot[] {
    const byNode = index.get(job);
    if (!byNode) return [];
    if (nodes.length === 1) return byNode.get(nodes[0] as string) ?? [];
    return nodes.flatMap((n) => byNode.get(n) ?? []).sort((a, b) => a.time - b.time);
}

function baseGuestReport(guest: Guest, attempts: GuestReport['attempts'], backups: readonly BackupItem[], explained: boolean): GuestReport {
    const r: GuestReport = {
        vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, status: 'ok', coverage: 'covered',
        jobs: [], schedule: '', problems: [], runs: NO_RUNS as GuestRunExplanation[], attempts: explained ? attempts.slice(-30).reverse() : (NO_ATTEMPTS as Attempt[]),
    };
    if (guest.remote !== undefined) r.remote = guest.remote;
    const last = lastGoodBackup(attempts, backups);
    if (last) r.lastSuccess = last.time;
    if (last?.upid) r.lastSuccessUpid = last.upid;
    const latest = attempts[attempts.length - 1];
    if (latest) r.lastResult = latest;
    const trend = attempts.filter((a) => a.sizeBytes !== undefined && (a.status === 'ok' || a.status === 'warnings')).slice(-10).map((a) => a.sizeBytes as number);
    if (trend.length > 0) r.sizeTrend = trend;
    const sized = [...attempts].reverse().find((a) => a.sizeBytes !== undefined);
    if (sized?.sizeBytes !== undefined) r.lastSizeBytes = sized.sizeBytes;
    const timed = [...attempts].reverse().find((a) => a.durationSeconds !== undefined);
    if (timed?.durationSeconds !== undefined) r.lastDurationSeconds = timed.durationSeconds;
    const storage = latest?.storage ?? [...backups].sort((a, b) => b.ctime - a.ctime)[0]?.storage;
    if (storage !== undefined) r.storage = storage;
    return r;
}

function fillVerify(r: GuestReport, pbs: readonly BackupItem[]): void {
    if (pbs.length === 0) {
        r.verify = 'not-applicable';
        return;
    }
    const v = [...pbs].sort((a, b) => b.ctime - a.ctime).find((b) => b.verification !== undefined)?.verification;
    r.verify = v ? v.state : 'none';
    if (v?.time !== undefined) r.verifiedAt = v.time;
}

/**
 * The latest run the job's current schedule promised by now on a node: its time + grace + the
 * job's usual run time there has passed.
 */
function promisedRun(
    job: { id: string; schedule: string },
    now: number,
    grace: number,
    schedules: ScheduleCache,
    timeZone: string,
    nodeTasks: readonly VzdumpTask[],
    scheduled: ReadonlyMap<string, string>,
): number | null {
    const s = schedules.get(job.schedule);
    if (typeof s === 'string') return null;
    const durations = nodeTasks.filter((t) => t.endTime !== undefined && scheduled.get(t.upid) === job.id).map((t) => (t.endTime as number) - t.startTime);
    const typical = durations.length > 0 ? median(durations) : 0;
    return schedulePrevious(s, now - grace - typical + 1, timeZone);
}
