// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * vzdump's archive names as a few numbers. A 10 000-guest history holds ~340 000 of them, ~70
 * bytes of string each; but they follow two shapes, `vm/100/2026-11-20T01:07:00Z` (PBS, UTC) and
 * `<dir>/vzdump-qemu-100-2026_11_20-02_07_00.vma.zst` (file storages, node-local time), where the
 * VMID is the row's own and only the directory and extension repeat. A name is stored as its
 * shape, a time and (files) an index of its directory and extension; reading it back rebuilds
 * the exact text, about 0.15 µs a name. Any name that would not come back identical is kept as
 * text.
 */

import { daysInMonth, fieldsFromWall } from '../time/civil.ts';

/** How a name is stored; `Text`: as it came. Values fit a byte column. */
export const ArchiveShape = { None: 0, PbsVm: 1, PbsCt: 2, File: 3, Text: 4 } as const;
export type ArchiveShape = (typeof ArchiveShape)[keyof typeof ArchiveShape];

export interface EncodedArchive {
    shape: ArchiveShape;
    /** PBS: epoch seconds (UTC); file: wall seconds of the node-local time. */
    time: number;
    /** File: the name's head (up to `<vmid>-<time>`) ends here, its tail (after them) starts here. */
    headEnd: number;
    tailStart: number;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Digits at [from, to) as a number; NaN unless all are digits. */
function digits(text: string, from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return Number.NaN;
        n = n * 10 + d;
    }
    return n;
}

/**
 * `YYYY<a>MM<a>DD<b>HH<c>MM<c>SS` at `at` as seconds (as if UTC); NaN unless every field is in
 * range and the year has no leading zero, so the text is exactly what decoding writes.
 */
function timeAt(text: string, at: number, a: number, b: number, c: number): number {
    if (text.charCodeAt(at + 4) !== a || text.charCodeAt(at + 7) !== a || text.charCodeAt(at + 10) !== b || text.charCodeAt(at + 13) !== c || text.charCodeAt(at + 16) !== c) return Number.NaN;
    const year = digits(text, at, at + 4);
    const month = digits(text, at + 5, at + 7);
    const day = digits(text, at + 8, at + 10);
    const hour = digits(text, at + 11, at + 13);
    const minute = digits(text, at + 14, at + 16);
    const second = digits(text, at + 17, at + 19);
    if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
    return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** Whether `text` holds exactly `String(vmid)` at [from, to). */
function isVmid(text: string, from: number, to: number, vmid: number): boolean {
    return to - from === String(vmid).length && digits(text, from, to) === vmid;
}

const DASH = 45;
const COLON = 58;
const UNDERSCORE = 95;
const T = 84;
const TEXT: EncodedArchive = Object.freeze({ shape: ArchiveShape.Text, time: Number.NaN, headEnd: 0, tailStart: 0 });
const FILE_TYPES = ['vzdump-qemu-', 'vzdump-lxc-', 'vzdump-openvz-'];

/**
 * `name` (from index `from`: a volume id's part after `<storage>:backup/`) of guest `vmid` as
 * numbers, when it reads back exactly (else shape Text).
 * Scans characters rather than matching a pattern: it runs for every result the collector reads,
 * and what it allocates while logs are parsed makes V8 promote the parsers' state.
 */
export function encodeArchive(name: string, vmid: number, from = 0): EncodedArchive {
    const c0 = name.charCodeAt(from);
    const c1 = name.charCodeAt(from + 1);
    if (((c0 === 118 && c1 === 109) || (c0 === 99 && c1 === 116)) && name.charCodeAt(from + 2) === 47) {
        // vm/<vmid>/YYYY-MM-DDTHH:MM:SSZ, ct/…
        const slash = name.indexOf('/', from + 3);
        const at = slash + 1;
        if (slash < 0 || name.length !== at + 20 || name.charCodeAt(at + 19) !== 90 || !isVmid(name, from + 3, slash, vmid)) return TEXT;
        const time = timeAt(name, at, DASH, T, COLON);
        return Number.isNaN(time) ? TEXT : { shape: c0 === 118 ? ArchiveShape.PbsVm : ArchiveShape.PbsCt, time, headEnd: 0, tailStart: 0 };
    }
    for (const type of FILE_TYPES) {
        const t = name.lastIndexOf(type);
        if (t < from) continue;
        // <head>vzdump-<type>-<vmid>-YYYY_MM_DD-HH_MM_SS<tail>
        const id = t + type.length;
        const dash = name.indexOf('-', id);
        if (dash < 0 || !isVmid(name, id, dash, vmid)) return TEXT;
        const time = timeAt(name, dash + 1, UNDERSCORE, DASH, UNDERSCORE);
        return Number.isNaN(time) ? TEXT : { shape: ArchiveShape.File, time, headEnd: id, tailStart: dash + 20 };
    }
    return TEXT;
}

/** The name `encodeArchive` read (shapes PbsVm, PbsCt and File; `head`/`tail` for files). */
export function decodeArchive(a: { shape: ArchiveShape; time: number; head: string; tail: string }, vmid: number): string {
    const f = fieldsFromWall(a.time);
    // join, not a template: a template makes a tree of ~14 string pieces (~450 bytes) that a
    // report keeping the name (a guest's last result) would hold; join makes one flat string.
    if (a.shape === ArchiveShape.File) {
        return [a.head, vmid, '-', f.year, '_', pad(f.month), '_', pad(f.day), '-', pad(f.hour), '_', pad(f.minute), '_', pad(f.second), a.tail].join('');
    }
    return [a.shape === ArchiveShape.PbsVm ? 'vm' : 'ct', '/', vmid, '/', f.year, '-', pad(f.month), '-', pad(f.day), 'T', pad(f.hour), ':', pad(f.minute), ':', pad(f.second), 'Z'].join('');
}
