// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One task's guest results in columns. A 10 000-guest cluster has ~340 000 guest results in its
 * history window; as objects (13 fields, two time strings) they cost ~300 bytes each and were the
 * largest part of the collector's memory. Here a plain result costs its columns (38 bytes, the
 * archive name as numbers: archive-name.ts); an error, warnings and evidence lines are kept beside
 * the columns (a task's unclaimed warning keeps every guest's lines: ~10 000 rows at 10 000
 * guests), and a result with a time vzdump did not write in its usual shape is kept whole.
 * Reading builds a fresh result object each time, equal to the one the table was made from.
 */

import { exactWallSeconds, formatWall } from '../time/wall-clock.ts';
import { ArchiveShape, decodeArchive, encodeArchive } from './archive-name.ts';
import { NameParts, ValueList } from './column-values.ts';
import { type Extras, extrasOf, linesOf } from './row-extras.ts';
import type { GuestBackupResult, GuestResultList, LogLine } from '../vzdump-log/types.ts';

const STATUSES: readonly GuestBackupResult['status'][] = ['ok', 'failed', 'aborted', 'skipped', 'running'];
const TYPES: readonly GuestBackupResult['type'][] = [null, 'qemu', 'lxc'];
const TARGETS: readonly GuestBackupResult['target'][] = [null, 'file', 'pbs'];
const NO_LINES: readonly LogLine[] = Object.freeze([]);
const NO_TEXTS: readonly string[] = Object.freeze([]);

/** A 32-bit cell's null. */
const NONE = 0xffffffff;

/** `n` as a 32-bit cell (null: NONE); undefined when it is not a whole number the cell can hold. */
const u32Cell = (n: number | null): number | undefined => (n === null ? NONE : Number.isInteger(n) && n >= 0 && n < NONE ? n : undefined);
const fromU32 = (n: number): number | null => (n === NONE ? null : n);

/** A time cell: wall seconds (1970–2106), NONE for null; undefined when the text must be kept. */
function timeCell(text: string | null): number | undefined {
    if (text === null) return NONE;
    const w = exactWallSeconds(text);
    return Number.isNaN(w) ? undefined : u32Cell(w);
}

/** status | type << 3 | target << 5; negative when a value is not one the columns know. */
const codeOf = (g: GuestBackupResult): number => STATUSES.indexOf(g.status) | (TYPES.indexOf(g.type) << 3) | (TARGETS.indexOf(g.target) << 5);


const numberCell = (n: number | null): number => (n === null ? Number.NaN : n);
const fromCell = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** Bytes per row: size (8), four 32-bit cells (16), three 32-bit integers (12), two bytes (2). */
const ROW_BYTES = 38;

export class GuestTable implements GuestResultList {
    readonly length: number;
    /*
     * The columns share one buffer (a buffer and its view cost ~150 bytes of their own, and a
     * 10 000-guest history has ~3 400 tables). Per row:
     * - sizes: size in bytes, NaN = null;
     * - u32: started, ended (wall seconds), duration, archive time — NONE = null;
     * - i32: VMID, index into `names` (-1 = null), index into `parts` (file archives);
     * - u8: status | type << 3 | target << 5, archive shape (archive-name.ts; odd names as text).
     */
    private readonly sizes: Float64Array;
    private readonly u32: Uint32Array;
    private readonly i32: Int32Array;
    private readonly u8: Uint8Array;
    private readonly names: ValueList<string>;
    private readonly parts = new NameParts();
    /** Archive names of no known shape, and rows that do not fit the columns, kept as they came. */
    private archiveTexts: Map<number, string> | undefined;
    private extras: Map<number, Extras> | undefined;
    private whole: Map<number, GuestBackupResult> | undefined;

    /**
     * `keep` gives what to store of a row kept whole (default: the row itself); `names` is a list
     * of guest names shared by many tables (a collector's: every day's task names the same
     * guests), else the table keeps its own.
     */
    constructor(results: readonly GuestBackupResult[], keep: (g: GuestBackupResult) => GuestBackupResult = (g) => g, names?: ValueList<string>) {
        this.names = names ?? new ValueList<string>();
        const n = results.length;
        this.length = n;
        const buffer = new ArrayBuffer(n * ROW_BYTES);
        this.sizes = new Float64Array(buffer, 0, n);
        this.u32 = new Uint32Array(buffer, n * 8, n * 4);
        this.i32 = new Int32Array(buffer, n * 24, n * 3);
        this.u8 = new Uint8Array(buffer, n * 36, n * 2);
        for (let i = 0; i < n; i++) {
            const g = results[i] as GuestBackupResult;
            this.i32[i * 3] = g.vmid;
            const started = timeCell(g.startedLocal);
            const ended = timeCell(g.endedLocal);
            const duration = u32Cell(g.durationSeconds);
            const code = codeOf(g);
            const extras = extrasOf(g);
            if (started === undefined || ended === undefined || duration === undefined || code < 0 || extras === undefined || !Number.isInteger(g.vmid)) {
                this.whole ??= new Map();
                this.whole.set(i, keep(g));
                continue;
            }
            if (extras !== null) {
                this.extras ??= new Map();
                this.extras.set(i, extras);
            }
            this.u8[i * 2] = code;
            this.u32[i * 4] = started;
            this.u32[i * 4 + 1] = ended;
            this.u32[i * 4 + 2] = duration;
            this.u32[i * 4 + 3] = NONE;
            this.sizes[i] = numberCell(g.sizeBytes);
            this.i32[i * 3 + 1] = this.names.indexOf(g.name);
            if (g.archive !== null) this.putArchive(i, g.archive);
        }
        if (names === undefined) this.names.seal();
    }

    private putArchive(i: number, name: string): void {
        const a = encodeArchive(name, this.vmidAt(i));
        const time = u32Cell(a.time);
        if (a.shape === ArchiveShape.Text || time === undefined) {
            this.u8[i * 2 + 1] = ArchiveShape.Text;
            this.archiveTexts ??= new Map();
            this.archiveTexts.set(i, name);
            return;
        }
        this.u8[i * 2 + 1] = a.shape;
        this.u32[i * 4 + 3] = time;
        if (a.shape === ArchiveShape.File) this.i32[i * 3 + 2] = this.parts.indexOf(name, a.headEnd, a.tailStart);
    }

    private archiveAt(i: number): string | null {
        const shape = this.u8[i * 2 + 1] as ArchiveShape;
        if (shape === ArchiveShape.None) return null;
        if (shape === ArchiveShape.Text) return this.archiveTexts?.get(i) ?? null;
        const k = this.i32[i * 3 + 2] as number;
        return decodeArchive({ shape, time: this.u32[i * 4 + 3] as number, head: this.parts.head(k), tail: this.parts.tail(k) }, this.vmidAt(i));
    }

    vmidAt(i: number): number {
        return this.i32[i * 3] as number;
    }

    statusAt(i: number): GuestBackupResult['status'] {
        return this.whole?.get(i)?.status ?? (STATUSES[(this.u8[i * 2] as number) & 7] as GuestBackupResult['status']);
    }

    /** The result in row `i` (a fresh object for a columnar row), like `Array.prototype.at` for i ≥ 0. */
    at(i: number): GuestBackupResult | undefined {
        return i >= 0 && i < this.length ? this.row(i) : undefined;
    }

    private row(i: number): GuestBackupResult {
        return this.whole?.get(i) ?? this.build(i, true);
    }

    /**
     * Row `i` with its times as wall seconds (a columnar row; its result's time texts are left
     * null, which saves formatting them) or as the logged text (a row kept whole).
     */
    rowAt<T>(i: number, fn: (g: GuestBackupResult, started: LogTime, ended: LogTime) => T): T {
        const kept = this.whole?.get(i);
        if (kept) return fn(kept, kept.startedLocal, kept.endedLocal);
        return fn(this.build(i, false), fromU32(this.u32[i * 4] as number), fromU32(this.u32[i * 4 + 1] as number));
    }

    private build(i: number, withTimes: boolean): GuestBackupResult {
        const code = this.u8[i * 2] as number;
        const started = fromU32(this.u32[i * 4] as number);
        const ended = fromU32(this.u32[i * 4 + 1] as number);
        const k = this.i32[i * 3 + 1] as number;
        const extras = this.extras?.get(i);
        return {
            vmid: this.vmidAt(i),
            type: TYPES[(code >> 3) & 3] ?? null,
            name: this.names.get(k) ?? null,
            status: STATUSES[code & 7] as GuestBackupResult['status'],
            error: extras?.error ?? null,
            startedLocal: !withTimes || started === null ? null : formatWall(started),
            endedLocal: !withTimes || ended === null ? null : formatWall(ended),
            durationSeconds: fromU32(this.u32[i * 4 + 2] as number),
            sizeBytes: fromCell(this.sizes[i] as number),
            archive: this.archiveAt(i),
            target: TARGETS[(code >> 5) & 3] ?? null,
            warnings: extras && extras.warnings.length > 0 ? [...extras.warnings] : (NO_TEXTS as string[]),
            evidence: extras ? linesOf(extras) : (NO_LINES as LogLine[]),
        };
    }

    private indexOf(vmid: number): number {
        for (let i = 0; i < this.length; i++) if (this.i32[i * 3] === vmid) return i;
        return -1;
    }

    has(vmid: number): boolean {
        return this.indexOf(vmid) >= 0;
    }

    /** Whether a row has its own warnings. */
    anyWarnings(): boolean {
        for (const g of this.whole?.values() ?? []) if (g.warnings.length > 0) return true;
        for (const e of this.extras?.values() ?? []) if (e.warnings.length > 0) return true;
        return false;
    }

    /** The first result of `vmid` without building the others. */
    byVmid(vmid: number): GuestBackupResult | undefined {
        const i = this.indexOf(vmid);
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
