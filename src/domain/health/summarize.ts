// SPDX-License-Identifier: AGPL-3.0-or-later
/** Folds problems into statuses, counts and the job/storage views of the report. */

import type { BackupJob, ClusterSnapshot, Problem, Severity, Status } from '../model.ts';
import { type ScheduleCache, scheduleNext, scheduleText } from './calendar.ts';
import { type SelectionIndex, jobRunsOn } from './coverage.ts';
import { rfc3339 } from './format.ts';
import type { GuestReport, HealthReport, JobNodeReport, JobReport, StorageReport } from './report.ts';
import type { MatchedSlot } from './slots.ts';

const RANK: Record<Status, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/**
 * Worst of several severities. Unknown ranks above warning: "we cannot tell" may hide a failure,
 * so it must not look better than a known warning; a known critical still wins.
 */
export function worstStatus(severities: readonly Severity[]): Status {
    let worst: Status = 'ok';
    for (const s of severities) {
        if (s === 'info') continue;
        if (RANK[s] > RANK[worst]) worst = s;
    }
    return worst;
}

const ORDER: Record<Severity, number> = { critical: 0, unknown: 1, warning: 2, info: 3 };

export function sortProblems(problems: Problem[]): Problem[] {
    return problems.sort(
        (a, b) =>
            ORDER[a.severity] - ORDER[b.severity] ||
            (a.guestName ?? '\uffff').localeCompare(b.guestName ?? '\uffff') ||
            (a.vmid ?? 0) - (b.vmid ?? 0) ||
            a.code.localeCompare(b.code) ||
            (a.job ?? '').localeCompare(b.job ?? ''),
    );
}

export interface JobReportInput {
    slots: ReadonlyMap<string, MatchedSlot[]>;
    /** Each job's scheduled runs' results over every guest's attempts (AttemptBook.jobResults). */
    results: ReadonlyMap<string, JobReport['results']>;
    problems: readonly Problem[];
    schedules: ScheduleCache;
    now: number;
    timeZoneOf: (node: string) => string;
    jobsById: ReadonlyMap<string, BackupJob>;
    selection: SelectionIndex;
}

export function buildJobReports(snapshot: ClusterSnapshot, input: JobReportInput): JobReport[] {
    return snapshot.jobs.map((job) => {
        const parsed = input.schedules.get(job.schedule);
        const slots = input.slots.get(job.id) ?? [];
        const nodes: JobNodeReport[] = [];
        let nextRun: number | undefined;
        for (const n of snapshot.nodes) {
            if (!jobRunsOn(job, n.name)) continue;
            const mine = slots.filter((s) => s.node === n.name);
            const nr: JobNodeReport = { node: n.name, ran: mine.filter((s) => s.state === 'ran').length, missed: mine.filter((s) => s.state === 'missed').length };
            const last = [...mine].reverse().find((s) => s.state === 'ran' || s.state === 'missed');
            if (last) {
                const { task: _task, ...plain } = last;
                nr.lastRun = plain;
            }
            if (typeof parsed !== 'string' && job.enabled) {
                const next = scheduleNext(parsed, input.now, input.timeZoneOf(n.name));
                if (next !== null) {
                    nr.nextRun = next;
                    if (nextRun === undefined || next < nextRun) nextRun = next;
                }
            }
            if (mine.length > 0 || nr.nextRun !== undefined) nodes.push(nr);
        }
        const r = { ...(input.results.get(job.id) ?? { ok: 0, warnings: 0, failed: 0, missed: 0 }) };
        r.missed = slots.filter((s) => s.state === 'missed').length;
        const mineProblems = input.problems.filter((p) => p.job === job.id);
        const report: JobReport = {
            id: job.id, origin: job.origin, schedule: job.schedule, scheduleText: scheduleText(job.schedule), enabled: job.enabled,
            status: worstStatus(mineProblems.map((p) => p.severity)),
            guests: input.selection.guestsOf(job).map((g) => g.vmid).sort((a, b) => a - b),
            nodes, results: r, problems: [...new Set(mineProblems.map((p) => p.code))],
        };
        if (typeof parsed === 'string') report.scheduleError = parsed;
        if (nextRun !== undefined) report.nextRun = nextRun;
        if (job.node !== undefined) report.node = job.node;
        if (job.storage !== undefined) report.storage = job.storage;
        if (job.comment !== undefined) report.comment = job.comment;
        return report;
    });
}

/** `counts`: backups per storage, without repeated volids (guest-backups.ts). */
export function buildStorageReports(snapshot: ClusterSnapshot, problems: readonly Problem[], counts: ReadonlyMap<string, number>): StorageReport[] {
    const seen = new Set<string>();
    const out: StorageReport[] = [];
    for (const s of snapshot.storages) {
        const key = s.shared ? s.storage : `${s.node}/${s.storage}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const r: StorageReport = {
            storage: s.storage, node: s.node, shared: s.shared, type: s.type,
            backups: counts.get(s.storage) ?? 0,
            status: worstStatus(problems.filter((p) => p.code === 'storage-low' && p.storage === s.storage).map((p) => p.severity)),
        };
        if (s.total !== undefined) r.total = s.total;
        if (s.used !== undefined) r.used = s.used;
        if (s.total !== undefined && s.used !== undefined && s.total > 0) r.usedFraction = Number((s.used / s.total).toFixed(4));
        out.push(r);
    }
    return out;
}

export function finishReport(
    snapshot: ClusterSnapshot,
    now: number,
    problems: Problem[],
    guests: GuestReport[],
    jobs: JobReport[],
    storages: StorageReport[],
): HealthReport {
    sortProblems(problems);
    const statusOrder: Record<Status, number> = { critical: 0, unknown: 1, warning: 2, ok: 3 };
    guests.sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || a.name.localeCompare(b.name) || a.vmid - b.vmid);
    const count = (s: Status) => guests.filter((g) => g.status === s).length;
    const report: HealthReport = {
        version: 1,
        status: worstStatus(problems.map((p) => p.severity)),
        checkedAt: rfc3339(now),
        counts: {
            guests: guests.length, ok: count('ok'), warning: count('warning'), critical: count('critical'), unknown: count('unknown'),
            notCovered: guests.filter((g) => g.coverage === 'not-covered').length,
            excluded: guests.filter((g) => g.coverage === 'excluded').length,
            problems: problems.filter((p) => p.severity !== 'info').length,
        },
        problems, guests, jobs, nodes: snapshot.nodes, storages, sourceErrors: snapshot.sourceErrors,
    };
    if (snapshot.cluster !== undefined) report.cluster = snapshot.cluster;
    if (snapshot.remote !== undefined) report.remote = snapshot.remote;
    return report;
}

/** The report with problems found outside the evaluation (e.g. configuration archives) added. */
export function withExtraProblems(report: HealthReport, extra: readonly Problem[]): HealthReport {
    if (extra.length === 0) return report;
    const problems = sortProblems([...report.problems, ...extra]);
    return {
        ...report,
        problems,
        status: worstStatus(problems.map((p) => p.severity)),
        counts: { ...report.counts, problems: problems.filter((p) => p.severity !== 'info').length },
    };
}
