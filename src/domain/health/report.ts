// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The health report: what the CLI prints, the daemon serves and the GUI shows. Its JSON form is a
 * contract used by external checks (`status`, `checkedAt`, `problems`, `guests`, `jobs`).
 */

import type { GuestType, NodeInfo, Problem, ProblemCode, SourceError, Status } from '../model.ts';

/** How one expected scheduled run of a job turned out for one node. */
export type SlotState =
    /** A scheduled task started for this run. */
    | 'ran'
    /** No task started within the grace period. */
    | 'missed'
    /** Not yet due (start + grace is still in the future). */
    | 'pending'
    /** Inside a repeated (fall-back) DST hour: PVE may fire at either occurrence, not judged. */
    | 'dst-ambiguous'
    /** The node could not be read: no verdict. */
    | 'unknown';

export interface SlotReport {
    time: number;
    node: string;
    state: SlotState;
    upid?: string;
    taskStatus?: string;
}

/** One backup attempt of a guest found in the task history. */
export interface Attempt {
    upid: string;
    node: string;
    /** Task start (epoch). */
    start: number;
    end?: number;
    status: 'ok' | 'warnings' | 'failed' | 'aborted' | 'running' | 'unknown';
    /** A scheduled run (by the job's calendar) or a manual one ("Run now", CLI). */
    scheduled: boolean;
    jobId?: string;
    error?: string;
    durationSeconds?: number;
    sizeBytes?: number;
    storage?: string;
    archive?: string;
}

export interface GuestRunExplanation {
    job: string;
    node: string;
    time: number;
    state: SlotState | 'not-expected';
    upid?: string;
    guestStatus?: Attempt['status'] | 'absent';
    why?: string;
}

export interface GuestReport {
    vmid: number;
    name: string;
    type: GuestType;
    node: string;
    remote?: string;
    status: Status;
    /** `covered`, `not-covered`, or `excluded` (template / ignore tag). */
    coverage: 'covered' | 'not-covered' | 'excluded';
    excludedReason?: string;
    /** Enabled jobs that back this guest up on its node. */
    jobs: string[];
    /** The schedules of those jobs in words, e.g. `daily 02:00`. */
    schedule: string;
    lastSuccess?: number;
    lastSuccessUpid?: string;
    lastResult?: Attempt;
    lastSizeBytes?: number;
    /** Sizes of the last good backups (up to 10, oldest first), for the trend in lists. */
    sizeTrend?: number[];
    lastDurationSeconds?: number;
    storage?: string;
    verify?: 'ok' | 'failed' | 'none' | 'not-applicable';
    verifiedAt?: number;
    problems: ProblemCode[];
    /** Debug/explain: expected runs and what happened, newest first (bounded). */
    runs: GuestRunExplanation[];
    attempts: Attempt[];
}

export interface JobNodeReport {
    node: string;
    lastRun?: SlotReport;
    nextRun?: number;
    ran: number;
    missed: number;
}

export interface JobReport {
    id: string;
    origin: 'jobs.cfg' | 'vzdump.cron';
    schedule: string;
    scheduleText: string;
    enabled: boolean;
    node?: string;
    storage?: string;
    comment?: string;
    status: Status;
    /** Guests this job backs up (enabled or not), by VMID. */
    guests: number[];
    nodes: JobNodeReport[];
    nextRun?: number;
    /** Counts over the history window. */
    results: { ok: number; warnings: number; failed: number; missed: number };
    problems: ProblemCode[];
    scheduleError?: string;
    /** The cluster the job belongs to in a multi-cluster report. */
    remote?: string;
}

export interface StorageReport {
    storage: string;
    node: string;
    shared: boolean;
    type: string;
    usedFraction?: number;
    total?: number;
    used?: number;
    backups: number;
    status: Status;
    /** The cluster the storage belongs to in a multi-cluster report. */
    remote?: string;
}

export interface HealthCounts {
    guests: number;
    ok: number;
    warning: number;
    critical: number;
    unknown: number;
    notCovered: number;
    excluded: number;
    problems: number;
}

export interface HealthReport {
    version: 1;
    status: Status;
    /** RFC 3339 UTC. */
    checkedAt: string;
    cluster?: string;
    remote?: string;
    counts: HealthCounts;
    /** Most severe first, then by guest name. */
    problems: Problem[];
    guests: GuestReport[];
    jobs: JobReport[];
    nodes: NodeInfo[];
    storages: StorageReport[];
    sourceErrors: SourceError[];
}
