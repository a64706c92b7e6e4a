// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One report for several clusters (configured `remotes`). Each cluster is judged on its own —
 * VMIDs, node and job names repeat across clusters, so their snapshots cannot be evaluated
 * together — and the reports are joined here with every guest, problem, job, node, storage and
 * source error saying which remote it belongs to (none for the cluster checked itself).
 */

import type { Problem } from '../model.ts';
import type { HealthReport } from './report.ts';
import { sortProblems, worstStatus } from './summarize.ts';

export interface ClusterReport {
    /** The remote's name; absent for the cluster the check runs against itself. */
    remote?: string;
    report: HealthReport;
}

function tag<T extends object>(items: readonly T[], remote: string | undefined): T[] {
    return remote === undefined ? [...items] : items.map((x) => ({ ...x, remote }));
}

export function mergeReports(parts: readonly ClusterReport[]): HealthReport {
    const first = parts[0];
    if (!first) throw new Error('mergeReports: no cluster report');
    if (parts.length === 1 && first.remote === undefined) return first.report;
    const problems: Problem[] = sortProblems(parts.flatMap((p) => tag(p.report.problems, p.remote)));
    const guests = parts.flatMap((p) => tag(p.report.guests, p.remote));
    const sum = (key: keyof HealthReport['counts']) => parts.reduce((n, p) => n + p.report.counts[key], 0);
    const report: HealthReport = {
        version: 1,
        status: worstStatus(problems.map((p) => p.severity)),
        checkedAt: first.report.checkedAt,
        counts: {
            guests: sum('guests'), ok: sum('ok'), warning: sum('warning'), critical: sum('critical'), unknown: sum('unknown'),
            notCovered: sum('notCovered'), excluded: sum('excluded'), problems: sum('problems'),
        },
        problems,
        guests,
        jobs: parts.flatMap((p) => tag(p.report.jobs, p.remote)),
        nodes: parts.flatMap((p) => tag(p.report.nodes, p.remote)),
        storages: parts.flatMap((p) => tag(p.report.storages, p.remote)),
        sourceErrors: parts.flatMap((p) => tag(p.report.sourceErrors, p.remote)),
    };
    const local = parts.find((p) => p.remote === undefined);
    if (local?.report.cluster !== undefined) report.cluster = local.report.cluster;
    return report;
}
