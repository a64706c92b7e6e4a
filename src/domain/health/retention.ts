// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * retention-violation: backups that the configured retention says should be gone are still
 * there after newer backups ran, i.e. pruning is not happening (disk fills, restore points are
 * not what the admin thinks). Uses PVE's own prune algorithm (pve-platform.md §8.2).
 */

import type { BackupItem, BackupJob, Guest, Problem, PruneOptions, StorageStatus } from '../model.ts';
import { markPrune } from '../pve/prune.ts';
import { isoWeek } from '../time/iso-week.ts';
import { epochToLocal } from '../time/zoned.ts';
import { guestLabel } from './format.ts';

/** Pruning runs right after each backup; allow it this long before judging. */
const PRUNE_SLACK = 3600;

function policyText(p: PruneOptions): string {
    const parts: string[] = [];
    const keys: [keyof PruneOptions, string][] = [
        ['keepLast', 'keep-last'], ['keepHourly', 'keep-hourly'], ['keepDaily', 'keep-daily'],
        ['keepWeekly', 'keep-weekly'], ['keepMonthly', 'keep-monthly'], ['keepYearly', 'keep-yearly'],
    ];
    for (const [k, name] of keys) if (typeof p[k] === 'number' && (p[k] as number) > 0) parts.push(`${name}=${p[k]}`);
    return parts.join(',');
}

function effectivePolicy(storage: string, jobs: readonly BackupJob[], storages: readonly StorageStatus[]): PruneOptions | null {
    const writers = jobs.filter((j) => j.storage === storage);
    if (writers.some((j) => j.options.remove === '0')) return null;
    const policies = new Set(writers.map((j) => (j.prune ? policyText(j.prune) : '')));
    if (policies.size > 1) return null; // several jobs with different policies: no single expectation
    const fromJob = writers.find((j) => j.prune)?.prune;
    const p = fromJob ?? storages.find((s) => s.storage === storage)?.prune;
    if (!p || p.keepAll || policyText(p) === '') return null;
    return p;
}

export function retentionProblems(
    guest: Guest,
    backups: readonly BackupItem[],
    jobs: readonly BackupJob[],
    storages: readonly StorageStatus[],
    timeZone: string,
): Problem[] {
    const out: Problem[] = [];
    const byStorage = new Map<string, BackupItem[]>();
    for (const b of backups) {
        const l = byStorage.get(b.storage);
        if (l) l.push(b);
        else byStorage.set(b.storage, [b]);
    }
    for (const [storage, items] of byStorage) {
        const policy = effectivePolicy(storage, jobs, storages);
        if (!policy || items.length < 2) continue;
        const newest = Math.max(...items.map((b) => b.ctime));
        const marked = markPrune(
            items.map((b) => ({ id: b.volid, time: b.ctime, protected: b.protected === true })),
            policy,
            (t: number) => {
                const l = epochToLocal(t, timeZone);
                const w = isoWeek(l.year, l.month, l.day);
                return { year: l.year, month: l.month, day: l.day, hour: l.hour, isoWeek: w.week, isoWeekYear: w.year };
            },
        );
        // markPrune answers in input order.
        const overdue = items.filter((b, i) => marked[i]?.mark === 'remove' && newest - b.ctime > PRUNE_SLACK);
        if (overdue.length === 0) continue;
        out.push({
            code: 'retention-violation',
            severity: 'warning',
            vmid: guest.vmid,
            guestName: guest.name,
            storage,
            message: `${guestLabel(guest.name, guest.vmid)}: ${overdue.length} backup(s) on ${storage} are outside the retention policy ${policyText(policy)} but were not pruned (pruning not running?)`,
            evidence: { details: { policy: policyText(policy), overdue: overdue.length, kept: items.length - overdue.length, oldest: overdue.map((b) => b.volid).slice(0, 3).join(' ') } },
        });
    }
    return out;
}
