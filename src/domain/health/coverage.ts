// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Which jobs back up which guest. Unlike PVE's "not backed up" list, a disabled job or a job
 * pinned to another node does not count as coverage (field-notes §2.3).
 */

import type { BackupJob, Guest } from '../model.ts';

/**
 * VMID lists as sets, per job object: 10 000 guests × long VMID lists made `includes` the
 * evaluator's hot spot. Keyed weakly by the (immutable) job, so nothing outlives its snapshot.
 */
const SETS = new WeakMap<BackupJob, { vmids: Set<number>; exclude: Set<number> }>();

function sets(job: BackupJob): { vmids: Set<number>; exclude: Set<number> } {
    let s = SETS.get(job);
    if (!s) {
        s = { vmids: new Set(job.selection.vmids), exclude: new Set(job.selection.exclude) };
        SETS.set(job, s);
    }
    return s;
}

/** Whether the job's guest selection names this guest (ignoring enabled and node). */
export function jobSelects(job: BackupJob, guest: Pick<Guest, 'vmid' | 'pool'>): boolean {
    const sel = job.selection;
    if (sel.all) return !sets(job).exclude.has(guest.vmid);
    if (sel.pool !== undefined) return guest.pool === sel.pool;
    return sets(job).vmids.has(guest.vmid);
}

/**
 * Which guests each job selects and which jobs select each guest, in snapshot order, built once
 * per evaluation: asking `jobSelects` for every job × guest pair cost 3 million calls at 10 000
 * guests and 100 jobs. Only `all` and pool jobs look at every guest; VMID lists only at theirs.
 */
const NO_JOBS: readonly BackupJob[] = Object.freeze([]);

export class SelectionIndex {
    private readonly guestsByJob = new Map<BackupJob, Guest[]>();
    /** Guests named by the same jobs share one list (10 000 guests have a handful of distinct ones). */
    private readonly jobsByGuest = new Map<Guest, readonly BackupJob[]>();

    constructor(jobs: readonly BackupJob[], guests: readonly Guest[]) {
        const extended = new Map<readonly BackupJob[], Map<BackupJob, readonly BackupJob[]>>();
        const extend = (list: readonly BackupJob[], job: BackupJob): readonly BackupJob[] => {
            let byJob = extended.get(list);
            if (!byJob) {
                byJob = new Map();
                extended.set(list, byJob);
            }
            let longer = byJob.get(job);
            if (!longer) {
                longer = Object.freeze([...list, job]);
                byJob.set(job, longer);
            }
            return longer;
        };
        for (const job of jobs) {
            let selected: Guest[];
            if (job.selection.all || job.selection.pool !== undefined) selected = guests.filter((g) => jobSelects(job, g));
            else {
                // In snapshot order, without indexes of all guests that outlive the evaluation's
                // start (one pass per job over the guests is cheap next to it).
                const wanted = new Set(job.selection.vmids);
                selected = guests.filter((g) => wanted.has(g.vmid));
            }
            this.guestsByJob.set(job, selected);
            for (const g of selected) this.jobsByGuest.set(g, extend(this.jobsByGuest.get(g) ?? NO_JOBS, job));
        }
    }

    /** The guests the job's selection names (ignoring enabled and node), in snapshot order. */
    guestsOf(job: BackupJob): readonly Guest[] {
        return this.guestsByJob.get(job) ?? [];
    }

    /** The jobs whose selection names the guest, in job order. */
    jobsOf(guest: Guest): readonly BackupJob[] {
        return this.jobsByGuest.get(guest) ?? NO_JOBS;
    }
}

/** Whether the job runs for a guest living on `node` (the job's `node` pin, if any). */
export function jobRunsOn(job: BackupJob, node: string): boolean {
    return job.node === undefined || job.node === node;
}

export interface Coverage {
    /** Enabled jobs that select the guest and run on its node. */
    effective: BackupJob[];
    /** Jobs that select it but are disabled. */
    disabled: BackupJob[];
    /** Enabled jobs that select it but are pinned to another node. */
    otherNode: BackupJob[];
}

export function coverageOf(guest: Guest, jobs: readonly BackupJob[]): Coverage {
    const c: Coverage = { effective: [], disabled: [], otherNode: [] };
    for (const job of jobs) {
        if (!jobSelects(job, guest)) continue;
        if (!job.enabled) c.disabled.push(job);
        else if (!jobRunsOn(job, guest.node)) c.otherNode.push(job);
        else c.effective.push(job);
    }
    return c;
}

/** Why a guest is intentionally not backed up, or null when it should be. */
export function exclusionReason(guest: Guest, ignoreTag: string): string | null {
    if (guest.template) return 'template';
    const tag = ignoreTag.toLowerCase();
    if (tag !== '' && guest.tags.some((t) => t.toLowerCase() === tag)) return `tagged '${ignoreTag}'`;
    return null;
}

/** Human explanation for a guest that no enabled job covers. */
export function notCoveredReason(c: Coverage): string {
    const parts: string[] = [];
    if (c.disabled.length > 0) parts.push(`only in disabled job${c.disabled.length > 1 ? 's' : ''} ${names(c.disabled)}`);
    if (c.otherNode.length > 0) {
        const pins = c.otherNode.map((j) => `${j.id} (runs only on ${j.node})`).join(', ');
        parts.push(`only in job${c.otherNode.length > 1 ? 's' : ''} pinned to another node: ${pins}`);
    }
    return parts.length > 0 ? parts.join('; ') : 'in no backup job';
}

function names(jobs: BackupJob[]): string {
    return jobs.map((j) => j.id).join(', ');
}
