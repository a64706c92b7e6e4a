// SPDX-License-Identifier: AGPL-3.0-or-later
/** Use case "check": collect a snapshot from a source and judge it. */

import { evaluate } from '../domain/health/evaluate.ts';
import type { HealthReport } from '../domain/health/report.ts';
import type { EvaluationSettings } from '../domain/health/settings.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import type { SnapshotSource } from '../ports.ts';

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
