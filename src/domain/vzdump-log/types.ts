// SPDX-License-Identifier: AGPL-3.0-or-later
/** What a vzdump task log says, per job and per guest (see pve-platform.md §5). */

export type JobOutcome =
    | 'ok'
    | 'warnings'
    | 'guest-failures'
    | 'job-failed'
    | 'interrupted'
    /** No TASK line and not running (lock timeout, killed worker): PVE's `unexpected status`. */
    | 'unexpected'
    | 'running';

export type GuestBackupStatus = 'ok' | 'failed' | 'aborted' | 'skipped' | 'running';

export interface LogLine {
    /** 1-based line number, as PVE's task log API numbers them. */
    n: number;
    text: string;
}

export interface GuestBackupResult {
    vmid: number;
    type: 'qemu' | 'lxc' | null;
    name: string | null;
    status: GuestBackupStatus;
    error: string | null;
    /** Local wall-clock time from `Backup started at` (node time zone), `YYYY-MM-DD HH:MM:SS`. */
    startedLocal: string | null;
    /** From `Backup finished at` or `Failed at`. */
    endedLocal: string | null;
    /** From `Finished Backup of VM <id> (HH:MM:SS)`. */
    durationSeconds: number | null;
    /** `archive file size`, or the transferred size for PBS / when no archive size is logged. */
    sizeBytes: number | null;
    /** Archive path or PBS snapshot name from `creating … archive '…'`. */
    archive: string | null;
    target: 'file' | 'pbs' | null;
    warnings: string[];
    /** Lines that decide this guest's status (start, finish/error, size). */
    evidence: LogLine[];
}

export interface JobSelectionFromLog {
    vmids: number[];
    all: boolean;
    exclude: number[];
    pool: string | null;
    node: string | null;
    storage: string | null;
}

export interface ParsedVzdumpLog {
    outcome: JobOutcome;
    /** Text after `TASK ` on the last TASK line (`OK`, `WARNINGS: 1`, `ERROR: job errors`), or null. */
    taskLine: string | null;
    /** The job-level error (`TASK ERROR: <msg>` other than `job errors`, or `Backup job failed - …`). */
    jobError: string | null;
    /** The vzdump command line from `starting new backup job: …`, or null. */
    cmdline: string | null;
    /** Options parsed from the command line (shell quoting removed), e.g. `{storage: 'local'}`. */
    options: Record<string, string>;
    selection: JobSelectionFromLog | null;
    /** Scheduled (and legacy cron) runs always pass `--quiet 1`; GUI "Run now" does not. */
    quiet: boolean;
    guests: GuestBackupResult[];
    /** Every `WARN:` line and other warnings not tied to a guest. */
    warnings: string[];
    /** Job-level lines that decide the outcome (TASK line, job failure, lock timeout). */
    evidence: LogLine[];
    lineCount: number;
}

/**
 * Guest results as the evaluator reads them: a parser's array, or a collector's compact table
 * (snapshot/guest-table.ts) that builds each result when it is read.
 */
export interface GuestResultList extends Iterable<GuestBackupResult> {
    readonly length: number;
    at(index: number): GuestBackupResult | undefined;
    find(predicate: (g: GuestBackupResult) => boolean): GuestBackupResult | undefined;
    some(predicate: (g: GuestBackupResult) => boolean): boolean;
    filter(predicate: (g: GuestBackupResult) => boolean): GuestBackupResult[];
    map<T>(f: (g: GuestBackupResult) => T): T[];
}

/** A task's log in a snapshot: as parsed, or with its guest results in a compact table. */
export interface TaskLog extends Omit<ParsedVzdumpLog, 'guests'> {
    guests: GuestResultList;
}
