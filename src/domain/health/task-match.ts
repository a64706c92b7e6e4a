// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Which job started a task, and whether it was a scheduled run. Task logs carry no job id
 * (pve-platform.md §5.1), so we compare the logged command line with the job's selection and fall
 * back to timing when the log has no command line (job failed before it, lock timeout).
 */

import type { BackupJob, VzdumpTask } from '../model.ts';

export type Tri = 'yes' | 'no' | 'unknown';

function sameSet(a: readonly number[], b: readonly number[]): boolean {
    if (a.length !== b.length) return false;
    const s = new Set(a);
    return b.every((x) => s.has(x));
}

/** Whether the task was started by this job, judged from the task's own evidence. */
export function taskMatchesJob(task: VzdumpTask, job: BackupJob): Tri {
    if (task.jobId !== undefined) return task.jobId === job.id ? 'yes' : 'no';
    const sel = task.log?.selection;
    if (!sel) return 'unknown';
    const js = job.selection;
    if (js.all) {
        if (!sel.all || !sameSet(sel.exclude, js.exclude)) return 'no';
    } else if (js.pool !== undefined) {
        if (sel.pool !== js.pool) return 'no';
    } else if (sel.all || sel.pool !== null || !sameSet(sel.vmids, js.vmids)) {
        return 'no';
    }
    if (job.storage !== undefined && sel.storage !== null && sel.storage !== job.storage) return 'no';
    if (job.node !== undefined && sel.node !== null && sel.node !== job.node) return 'no';
    return 'yes';
}

/**
 * Scheduled runs (pvescheduler and legacy cron) run as root@pam with `--quiet 1`; GUI "Run now"
 * runs as the clicking user without it (pve-platform.md §3.10, §6).
 */
export function isScheduledTask(task: VzdumpTask): Tri {
    if (task.jobId !== undefined) return 'yes';
    const user = task.user.split('!')[0];
    if (user !== 'root@pam') return 'no';
    if (!task.log || task.log.cmdline === null) return 'unknown';
    return task.log.quiet ? 'yes' : 'no';
}

/** Tasks per node, ascending by start time. */
export function tasksByNode(tasks: readonly VzdumpTask[]): Map<string, VzdumpTask[]> {
    const map = new Map<string, VzdumpTask[]>();
    for (const t of tasks) {
        let list = map.get(t.node);
        if (!list) {
            list = [];
            map.set(t.node, list);
        }
        list.push(t);
    }
    for (const list of map.values()) list.sort((a, b) => a.startTime - b.startTime);
    return map;
}

/** Index of the first task starting at or after `time` (binary search on a sorted list). */
export function firstStartingAt(list: readonly VzdumpTask[], time: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as VzdumpTask).startTime < time) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

export function isRunning(task: VzdumpTask): boolean {
    return task.endTime === undefined && (task.status === 'RUNNING' || task.status === '');
}
