// SPDX-License-Identifier: AGPL-3.0-or-later
/** Builds the expected runs of every job on every node and matches them with tasks. */

import type { BackupJob, ClusterSnapshot, Guest, JobState, VzdumpTask } from '../model.ts';
import type { ParsedSchedule, ScheduleCache } from './calendar.ts';
import { type SelectionIndex, jobRunsOn } from './coverage.ts';
import type { PlacementIndex } from './placement.ts';
import { type MatchedSlot, type SchedulePeriod, expectedTimes, matchSlots } from './slots.ts';

/** A scheduler restart sets `updated` too; within this distance of boot it is not a job edit. */
const BOOT_TOLERANCE = 900;

export interface JobSlotsInput {
    snapshot: ClusterSnapshot;
    now: number;
    grace: number;
    schedules: ScheduleCache;
    placements: PlacementIndex;
    selection: SelectionIndex;
    tasksOf: (node: string) => readonly VzdumpTask[];
    timeZoneOf: (node: string) => string;
    unreadable: ReadonlySet<string>;
}

export interface JobSlots {
    /** Slots per job id, all nodes, ascending by time. */
    slots: Map<string, MatchedSlot[]>;
    /** UPID → job id of every task that served a scheduled run. */
    scheduled: Map<string, string>;
}

function parsed(schedules: ScheduleCache, text: string): ParsedSchedule | null {
    const r = schedules.get(text);
    return typeof r === 'string' ? null : r;
}

/**
 * The schedule periods of a job on a node: earlier revisions (from our own history), then the
 * current configuration. A job edit resets the scheduler's reference time (`updated` in the job
 * state file), so runs before it are not expected under the new schedule.
 */
export function periodsFor(job: BackupJob, node: string, input: JobSlotsInput, state: JobState | undefined): SchedulePeriod[] {
    let from = input.snapshot.historyFrom;
    const boot = input.snapshot.nodes.find((n) => n.name === node)?.bootTime;
    const updated = state?.updated;
    if (updated !== undefined && !(boot !== undefined && Math.abs(updated - boot) < BOOT_TOLERANCE)) {
        from = Math.max(from, updated);
    }
    const out: SchedulePeriod[] = [];
    const revisions = [...(job.revisions ?? [])].sort((a, b) => a.until - b.until);
    for (const r of revisions) {
        if (r.until > from) {
            out.push({ from, to: Math.min(r.until, input.now), schedule: parsed(input.schedules, r.schedule), enabled: r.enabled });
            from = r.until;
        }
    }
    out.push({ from, to: input.now, schedule: parsed(input.schedules, job.schedule), enabled: job.enabled });
    return out;
}

/** Whether `node` had one of the job's guests at time t, cheap for the common static case. */
function guestPresence(selected: readonly Guest[], placements: PlacementIndex, moved: ReadonlySet<number>): (node: string, t: number) => boolean {
    const staticNodes = new Set<string>();
    const movers: number[] = [];
    for (const g of selected) {
        if (moved.has(g.vmid)) movers.push(g.vmid);
        else staticNodes.add(g.node);
    }
    return (node, t) => staticNodes.has(node) || movers.some((v) => placements.nodeAt(v, t) === node);
}

export function buildJobSlots(input: JobSlotsInput): JobSlots {
    const slots = new Map<string, MatchedSlot[]>();
    const scheduled = new Map<string, string>();
    const states = new Map<string, JobState>();
    for (const st of input.snapshot.jobStates) states.set(`${st.jobId}\u0000${st.node}`, st);
    const moved = new Set(input.placements.movedGuests());
    for (const job of input.snapshot.jobs) {
        const all: MatchedSlot[] = [];
        const present = guestPresence(input.selection.guestsOf(job), input.placements, moved);
        for (const n of input.snapshot.nodes) {
            if (!jobRunsOn(job, n.name)) continue;
            const tz = input.timeZoneOf(n.name);
            const periods = periodsFor(job, n.name, input, states.get(`${job.id}\u0000${n.name}`));
            const times = expectedTimes(periods, tz);
            if (times.length === 0) continue;
            const matched = matchSlots(job, times, input.tasksOf(n.name), n.name, {
                now: input.now,
                grace: input.grace,
                timeZone: tz,
                nodeUnreadable: input.unreadable.has(n.name),
                hasGuestsAt: (t) => present(n.name, t),
            });
            for (const s of matched) {
                if (s.upid !== undefined) scheduled.set(s.upid, job.id);
                all.push(s);
            }
        }
        all.sort((a, b) => a.time - b.time);
        slots.set(job.id, all);
    }
    return { slots, scheduled };
}
