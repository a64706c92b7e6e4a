// SPDX-License-Identifier: AGPL-3.0-or-later
/** Job-, task- and storage-level checks: disabled jobs, vanished guests, long runs, full storages. */

import type { BackupJob, Guest, Problem, StorageStatus, VzdumpTask } from '../model.ts';
import { formatAge, guestLabel } from './format.ts';
import { median } from './guest-checks.ts';
import type { EvaluationSettings } from './settings.ts';
import { isRunning, taskMatchesJob } from './task-match.ts';

export function jobProblems(job: BackupJob, guests: ReadonlyMap<number, Guest>, inventoryComplete: boolean, scheduleError: string | undefined): Problem[] {
    const out: Problem[] = [];
    if (scheduleError !== undefined) {
        out.push({
            code: 'schedule-invalid',
            severity: 'unknown',
            job: job.id,
            message: `job ${job.id}: schedule '${job.schedule}' cannot be parsed (${scheduleError}); its runs cannot be checked`,
            evidence: { details: { schedule: job.schedule } },
        });
    }
    if (!job.enabled) {
        out.push({ code: 'job-disabled', severity: 'info', job: job.id, message: `job ${job.id} is disabled: the scheduler never starts it`, evidence: {} });
    }
    // Only a complete inventory can prove that a VMID no longer exists.
    if (inventoryComplete && !job.selection.all && job.selection.pool === undefined) {
        for (const vmid of job.selection.vmids) {
            if (guests.has(vmid)) continue;
            out.push({
                code: 'guest-missing',
                severity: 'warning',
                vmid,
                job: job.id,
                message: `job ${job.id} names VMID ${vmid}, which no longer exists (every run logs "unable to find VM '${vmid}'")`,
                evidence: {},
            });
        }
    }
    return out;
}

/** Past run time of finished tasks served by this job on this node. */
function pastDurations(job: BackupJob, tasks: readonly VzdumpTask[], scheduled: ReadonlyMap<string, string>): number[] {
    const out: number[] = [];
    for (const t of tasks) {
        if (t.endTime === undefined) continue;
        const mine = scheduled.get(t.upid) === job.id || (!scheduled.has(t.upid) && taskMatchesJob(t, job) === 'yes');
        if (mine) out.push(t.endTime - t.startTime);
    }
    return out;
}

export function runningLongProblems(
    tasks: readonly VzdumpTask[],
    jobs: readonly BackupJob[],
    scheduled: ReadonlyMap<string, string>,
    guests: ReadonlyMap<number, Guest>,
    now: number,
    s: EvaluationSettings,
): Problem[] {
    const out: Problem[] = [];
    for (const task of tasks) {
        if (!isRunning(task)) continue;
        const jobId = scheduled.get(task.upid) ?? jobs.find((j) => taskMatchesJob(task, j) === 'yes')?.id;
        const job = jobs.find((j) => j.id === jobId);
        const nodeTasks = tasks.filter((t) => t.node === task.node);
        const history = job ? pastDurations(job, nodeTasks, scheduled) : [];
        const limit = history.length > 0 ? Math.max(s.runningLongMinSeconds, s.runningLongFactor * median(history)) : s.runningLongDefaultSeconds;
        const runtime = now - task.startTime;
        if (runtime <= limit) continue;
        const current = task.log?.guests.find((g) => g.status === 'running');
        const guest = current ? guests.get(current.vmid) : undefined;
        const who = current ? `, currently ${guest ? guestLabel(guest.name, guest.vmid) : `VMID ${current.vmid}`}` : '';
        const p: Problem = {
            code: 'backup-running-long',
            severity: 'warning',
            node: task.node,
            message: `backup task on ${task.node}${job ? ` (job ${job.id})` : ''} has been running for ${formatAge(runtime)}${who}; usually ${history.length > 0 ? `about ${formatAge(median(history))}` : `done within ${formatAge(limit)}`}`,
            evidence: { tasks: [task.upid], details: { runtimeSeconds: runtime, limitSeconds: limit } },
        };
        if (job) p.job = job.id;
        if (current) p.vmid = current.vmid;
        if (guest) p.guestName = guest.name;
        out.push(p);
    }
    return out;
}

/** Fill level of storages holding backups; a shared storage is judged once. */
export function storageProblems(storages: readonly StorageStatus[], s: EvaluationSettings): Problem[] {
    const out: Problem[] = [];
    const seen = new Set<string>();
    for (const st of storages) {
        if (!st.enabled || st.total === undefined || st.used === undefined || st.total <= 0) continue;
        const key = st.shared ? st.storage : `${st.node}/${st.storage}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const f = st.used / st.total;
        if (f < s.storageWarnFraction) continue;
        const critical = f >= s.storageCriticalFraction;
        out.push({
            code: 'storage-low',
            severity: critical ? 'critical' : 'warning',
            storage: st.storage,
            node: st.node,
            message: `storage ${st.storage}${st.shared ? '' : ` on ${st.node}`} is ${(f * 100).toFixed(1)}% full${critical ? ': backups will fail soon' : ''}`,
            evidence: { details: { used: st.used, total: st.total, fraction: Number(f.toFixed(4)) } },
        });
    }
    return out;
}
