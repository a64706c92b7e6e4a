// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Each guest's backups, built when that guest is judged. The collector keeps backups in columns
 * (snapshot/backup-table.ts); grouping all 180 000 of a 10 000-guest cluster as objects up front
 * would hold them all through the evaluation. The book keeps the positions of each guest's
 * backups and builds one guest's list at a time, without repeated volume ids (a shared storage
 * may be listed by every node; a volume id names one backup of one guest).
 */

import type { BackupItem, BackupList } from '../model.ts';
import { backupAt, backupVmidAt } from '../snapshot/backup-table.ts';
import { NumberGroups } from './number-groups.ts';

export class GuestBackups {
    private readonly positions: NumberGroups;
    /** Backups per storage, counted as guests' lists are built. */
    private readonly counts = new Map<string, number>();
    /** Per slot of `positions`: whether that guest's backups were counted. */
    private readonly counted: Uint8Array;

    constructor(private readonly list: BackupList) {
        this.positions = new NumberGroups((add) => {
            for (let i = 0; i < list.length; i++) add(backupVmidAt(list, i), i);
        });
        this.counted = new Uint8Array(this.positions.size);
    }

    /** `vmid`'s backups in list order (a new list each call). */
    of(vmid: number): BackupItem[] {
        const out = uniqueAt(this.list, this.positions.of(vmid));
        const slot = this.positions.slotOf(vmid);
        if (slot >= 0 && this.counted[slot] === 0) {
            this.counted[slot] = 1;
            for (const b of out) this.counts.set(b.storage, (this.counts.get(b.storage) ?? 0) + 1);
        }
        return out;
    }

    /** Backups per storage over all guests (those without a guest record too). */
    storageCounts(): ReadonlyMap<string, number> {
        for (const vmid of this.positions.keys()) if (this.counted[this.positions.slotOf(vmid)] === 0) this.of(vmid);
        return this.counts;
    }
}

/** One guest's backups without building any other (a guest's detail, asked for one at a time). */
export function backupsOfGuest(list: BackupList, vmid: number): BackupItem[] {
    const positions: number[] = [];
    for (let i = 0; i < list.length; i++) if (backupVmidAt(list, i) === vmid) positions.push(i);
    return uniqueAt(list, positions);
}

/** The backups at `positions`, each volume id once. */
function uniqueAt(list: BackupList, positions: ArrayLike<number> & Iterable<number>): BackupItem[] {
    const out: BackupItem[] = [];
    const seen = new Set<string>();
    for (const i of positions) {
        const b = backupAt(list, i);
        if (!b || seen.has(b.volid)) continue;
        seen.add(b.volid);
        out.push(b);
    }
    return out;
}
