// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One check cycle of the daemon: collect, remember what PVE forgets (placements, job edits),
 * evaluate. When collection fails, the previous data is judged with every node marked
 * unreachable, so the report turns unknown instead of showing a stale OK.
 */

import { evaluate } from '../domain/health/evaluate.ts';
import type { HealthReport } from '../domain/health/report.ts';
import { type Tracking, applyTracking } from '../domain/history/tracking.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import type { SnapshotSource } from '../ports.ts';
import type { CycleSettings } from './daemon-types.ts';

export interface CycleResult {
    snapshot: ClusterSnapshot;
    report: HealthReport;
    tracking: Tracking;
    /** Set when the source failed and the report was built from older data. */
    error?: string;
}

/** The previous snapshot with every node unreadable (or an empty one): judged as unknown. */
export function unreadableSnapshot(previous: ClusterSnapshot | undefined, now: number, historyFrom: number, what: string, message: string): ClusterSnapshot {
    const base: ClusterSnapshot = previous ?? {
        version: 1, collectedAt: now, nodes: [], guests: [], jobs: [], jobStates: [], tasks: [], backups: [], storages: [], historyFrom, sourceErrors: [],
    };
    return {
        ...base,
        collectedAt: now,
        nodes: base.nodes.map((n) => ({ ...n, unreachable: message })),
        sourceErrors: [{ what, message }],
    };
}

export async function runCycle(
    source: SnapshotSource,
    settings: CycleSettings,
    now: number,
    previous: { snapshot?: ClusterSnapshot; tracking: Tracking },
    signal?: AbortSignal,
    fresh = false,
): Promise<CycleResult> {
    const historyFrom = now - settings.historyDays * 86400;
    let snapshot: ClusterSnapshot;
    try {
        snapshot = await source.collect({ now, historyFrom, ...(signal ? { signal } : {}), ...(fresh ? { fresh } : {}) });
    } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        const failed = unreadableSnapshot(previous.snapshot, now, historyFrom, source.describe, error);
        return { snapshot: failed, report: evaluate(failed, now, settings.evaluation), tracking: previous.tracking, error };
    }
    const tracked = applyTracking(previous.tracking, snapshot, now);
    return { snapshot, report: evaluate(tracked.snapshot, now, settings.evaluation), tracking: tracked.tracking };
}
