// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One task's guest results in columns. A 10 000-guest cluster has ~340 000 guest results in its
 * history window; as objects (13 fields, two time strings) they cost ~300 bytes each and were the
 * largest part of the collector's memory. Here a plain result costs its columns (~50 bytes, the
 * archive name as numbers: archive-name.ts); a result with an error, warnings, evidence lines or a time vzdump did not
 * write in its usual shape is kept whole. Reading builds a fresh result object each time, equal
 * to the one the table was made from.
 */

import { exactWallSeconds, formatWall } from '../time/wall-clock.ts';
import { ArchiveShape, decodeArchive, encodeArchive } from './archive-name.ts';
import type { GuestBackupResult, GuestResultList, LogLine } from '../vzdump-log/types.ts';

const STATUSES: readonly GuestBackupResult['status'][] = ['ok', 'failed', 'aborted', 'skipped', 'running'];
const TYPES: readonly GuestBackupResult['type'][] = [null, 'qemu', 'lxc'];
const TARGETS: readonly GuestBackupResult['target'][] = [null, 'file', 'pbs'];
const NO_LINES: readonly LogLine[] = Object.freeze([]);
const NO_TEXTS: readonly string[] = Object.freeze([]);

/** A time column value: wall seconds, NaN for null; undefined when the text must be kept. */
function timeCell(text: string | null): number | undefined {
    if (text === null) return Number.NaN;
    const w = exactWallSeconds(text);
    return Number.isNaN(w) ? undefined : w;
}

/** status | type << 3 | target << 5; negative when a value is not one the columns know. */
const codeOf = (g: GuestBackupResult): number => STATUSES.indexOf(g.status) | (TYPES.indexOf(g.type) << 3) | (TARGETS.indexOf(g.target) << 5);

/** Everything but the times fits the columns (the times fit when they read back exactly). */
const fitsColumns = (g: GuestBackupResult): boolean => g.error === null && g.warnings.length === 0 && g.evidence.length === 0 && Number.isInteger(g.vmid);

const numberCell = (n: number | null): number => (n === null ? Number.NaN : n);
const fromCell = (n: number): number | null => (Number.isNaN(n) ? null : n);

export class GuestTable implements GuestResultList {
    readonly length: number;
    private readonly vmids: Int32Array;
    /** status | type << 3 | target << 5 */
    private readonly codes: Uint8Array;
    /** started, ended (wall seconds), duration, size per row; NaN = null. */
    private readonly cells: Float64Array;
    /** Index into `names`, -1 = null. */
    private readonly nameIndex: Int32Array;
    private readonly names: string[] = [];
    /** Archive name per row: its shape, time and (files) index into `heads`/`tails`; odd ones as text. */
    private readonly archiveShapes: Uint8Array;
    private readonly archiveTimes: Float64Array;
    private readonly archiveParts: Int32Array;
    private readonly heads: string[] = [];
    private readonly tails: string[] = [];
    private readonly archiveTexts = new Map<number, string>();
    /** Rows that do not fit the columns, kept as they came. */
    private readonly whole = new Map<number, GuestBackupResult>();

    /** `keep` gives what to store of a row kept whole (default: the row itself). */
    constructor(results: readonly GuestBackupResult[], keep: (g: GuestBackupResult) => GuestBackupResult = (g) => g) {
        const n = results.length;
        this.length = n;
        this.vmids = new Int32Array(n);
        this.codes = new Uint8Array(n);
        this.cells = new Float64Array(n * 4);
        this.nameIndex = new Int32Array(n);
        this.archiveShapes = new Uint8Array(n);
        this.archiveTimes = new Float64Array(n);
        this.archiveParts = new Int32Array(n);
        const nameAt = new Map<string, number>();
        for (let i = 0; i < n; i++) {
            const g = results[i] as GuestBackupResult;
            this.vmids[i] = g.vmid;
            const started = timeCell(g.startedLocal);
            const ended = timeCell(g.endedLocal);
            const code = codeOf(g);
            if (started === undefined || ended === undefined || code < 0 || !fitsColumns(g)) {
                this.whole.set(i, keep(g));
                continue;
            }
            this.codes[i] = code;
            const c = i * 4;
            this.cells[c] = started;
            this.cells[c + 1] = ended;
            this.cells[c + 2] = numberCell(g.durationSeconds);
            this.cells[c + 3] = numberCell(g.sizeBytes);
            let k = -1;
            if (g.name !== null) {
                k = nameAt.get(g.name) ?? -1;
                if (k < 0) {
                    k = this.names.push(g.name) - 1;
                    nameAt.set(g.name, k);
                }
            }
            this.nameIndex[i] = k;
            if (g.archive !== null) this.putArchive(i, g.archive);
        }
    }

    private putArchive(i: number, name: string): void {
        const a = encodeArchive(name, this.vmids[i] as number);
        this.archiveShapes[i] = a.shape;
        if (a.shape === ArchiveShape.Text) {
            this.archiveTexts.set(i, name);
            return;
        }
        this.archiveTimes[i] = a.time;
        if (a.shape === ArchiveShape.File) this.archiveParts[i] = this.partsOf(name, a.headEnd, a.tailStart);
    }

    /** Index of a file name's head and tail; a task's names share them, so compare before slicing. */
    private partsOf(name: string, headEnd: number, tailStart: number): number {
        const tailLength = name.length - tailStart;
        for (let k = 0; k < this.heads.length; k++) {
            const head = this.heads[k] as string;
            const tail = this.tails[k] as string;
            if (head.length === headEnd && tail.length === tailLength && name.startsWith(head) && name.endsWith(tail)) return k;
        }
        this.heads.push(name.slice(0, headEnd));
        this.tails.push(name.slice(tailStart));
        return this.heads.length - 1;
    }

    private archiveAt(i: number): string | null {
        const shape = this.archiveShapes[i] as ArchiveShape;
        if (shape === ArchiveShape.None) return null;
        if (shape === ArchiveShape.Text) return this.archiveTexts.get(i) ?? null;
        const k = this.archiveParts[i] as number;
        return decodeArchive({ shape, time: this.archiveTimes[i] as number, head: this.heads[k] ?? '', tail: this.tails[k] ?? '' }, this.vmids[i] as number);
    }

    vmidAt(i: number): number {
        return this.vmids[i] as number;
    }

    statusAt(i: number): GuestBackupResult['status'] {
        return this.whole.get(i)?.status ?? (STATUSES[(this.codes[i] as number) & 7] as GuestBackupResult['status']);
    }

    /** The result in row `i` (a fresh object for a columnar row), like `Array.prototype.at` for i ≥ 0. */
    at(i: number): GuestBackupResult | undefined {
        return i >= 0 && i < this.length ? this.row(i) : undefined;
    }

    private row(i: number): GuestBackupResult {
        return this.whole.get(i) ?? this.build(i, true);
    }

    /**
     * Row `i` with its times as wall seconds (a columnar row; its result's time texts are left
     * null, which saves formatting them) or as the logged text (a row kept whole).
     */
    rowAt<T>(i: number, fn: (g: GuestBackupResult, started: LogTime, ended: LogTime) => T): T {
        const kept = this.whole.get(i);
        if (kept) return fn(kept, kept.startedLocal, kept.endedLocal);
        return fn(this.build(i, false), fromCell(this.cells[i * 4] as number), fromCell(this.cells[i * 4 + 1] as number));
    }

    private build(i: number, withTimes: boolean): GuestBackupResult {
        const code = this.codes[i] as number;
        const c = i * 4;
        const started = this.cells[c] as number;
        const ended = this.cells[c + 1] as number;
        const k = this.nameIndex[i] as number;
        return {
            vmid: this.vmids[i] as number,
            type: TYPES[(code >> 3) & 3] ?? null,
            name: k < 0 ? null : (this.names[k] as string),
            status: STATUSES[code & 7] as GuestBackupResult['status'],
            error: null,
            startedLocal: !withTimes || Number.isNaN(started) ? null : formatWall(started),
            endedLocal: !withTimes || Number.isNaN(ended) ? null : formatWall(ended),
            durationSeconds: fromCell(this.cells[c + 2] as number),
            sizeBytes: fromCell(this.cells[c + 3] as number),
            archive: this.archiveAt(i),
            target: TARGETS[(code >> 5) & 3] ?? null,
            warnings: NO_TEXTS as string[],
            evidence: NO_LINES as LogLine[],
        };
    }

    has(vmid: number): boolean {
        return this.vmids.includes(vmid);
    }

    /** Whether a row has its own warnings: only rows kept whole can. */
    anyWarnings(): boolean {
        for (const g of this.whole.values()) if (g.warnings.length > 0) return true;
        return false;
    }

    /** The first result of `vmid` without building the others. */
    byVmid(vmid: number): GuestBackupResult | undefined {
        const i = this.vmids.indexOf(vmid);
        return i < 0 ? undefined : this.row(i);
    }

    *[Symbol.iterator](): Iterator<GuestBackupResult> {
        for (let i = 0; i < this.length; i++) yield this.row(i);
    }

    find(predicate: (g: GuestBackupResult) => boolean): GuestBackupResult | undefined {
        for (let i = 0; i < this.length; i++) {
            const g = this.row(i);
            if (predicate(g)) return g;
        }
        return undefined;
    }

    some(predicate: (g: GuestBackupResult) => boolean): boolean {
        return this.find(predicate) !== undefined;
    }

    filter(predicate: (g: GuestBackupResult) => boolean): GuestBackupResult[] {
        const out: GuestBackupResult[] = [];
        for (let i = 0; i < this.length; i++) {
            const g = this.row(i);
            if (predicate(g)) out.push(g);
        }
        return out;
    }

    map<T>(f: (g: GuestBackupResult) => T): T[] {
        const out: T[] = [];
        for (let i = 0; i < this.length; i++) out.push(f(this.row(i)));
        return out;
    }

    /** Snapshots are written as JSON: the same array the table was made from. */
    toJSON(): GuestBackupResult[] {
        return this.map((g) => g);
    }
}

/** A log time: wall seconds (see time/wall-clock.ts), the text as logged, or none. */
export type LogTime = number | string | null;

/** Row `i` of a list with its start and end as `LogTime` (undefined when there is no such row). */
export function resultAt<T>(list: GuestResultList, i: number, fn: (g: GuestBackupResult, started: LogTime, ended: LogTime) => T): T | undefined {
    if (i < 0 || i >= list.length) return undefined;
    if (list instanceof GuestTable) return list.rowAt(i, fn);
    const g = list.at(i);
    return g === undefined ? undefined : fn(g, g.startedLocal, g.endedLocal);
}

/** VMID of row `i` (NaN when there is none), without building a table's row. */
export function vmidAt(list: GuestResultList, i: number): number {
    if (list instanceof GuestTable) return i >= 0 && i < list.length ? list.vmidAt(i) : Number.NaN;
    return list.at(i)?.vmid ?? Number.NaN;
}

/** Status of row `i`, without building a table's row. */
export function statusAt(list: GuestResultList, i: number): GuestBackupResult['status'] | undefined {
    if (list instanceof GuestTable) return i >= 0 && i < list.length ? list.statusAt(i) : undefined;
    return list.at(i)?.status;
}

/** `vmid`'s result in a task's list (the first, like `find`); cheap on a table. */
export function guestResultOf(list: GuestResultList, vmid: number): GuestBackupResult | undefined {
    return list instanceof GuestTable ? list.byVmid(vmid) : list.find((g) => g.vmid === vmid);
}

/** Whether `vmid` has a result in the list, without building any on a table. */
export function hasGuestResult(list: GuestResultList, vmid: number): boolean {
    return list instanceof GuestTable ? list.has(vmid) : list.some((g) => g.vmid === vmid);
}

/** Whether any result carries its own warnings. */
export function anyGuestWarnings(list: GuestResultList): boolean {
    return list instanceof GuestTable ? list.anyWarnings() : list.some((g) => g.warnings.length > 0);
}
