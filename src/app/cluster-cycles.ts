// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's check over its own cluster and every configured remote. Each cluster is collected
 * and judged on its own (VMIDs, node and job names repeat across clusters), side by side, with
 * its own snapshot and tracking kept for the next cycle; the reports are then joined, every
 * remote item naming its remote. A remote that cannot be read turns unknown in the joint report —
 * never the whole report, and never a false OK.
 */

import { mergeReports } from '../domain/health/merge-reports.ts';
import type { HealthReport } from '../domain/health/report.ts';
import { EMPTY_TRACKING, type Tracking } from '../domain/history/tracking.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import type { SnapshotSource } from '../ports.ts';
import { type CycleResult, runCycle } from './check-cycle.ts';
import type { CycleSettings } from './daemon-types.ts';

/** A configured remote cluster as the daemon reads it. */
export interface RemoteSource {
    remote: string;
    source: SnapshotSource;
}

/** What one cluster's last cycle left for the next one and for guest details. */
export interface ClusterState {
    snapshot?: ClusterSnapshot;
    tracking: Tracking;
    explain?: CycleResult['explain'];
}

export interface ClusterCyclesResult {
    /** The joint report (the local cluster's own when no remote is configured). */
    report: HealthReport;
    local: ClusterState;
    remotes: Map<string, ClusterState>;
    /** Collection failures, each naming its cluster. */
    errors: string[];
}

function stateOf(r: CycleResult): ClusterState {
    return { snapshot: r.snapshot, tracking: r.tracking, explain: r.explain };
}

export async function runClusterCycles(
    local: SnapshotSource,
    remotes: readonly RemoteSource[],
    settings: CycleSettings,
    now: number,
    previous: { local: ClusterState; remotes: ReadonlyMap<string, ClusterState> },
    signal?: AbortSignal,
    fresh = false,
): Promise<ClusterCyclesResult> {
    const prior = (s: ClusterState | undefined) => (s?.snapshot ? { snapshot: s.snapshot, tracking: s.tracking } : { tracking: s?.tracking ?? EMPTY_TRACKING });
    const [own, ...others] = await Promise.all([
        runCycle(local, settings, now, prior(previous.local), signal, fresh),
        ...remotes.map((r) => runCycle(r.source, settings, now, prior(previous.remotes.get(r.remote)), signal, fresh)),
    ]);
    const mine = own as CycleResult;
    const errors: string[] = [];
    if (mine.error !== undefined) errors.push(`data collection failed: ${mine.error}`);
    const states = new Map<string, ClusterState>();
    others.forEach((r, i) => {
        const name = (remotes[i] as RemoteSource).remote;
        states.set(name, stateOf(r));
        if (r.error !== undefined) errors.push(`remote ${name}: data collection failed: ${r.error}`);
    });
    const report = mergeReports([{ report: mine.report }, ...others.map((r, i) => ({ remote: (remotes[i] as RemoteSource).remote, report: r.report }))]);
    return { report, local: stateOf(mine), remotes: states, errors };
}
