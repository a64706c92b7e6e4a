// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One check cycle of the daemon: collect, remember what PVE forgets (placements, job edits),
 * evaluate. When collection fails, the previous data is judged with every node marked
 * unreachable, so the report turns unknown instead of showing a stale OK.
 */

import { evaluate } from '../domain/health/evaluate.ts';
import type { GuestReport, HealthReport } from '../domain/health/report.ts';
import { type Tracking, applyTracking } from '../domain/history/tracking.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import type { SnapshotSource } from '../ports.ts';
import type { CycleSettings } from './daemon-types.ts';

export interface CycleResult {
    /** What was judged (tracking applied): kept for the next cycle and for `explain`. */
    snapshot: ClusterSnapshot;
    /** Verdicts without per-guest `runs`/`attempts`; `explain` gives them for one guest. */
    report: HealthReport;
    explain: (vmid: number) => Pick<GuestReport, 'runs' | 'attempts'> | undefined;
    tracking: Tracking;
    /** Set when the source failed and the report was built from older data. */
    error?: string;
}

/** Guests whose explanation is kept per check (a GUI user opens a few guests, often twice). */
const EXPLAINED = 32;

/**
 * Judges a snapshot as the daemon does: verdicts for all, explanations on request. An explanation
 * judges the whole snapshot again (about as long as the check: 1–2 s CPU at 10 000 guests), so the
 * last few are kept until the next check replaces this snapshot.
 */
function judge(snapshot: ClusterSnapshot, now: number, settings: CycleSettings): Pick<CycleResult, 'snapshot' | 'report' | 'explain'> {
    const kept = new Map<number, Pick<GuestReport, 'runs' | 'attempts'> | undefined>();
    return {
        snapshot,
        report: evaluate(snapshot, now, settings.evaluation, { explain: 'none' }),
        explain: (vmid) => {
            if (kept.has(vmid)) return kept.get(vmid);
            const g = evaluate(snapshot, now, settings.evaluation, { explain: vmid }).guests.find((x) => x.vmid === vmid);
            const result = g ? { runs: g.runs, attempts: g.attempts } : undefined;
            if (kept.size >= EXPLAINED) kept.delete(kept.keys().next().value as number);
            kept.set(vmid, result);
            return result;
        },
    };
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
        return { ...judge(failed, now, settings), tracking: previous.tracking, error };
    }
    const tracked = applyTracking(previous.tracking, snapshot, now);
    return { ...judge(tracked.snapshot, now, settings), tracking: tracked.tracking };
}
