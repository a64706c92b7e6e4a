// SPDX-License-Identifier: AGPL-3.0-or-later
/** The generated cluster history, and what of it is visible at a given clock time. */

import type { GuestType } from '../../src/domain/model.ts';
import type { GuestResult, LogLine } from './logs.ts';
import type { ScenarioSpec, SimGuestSpec, SimJobSpec, SimNodeSpec } from './spec.ts';

export interface SimTask {
    upid: string;
    node: string;
    pid: number;
    pstart: number;
    start: number;
    /** Infinity while it never ends (running-long plant). */
    end: number;
    id: string;
    user: string;
    /** Final status once ended. */
    status: string;
    lines: LogLine[];
    results: GuestResult[];
    /** The job whose scheduled run this is; absent for manual runs. */
    jobId?: string;
    slot?: number;
}

/** One scheduled time of a job on a node, and what came of it. */
export interface SimSlot {
    jobId: string;
    node: string;
    time: number;
    upid?: string;
    /** No task: the node was down, the scheduler skipped it, or the job was disabled then. */
    missed?: 'outage' | 'scheduler' | 'disabled';
    /** No local guest to back up: PVE records OK without a task. */
    empty?: boolean;
}

export interface SimBackup {
    volid: string;
    storage: string;
    /** The node that wrote it (matters for non-shared storages). */
    node: string;
    vmid: number;
    type: GuestType;
    ctime: number;
    /** When the backup finished and became visible. */
    visibleFrom: number;
    /** When a later prune removed it. */
    removedAt?: number;
    size: number;
    format: string;
    protected?: boolean;
    verification?: { state: 'ok' | 'failed'; upid: string; time: number };
    upid: string;
}

export interface World {
    spec: ScenarioSpec;
    historyFrom: number;
    horizon: number;
    tasks: SimTask[];
    slots: SimSlot[];
    backups: SimBackup[];
    guestSize: Map<number, number>;
}

/** Guests a job selects on `node` (all nodes when omitted), ignoring `enabled`. */
export function jobGuests(job: SimJobSpec, guests: readonly SimGuestSpec[], node?: string): SimGuestSpec[] {
    if (job.node !== undefined && node !== undefined && job.node !== node) return [];
    const onNode = guests.filter((g) => (node === undefined || g.node === node) && (job.node === undefined || g.node === job.node));
    if (job.all || (job.exclude && job.exclude.length > 0)) return onNode.filter((g) => !(job.exclude ?? []).includes(g.vmid));
    if (job.pool !== undefined) return onNode.filter((g) => g.pool === job.pool);
    const ids = job.vmids ?? [];
    return onNode.filter((g) => ids.includes(g.vmid)).sort((a, b) => ids.indexOf(a.vmid) - ids.indexOf(b.vmid));
}

/** Whether the job is enabled at time t (its `enabled` flag and its disabled periods). */
export function jobEnabledAt(job: SimJobSpec, t: number): boolean {
    return job.enabled !== false && !(job.disabled ?? []).some((p) => t >= p.from && t < p.to);
}

/** When the job's `enabled` last changed at or before t (the job state files' `updated`). */
export function jobToggledAt(job: SimJobSpec, t: number): number | undefined {
    let last: number | undefined;
    for (const p of job.disabled ?? []) {
        for (const x of [p.from, p.to]) if (x <= t && (last === undefined || x > last)) last = x;
    }
    return last;
}

export function nodeDownAt(node: SimNodeSpec, t: number): boolean {
    return (node.outages ?? []).some((o) => t >= o.from && t < o.to);
}

export function taskVisible(task: SimTask, t: number): boolean {
    return task.start <= t;
}

export function taskRunning(task: SimTask, t: number): boolean {
    return task.start <= t && task.end > t;
}

export function backupVisible(b: SimBackup, t: number): boolean {
    return b.visibleFrom <= t && (b.removedAt === undefined || b.removedAt > t);
}

export function taskLines(task: SimTask, t: number): LogLine[] {
    if (task.start > t) return [];
    return taskRunning(task, t) ? task.lines.filter((l) => l.at <= t) : task.lines;
}
