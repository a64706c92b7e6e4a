// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Backups in columns. A 10 000-guest cluster keeps ~180 000 backups on its storages; as objects
 * with their volume ids they cost ~200 bytes each, the largest part of what the collector holds.
 * Here a backup costs 46 bytes: numbers in one buffer, repeated texts (storage, format, notes, the
 * volume id's prefix) once per table, the shared verification objects by index, and the volume id
 * as the archive-name shape it has (archive-name.ts). A backup that does not fit — a volume id of
 * another shape, a property the columns do not know — is kept whole. Reading builds a fresh object
 * each time, equal to the one the table was made from.
 */

import type { BackupItem, BackupList, BackupVerification } from '../model.ts';
import { ArchiveShape, decodeArchive, encodeArchive } from './archive-name.ts';
import { partAt } from '../sorted-search.ts';
import { NameParts, ValueList } from './column-values.ts';

const KNOWN = new Set(['volid', 'storage', 'vmid', 'ctime', 'type', 'size', 'format', 'protected', 'encrypted', 'notes', 'verification']);
const TYPES: readonly (BackupItem['type'] | undefined)[] = [undefined, 'qemu', 'lxc'];
const MARK = ':backup/';
/** Tri-state of an optional boolean: absent, false, true. */
const flag = (b: boolean | undefined): number => (b === undefined ? 0 : b ? 2 : 1);
const unflag = (n: number): boolean | undefined => (n === 0 ? undefined : n === 2);
/** Bytes per backup: ctime, size (16), volume-id time (4), six indexes (24), two bytes. */
const ROW_BYTES = 46;

export class BackupTable implements BackupList {
    readonly length: number;
    private readonly f64: Float64Array;
    private readonly times: Uint32Array;
    /** Per backup: vmid, storage, format, notes, verification, volume-id head/tail. */
    private readonly i32: Int32Array;
    /** Per backup: type | protected << 2 | encrypted << 4, volume-id shape. */
    private readonly u8: Uint8Array;
    private readonly texts = new ValueList<string>();
    private readonly verifications = new ValueList<BackupVerification>();
    /** Files: the volume id's head (`<storage>:backup/vzdump-qemu-`) and tail; PBS: its prefix. */
    private readonly parts = new NameParts();
    private readonly whole = new Map<number, BackupItem>();

    constructor(items: readonly BackupItem[]) {
        const n = items.length;
        this.length = n;
        const buffer = new ArrayBuffer(n * ROW_BYTES);
        this.f64 = new Float64Array(buffer, 0, n * 2);
        this.times = new Uint32Array(buffer, n * 16, n);
        this.i32 = new Int32Array(buffer, n * 20, n * 6);
        this.u8 = new Uint8Array(buffer, n * 44, n * 2);
        for (let i = 0; i < n; i++) {
            const b = items[i] as BackupItem;
            this.i32[i * 6] = b.vmid;
            const type = TYPES.indexOf(b.type);
            const mark = b.volid.indexOf(MARK);
            const a = mark < 0 ? undefined : encodeArchive(b.volid, b.vmid, mark + MARK.length);
            const fits = a !== undefined && a.shape !== ArchiveShape.Text && a.time >= 0 && a.time < 2 ** 32 && type >= 0 && Number.isInteger(b.vmid) && Object.keys(b).every((k) => KNOWN.has(k));
            if (!fits) {
                this.whole.set(i, b);
                continue;
            }
            this.f64[i * 2] = b.ctime;
            this.f64[i * 2 + 1] = b.size ?? Number.NaN;
            this.times[i] = a.time;
            const c = i * 6;
            this.i32[c + 1] = this.texts.indexOf(b.storage);
            this.i32[c + 2] = this.texts.indexOf(b.format);
            this.i32[c + 3] = this.texts.indexOf(b.notes);
            this.i32[c + 4] = this.verifications.indexOf(b.verification);
            const file = a.shape === ArchiveShape.File;
            this.i32[c + 5] = this.parts.indexOf(b.volid, file ? a.headEnd : mark + MARK.length, file ? a.tailStart : b.volid.length);
            this.u8[i * 2] = type | (flag(b.protected) << 2) | (flag(b.encrypted) << 4);
            this.u8[i * 2 + 1] = a.shape;
        }
        this.texts.seal();
        this.verifications.seal();
    }

    vmidAt(i: number): number {
        return this.whole.size > 0 && this.whole.has(i) ? (this.whole.get(i) as BackupItem).vmid : (this.i32[i * 6] as number);
    }

    /** Backup `i` (a fresh object), like `Array.prototype.at` for i ≥ 0. */
    at(i: number): BackupItem | undefined {
        if (i < 0 || i >= this.length) return undefined;
        const kept = this.whole.get(i);
        if (kept) return kept;
        const c = i * 6;
        const vmid = this.vmidAt(i);
        const shape = this.u8[i * 2 + 1] as ArchiveShape;
        const k = this.i32[c + 5] as number;
        const head = this.parts.head(k);
        const rest = decodeArchive({ shape, time: this.times[i] as number, head, tail: this.parts.tail(k) }, vmid);
        const b: BackupItem = { volid: shape === ArchiveShape.File ? rest : head + rest, storage: this.texts.get(this.i32[c + 1] as number) as string, vmid, ctime: this.f64[i * 2] as number };
        const bits = this.u8[i * 2] as number;
        const type = TYPES[bits & 3];
        if (type !== undefined) b.type = type;
        const size = this.f64[i * 2 + 1] as number;
        if (!Number.isNaN(size)) b.size = size;
        const format = this.texts.get(this.i32[c + 2] as number);
        if (format !== undefined) b.format = format;
        const prot = unflag((bits >> 2) & 3);
        if (prot !== undefined) b.protected = prot;
        const enc = unflag((bits >> 4) & 3);
        if (enc !== undefined) b.encrypted = enc;
        const notes = this.texts.get(this.i32[c + 3] as number);
        if (notes !== undefined) b.notes = notes;
        const verification = this.verifications.get(this.i32[c + 4] as number);
        if (verification !== undefined) b.verification = verification;
        return b;
    }

    *[Symbol.iterator](): Iterator<BackupItem> {
        for (let i = 0; i < this.length; i++) yield this.at(i) as BackupItem;
    }

    /** Snapshots are written as JSON: the backups as an array. */
    toJSON(): BackupItem[] {
        return [...this];
    }
}

/** Several lists read as one (a storage list built in parts, all storages of a cluster). */
export class BackupLists implements BackupList {
    readonly length: number;
    private readonly starts: number[] = [];

    constructor(private readonly parts: readonly BackupList[]) {
        let n = 0;
        for (const p of parts) {
            this.starts.push(n);
            n += p.length;
        }
        this.length = n;
    }

    /** The part holding position `i` and the position inside it. */
    private locate(i: number): [BackupList, number] | undefined {
        if (i < 0 || i >= this.length) return undefined;
        const k = partAt(this.starts, this.parts.length, i);
        return [this.parts[k] as BackupList, i - (this.starts[k] as number)];
    }

    at(i: number): BackupItem | undefined {
        const found = this.locate(i);
        return found ? backupAt(found[0], found[1]) : undefined;
    }

    vmidAt(i: number): number {
        const found = this.locate(i);
        return found ? backupVmidAt(found[0], found[1]) : Number.NaN;
    }

    *[Symbol.iterator](): Iterator<BackupItem> {
        for (const p of this.parts) yield* p;
    }

    toJSON(): BackupItem[] {
        return [...this];
    }
}

/** Backup `i` of any list. */
export function backupAt(list: BackupList, i: number): BackupItem | undefined {
    if (list instanceof BackupTable || list instanceof BackupLists) return list.at(i);
    return (list as readonly BackupItem[])[i];
}

/** VMID of backup `i` of any list, without building a table's object. */
export function backupVmidAt(list: BackupList, i: number): number {
    if (list instanceof BackupTable || list instanceof BackupLists) return list.vmidAt(i);
    return (list as readonly BackupItem[])[i]?.vmid ?? Number.NaN;
}

/**
 * Collects a list that arrives one backup at a time into tables of `chunk` backups, so no more
 * than one chunk of objects is alive while a 140 000-backup datastore is read. Small chunks: the
 * list arrives over many network reads, and a backup object that waits through two young
 * collections moves to the old space, where only a full collection frees it (4 096 per chunk
 * moved ~40 MB there in a 10 000-guest cold cycle; a table costs ~1 KB of its own).
 */
export class BackupTableBuilder {
    private readonly parts: BackupTable[] = [];
    private pending: BackupItem[] = [];

    constructor(private readonly chunk = 512) {}

    add(item: BackupItem): void {
        this.pending.push(item);
        if (this.pending.length >= this.chunk) this.seal();
    }

    finish(): BackupList {
        this.seal();
        return this.parts.length === 1 ? (this.parts[0] as BackupTable) : new BackupLists(this.parts);
    }

    private seal(): void {
        if (this.pending.length === 0) return;
        this.parts.push(new BackupTable(this.pending));
        this.pending = [];
    }
}
