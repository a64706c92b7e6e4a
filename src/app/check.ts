// SPDX-License-Identifier: AGPL-3.0-or-later
/** Use case "check": collect a snapshot from a source and judge it. */

import { evaluate } from '../domain/health/evaluate.ts';
import { type ClusterReport, mergeReports } from '../domain/health/merge-reports.ts';
import type { HealthReport } from '../domain/health/report.ts';
import type { EvaluationSettings } from '../domain/health/settings.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import type { SnapshotSource } from '../ports.ts';
import { unreadableSnapshot } from './check-cycle.ts';

export interface CheckResult {
    snapshot: ClusterSnapshot;
    report: HealthReport;
}

export interface CheckRequest {
    source: SnapshotSource;
    settings: EvaluationSettings;
    now: number;
    historyDays: number;
    onProgress?: (message: string) => void;
}

export async function runCheck(req: CheckRequest): Promise<CheckResult> {
    const options = { now: req.now, historyFrom: req.now - req.historyDays * 86400, ...(req.onProgress ? { onProgress: req.onProgress } : {}) };
    const snapshot = await req.source.collect(options);
    return { snapshot, report: evaluate(snapshot, req.now, req.settings) };
}

/** Nagios plugin convention: 0 ok, 1 warning, 2 critical, 3 unknown. */
export function exitCodeFor(report: HealthReport): number {
    return { ok: 0, warning: 1, critical: 2, unknown: 3 }[report.status];
}

export interface ClusterSourceEntry {
    /** The remote's name; absent for the cluster checked itself. */
    remote?: string;
    source: SnapshotSource;
}

/**
 * Several clusters (the one checked plus configured remotes), collected side by side and judged
 * each on its own, then joined (`mergeReports`). A cluster that cannot be read turns unknown in
 * the joint report — with the reason as its source error — instead of hiding the others.
 */
export async function runClusterChecks(clusters: readonly ClusterSourceEntry[], req: Omit<CheckRequest, 'source'>): Promise<HealthReport> {
    const historyFrom = req.now - req.historyDays * 86400;
    const parts = await Promise.all(
        clusters.map(async (c): Promise<ClusterReport> => {
            const tag = (m: string) => (c.remote === undefined ? m : `${c.remote}: ${m}`);
            const onProgress = req.onProgress;
            try {
                const { report } = await runCheck({ ...req, source: c.source, ...(onProgress ? { onProgress: (m: string) => onProgress(tag(m)) } : {}) });
                return { ...(c.remote !== undefined ? { remote: c.remote } : {}), report };
            } catch (e) {
                const failed = unreadableSnapshot(undefined, req.now, historyFrom, c.source.describe, e instanceof Error ? e.message : String(e));
                return { ...(c.remote !== undefined ? { remote: c.remote } : {}), report: evaluate(failed, req.now, req.settings) };
            }
        }),
    );
    return mergeReports(parts);
}
