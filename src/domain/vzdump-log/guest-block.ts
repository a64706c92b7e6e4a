// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What a guest's block in a vzdump log says about it, shared by the task log parser and the
 * per-guest log parser. Functions take the line and the offset where the message starts (after
 * `INFO: `, or after the timestamp and prefix), so the hot loop never slices unmatched lines.
 */

import { parseSize } from './sizes.ts';
import type { GuestBackupResult, LogLine } from './types.ts';

/** A guest while its block is being read. */
export interface GuestDraft {
    result: GuestBackupResult;
    /** Between `Starting Backup` and its `Finished`/`failed` line. */
    open: boolean;
    archiveSize: number | null;
    transferred: number | null;
    /** Sum of PBS client `<archive>.pxar: had to backup <size> …` lines (container backups to PBS). */
    pxar: number | null;
}

export const NO_RESULT = 'no result in log (log truncated?)';

export function newGuest(vmid: number, type: GuestBackupResult['type']): GuestDraft {
    return {
        result: {
            vmid,
            type,
            name: null,
            status: 'running',
            error: null,
            startedLocal: null,
            endedLocal: null,
            durationSeconds: null,
            sizeBytes: null,
            archive: null,
            target: null,
            warnings: [],
            evidence: [],
        },
        open: true,
        archiveSize: null,
        transferred: null,
        pxar: null,
    };
}

/**
 * The guest's size: `archive file size` (file storages) wins. PBS logs no archive size, so there
 * it is the amount this run moved: QEMU's `transferred <x>` (for incremental runs only the dirty
 * data) or, for containers, the sum of the PBS client's `had to backup <x>` lines (new data before
 * compression). Either way it measures what the run wrote, not the snapshot's logical size, which
 * is what size-anomaly checks compare run to run.
 */
export function draftResult(draft: GuestDraft): GuestBackupResult {
    draft.result.sizeBytes = draft.archiveSize ?? draft.transferred ?? draft.pxar;
    return draft.result;
}

export function lineOf(text: string, n: number): LogLine {
    return { n, text };
}

/** `Starting Backup of VM <vmid> (<type>)` at `off`. */
export function matchStarting(text: string, off: number): { vmid: number; type: GuestBackupResult['type'] } | null {
    if (!text.startsWith('Starting Backup of VM ', off)) return null;
    const at = off + 22;
    const end = digitsEnd(text, at);
    const vmid = toVmid(text, at, end);
    if (vmid === null) return null;
    const kind = text.slice(end).trim();
    const type = kind === '(qemu)' ? 'qemu' : kind === '(lxc)' ? 'lxc' : null;
    return { vmid, type };
}

/** `Finished Backup of VM <vmid> (HH:MM:SS)` at `off`. */
export function matchFinished(text: string, off: number): { vmid: number; seconds: number | null } | null {
    if (!text.startsWith('Finished Backup of VM ', off)) return null;
    const at = off + 22;
    const end = digitsEnd(text, at);
    const vmid = toVmid(text, at, end);
    if (vmid === null) return null;
    return { vmid, seconds: durationAt(text, end, Math.min(text.length, end + 24)) };
}

/**
 * ` (H:MM:SS)` at `at`, within `[at, limit)`: the seconds, or null. By hand rather than a regular
 * expression on a slice, as it runs once per guest of every log.
 */
function durationAt(text: string, at: number, limit: number): number | null {
    if (text.charCodeAt(at) !== 32 || text.charCodeAt(at + 1) !== 40) return null;
    let i = at + 2;
    let hours = 0;
    for (let d = digit(text, i, limit); d >= 0; d = digit(text, ++i, limit)) hours = hours * 10 + d;
    if (i === at + 2 || i + 7 > limit) return null;
    const m1 = digit(text, i + 1, limit);
    const m2 = digit(text, i + 2, limit);
    const s1 = digit(text, i + 4, limit);
    const s2 = digit(text, i + 5, limit);
    const ok = text.charCodeAt(i) === 58 && text.charCodeAt(i + 3) === 58 && text.charCodeAt(i + 6) === 41;
    if (!ok || m1 < 0 || m2 < 0 || s1 < 0 || s2 < 0) return null;
    return hours * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2;
}

function digit(text: string, i: number, limit: number): number {
    const c = i < limit ? text.charCodeAt(i) : -1;
    return c >= 48 && c <= 57 ? c - 48 : -1;
}

/** `Backup of VM <vmid> failed - <error>` at `off` (the message of an `ERROR:` line). */
export function matchFailed(text: string, off: number): { vmid: number; error: string } | null {
    if (!text.startsWith('Backup of VM ', off)) return null;
    const at = off + 13;
    const end = digitsEnd(text, at);
    const vmid = toVmid(text, at, end);
    if (vmid === null || !text.startsWith(' failed', end)) return null;
    const rest = text.slice(end + 7);
    const error = rest.startsWith(' - ') ? rest.slice(3) : rest.replace(/^\s*-?\s*/, '');
    return { vmid, error: error === '' ? 'unknown error' : error };
}

/**
 * Applies an `INFO:` message inside an open guest block: name, archive, sizes. Returns true when
 * the line was one of them.
 */
export function applyGuestInfo(draft: GuestDraft, text: string, off: number, n: number): boolean {
    const g = draft.result;
    switch (text.charCodeAt(off)) {
        case 86: // V
        case 67: // C
            if (text.startsWith('VM Name: ', off) || text.startsWith('CT Name: ', off)) {
                g.name = text.slice(off + 9).trim();
                return true;
            }
            return false;
        case 99: // c
            return applyArchive(draft, text, off);
        case 97: // a
            if (text.startsWith('archive file size: ', off)) {
                draft.archiveSize = parseSize(text.slice(off + 19));
                g.evidence.push(lineOf(text, n));
                return true;
            }
            return false;
        case 116: // t
            if (text.startsWith('transferred ', off)) {
                const cut = text.indexOf(' in ', off + 12);
                draft.transferred = parseSize(text.slice(off + 12, cut < 0 ? undefined : cut));
                g.evidence.push(lineOf(text, n));
                return true;
            }
            return false;
        default:
            return g.target === 'pbs' && applyPxar(draft, text, off, n);
    }
}

function applyArchive(draft: GuestDraft, text: string, off: number): boolean {
    const g = draft.result;
    let target: 'file' | 'pbs';
    let at: number;
    if (text.startsWith('creating vzdump archive ', off)) {
        target = 'file';
        at = off + 24;
    } else if (text.startsWith('creating Proxmox Backup Server archive ', off)) {
        target = 'pbs';
        at = off + 39;
    } else if (text.startsWith('creating archive ', off)) {
        target = 'file'; // wording before PVE 6.2
        at = off + 17;
    } else {
        return false;
    }
    g.target = target;
    g.archive = unquote(text.slice(at).trim());
    return true;
}

/** `root.pxar: had to backup 479.821 MiB of 2.246 GiB (compressed …) …` (older: `had to upload`). */
function applyPxar(draft: GuestDraft, text: string, off: number, n: number): boolean {
    const at = text.indexOf(': had to ', off);
    if (at < 0) return false;
    const m = /^: had to (?:backup|upload) ([\d.]+ ?[A-Za-z]*) of /.exec(text.slice(at, at + 64));
    if (!m) return false;
    const bytes = parseSize(m[1] as string);
    if (bytes === null) return false;
    draft.pxar = (draft.pxar ?? 0) + bytes;
    draft.result.evidence.push(lineOf(text, n));
    return true;
}

function digitsEnd(text: string, at: number): number {
    let i = at;
    while (i < text.length && i - at < 12) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
        i++;
    }
    return i;
}

function toVmid(text: string, from: number, to: number): number | null {
    if (to === from || to - from > 10) return null;
    const vmid = Number(text.slice(from, to));
    return vmid > 0 ? vmid : null;
}

function unquote(text: string): string {
    return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
}
