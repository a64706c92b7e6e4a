// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The cluster snapshot the health evaluator judges, and the report it produces.
 *
 * Collectors (PVE API, local files, the simulator, a JSON file) fill a ClusterSnapshot; the
 * evaluator never sees raw API shapes. All times are Unix epoch SECONDS (PVE's own unit).
 */

import type { TaskLog } from './vzdump-log/types.ts';

export type GuestType = 'qemu' | 'lxc';

export interface NodeInfo {
    name: string;
    online: boolean;
    /** IANA zone of the node (`/nodes/{node}/time` → timezone). Schedules fire in it. */
    timeZone: string;
    /** Set when the collector could not read this node (offline, 595, API error). */
    unreachable?: string;
    /** Boot time (epoch): tells a scheduler restart from a job edit in the job state file. */
    bootTime?: number;
    /** The cluster the node belongs to in a multi-cluster report (absent: this one). */
    remote?: string;
}

export interface Guest {
    vmid: number;
    type: GuestType;
    name: string;
    node: string;
    template: boolean;
    tags: string[];
    pool?: string;
    status?: string;
    lock?: string;
    /** Which remote/cluster the guest belongs to (multi-cluster reports). */
    remote?: string;
}

/** Where a guest lived over time (from our own history); lets us judge a moved guest where it was. */
export interface GuestPlacement {
    vmid: number;
    node: string;
    /** First time the guest was seen on this node. */
    from: number;
    /** Last time it was seen there; absent = still there. */
    until?: number;
}

export interface PruneOptions {
    keepAll?: boolean;
    keepLast?: number;
    keepHourly?: number;
    keepDaily?: number;
    keepWeekly?: number;
    keepMonthly?: number;
    keepYearly?: number;
}

export interface JobSelection {
    all: boolean;
    vmids: number[];
    exclude: number[];
    pool?: string;
}

/** A vzdump backup job (jobs.cfg section or legacy vzdump.cron line). */
export interface BackupJob {
    id: string;
    origin: 'jobs.cfg' | 'vzdump.cron';
    schedule: string;
    enabled: boolean;
    selection: JobSelection;
    /** Run only on this node (`node` property). */
    node?: string;
    storage?: string;
    comment?: string;
    repeatMissed: boolean;
    prune?: PruneOptions;
    /** Every other job property as PVE returned it (strings). */
    options: Record<string, string>;
    /**
     * Earlier configurations, newest last, each valid until `until` (epoch). Lets the evaluator
     * compute expected runs of a job edited inside the history window with the schedule of the time.
     */
    revisions?: JobRevision[];
}

export interface JobRevision {
    until: number;
    schedule: string;
    enabled: boolean;
}

/** `/var/lib/pve-manager/jobs/vzdump-<id>.json` of one node: the only record of a job's last run. */
export interface JobState {
    jobId: string;
    node: string;
    state: 'created' | 'starting' | 'started' | 'stopped';
    time?: number;
    upid?: string;
    msg?: string;
    /** Set when schedule/enabled changed, and at scheduler start for repeat-missed 0 jobs. */
    updated?: number;
}

/** One vzdump task on one node, with its parsed log when it could be read. */
export interface VzdumpTask {
    upid: string;
    node: string;
    startTime: number;
    endTime?: number;
    /** `OK`, `WARNINGS: <n>`, an error text, `unexpected status` or `RUNNING`. */
    status: string;
    user: string;
    /** The task id: the VMID for single-guest tasks, empty for multi-guest tasks. */
    id: string;
    /** When known from the job state file or a notification, the job that started the task. */
    jobId?: string;
    log?: TaskLog;
    /** Why the log is missing (e.g. fetch failed); the evaluator then reports unknown, not ok. */
    logError?: string;
}

export interface BackupVerification {
    state: 'ok' | 'failed';
    /** Verification time, from the PBS UPID in `verification.upid`. */
    time?: number;
    upid?: string;
}

/** One backup on a storage (`/nodes/{n}/storage/{s}/content?content=backup`). */
export interface BackupItem {
    volid: string;
    storage: string;
    vmid: number;
    type?: GuestType;
    ctime: number;
    size?: number;
    format?: string;
    protected?: boolean;
    encrypted?: boolean;
    verification?: BackupVerification;
    notes?: string;
}

/**
 * The backups of a snapshot: an array, or the collector's columns (snapshot/backup-table.ts),
 * which build each backup when it is read.
 */
export interface BackupList extends Iterable<BackupItem> {
    readonly length: number;
}

export interface StorageStatus {
    storage: string;
    node: string;
    type: string;
    shared: boolean;
    active: boolean;
    enabled: boolean;
    total?: number;
    used?: number;
    avail?: number;
    prune?: PruneOptions;
    /** Whether this storage's backup list was read; unread storages never prove "no backup". */
    contentRead?: boolean;
}

/** Something the collector could not read. Turns the affected verdicts into "unknown". */
export interface SourceError {
    /** What was being read, e.g. `GET /nodes/pve2/tasks` or `/etc/pve/jobs.cfg`. */
    what: string;
    node?: string;
    message: string;
    /**
     * How much it matters: `unknown` (default) — verdicts depend on it; `warning`/`info` — a
     * limitation (e.g. a token that cannot see one storage's backup list) that verdicts from
     * task logs do not depend on. A node's guests turn unknown only through `NodeInfo.unreachable`.
     */
    severity?: 'info' | 'warning' | 'unknown';
    /** The cluster it concerns in a multi-cluster report (absent: this one). */
    remote?: string;
}

export interface ClusterSnapshot {
    /** Snapshot format version; bump on incompatible change. */
    version: 1;
    collectedAt: number;
    cluster?: string;
    remote?: string;
    nodes: NodeInfo[];
    guests: Guest[];
    placements?: GuestPlacement[];
    jobs: BackupJob[];
    jobStates: JobState[];
    tasks: VzdumpTask[];
    backups: BackupList;
    storages: StorageStatus[];
    /** How far back tasks were collected: nothing before this can be "missed". */
    historyFrom: number;
    sourceErrors: SourceError[];
}

// ---------------------------------------------------------------------------------------------
// Report

export type Severity = 'info' | 'warning' | 'critical' | 'unknown';
export type Status = 'ok' | 'warning' | 'critical' | 'unknown';

export const PROBLEM_CODES = [
    'backup-failed',
    'backup-missed',
    'backup-stale',
    'backup-running-long',
    'backup-warnings',
    'not-covered',
    'job-disabled',
    'guest-missing',
    'size-anomaly',
    'duration-anomaly',
    'verify-failed',
    'verify-stale',
    'retention-violation',
    'storage-low',
    'source-unreachable',
    'schedule-invalid',
    'config-archive-failed',
    'config-archive-stale',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface LogEvidence {
    upid: string;
    /** 1-based line number in the task log. */
    n: number;
    text: string;
}

export interface Evidence {
    /** Expected scheduled runs (epoch) the verdict looked at. */
    expectedRuns?: number[];
    /** Tasks (UPIDs) matched to those runs or to the guest. */
    tasks?: string[];
    /** The log lines that decided the verdict. */
    logLines?: LogEvidence[];
    /** Anything else worth showing (numbers, thresholds), flat key → value. */
    details?: Record<string, string | number | boolean | null>;
}

export interface Problem {
    code: ProblemCode;
    severity: Severity;
    vmid?: number;
    guestName?: string;
    job?: string;
    node?: string;
    storage?: string;
    /** The cluster (configured remote) it was found in; absent for the cluster checked itself. */
    remote?: string;
    message: string;
    evidence: Evidence;
}
