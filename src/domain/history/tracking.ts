// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the daemon learns over time that PVE does not keep: where each guest lived (to judge a
 * migrated guest where it was at run time) and how each job's schedule changed (to judge runs
 * with the schedule of their time). Pure: the daemon persists the result.
 */

import type { BackupJob, ClusterSnapshot, Guest, GuestPlacement, JobRevision } from '../model.ts';

export interface JobTrack {
    schedule: string;
    enabled: boolean;
    since: number;
    revisions: JobRevision[];
}

export interface Tracking {
    version: 1;
    placements: GuestPlacement[];
    jobs: Record<string, JobTrack>;
}

export const EMPTY_TRACKING: Tracking = { version: 1, placements: [], jobs: {} };

const MAX_PER_GUEST = 20;

export function trackPlacements(previous: readonly GuestPlacement[], guests: readonly Guest[], now: number, keepFrom: number): GuestPlacement[] {
    const byVmid = new Map<number, GuestPlacement[]>();
    for (const p of previous) {
        if (p.until !== undefined && p.until < keepFrom) continue;
        const l = byVmid.get(p.vmid) ?? [];
        l.push({ ...p });
        byVmid.set(p.vmid, l);
    }
    for (const g of guests) {
        const list = byVmid.get(g.vmid) ?? [];
        const open = list.find((p) => p.until === undefined);
        if (open?.node === g.node) continue;
        if (open) open.until = now - 1;
        list.push({ vmid: g.vmid, node: g.node, from: now });
        byVmid.set(g.vmid, list.slice(-MAX_PER_GUEST));
    }
    return [...byVmid.values()].flat();
}

export function trackJobs(previous: Readonly<Record<string, JobTrack>>, jobs: readonly BackupJob[], now: number, keepFrom: number): Record<string, JobTrack> {
    const out: Record<string, JobTrack> = {};
    for (const job of jobs) {
        const prev = previous[job.id];
        if (!prev) {
            out[job.id] = { schedule: job.schedule, enabled: job.enabled, since: now, revisions: [] };
            continue;
        }
        const revisions = prev.revisions.filter((r) => r.until >= keepFrom);
        if (prev.schedule !== job.schedule || prev.enabled !== job.enabled) {
            revisions.push({ until: now - 1, schedule: prev.schedule, enabled: prev.enabled });
            out[job.id] = { schedule: job.schedule, enabled: job.enabled, since: now, revisions };
        } else {
            out[job.id] = { ...prev, revisions };
        }
    }
    return out;
}

/** Updates the tracking from a fresh snapshot and returns the snapshot enriched with it. */
export function applyTracking(previous: Tracking, snapshot: ClusterSnapshot, now: number): { tracking: Tracking; snapshot: ClusterSnapshot } {
    const unreadable = snapshot.nodes.some((n) => !n.online || n.unreachable !== undefined) || snapshot.sourceErrors.some((e) => e.node === undefined);
    // A partial inventory must not close placements of guests we merely could not see.
    const placements = unreadable ? previous.placements : trackPlacements(previous.placements, snapshot.guests, now, snapshot.historyFrom);
    const jobs = trackJobs(previous.jobs, snapshot.jobs, now, snapshot.historyFrom);
    const enriched: ClusterSnapshot = {
        ...snapshot,
        placements: [...(snapshot.placements ?? []), ...placements],
        jobs: snapshot.jobs.map((j) => {
            const revisions = jobs[j.id]?.revisions ?? [];
            return revisions.length > 0 ? { ...j, revisions: [...(j.revisions ?? []), ...revisions] } : j;
        }),
    };
    return { tracking: { version: 1, placements, jobs }, snapshot: enriched };
}
