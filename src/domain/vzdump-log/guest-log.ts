// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The per-guest log `/var/log/vzdump/<qemu|lxc>-<vmid>.log` and its copy next to the archive
 * (pve-platform.md §4.8): `<YYYY-MM-DD HH:MM:SS> <PREFIX>: <text>` lines of the latest run of one
 * guest. It has no `Backup started/finished at` or `Failed at` lines, so the start and end times
 * come from the timestamps of the `Starting Backup` and `Finished`/`failed` lines.
 */

import {
    applyGuestInfo,
    draftResult,
    type GuestDraft,
    lineOf,
    matchFailed,
    matchFinished,
    matchStarting,
    NO_RESULT,
    newGuest,
} from './guest-block.ts';
import { normalizeLogInput, type VzdumpLogInput } from './lines.ts';
import type { GuestBackupResult } from './types.ts';

export interface ParseGuestLogOptions {
    /** The backup is still running: a log without end line yields status `running`. */
    running?: boolean;
}

const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /;

/**
 * Parses one guest's log. Null when the log names no guest (empty, or no `Starting Backup`,
 * `Finished` or `failed` line). Never throws.
 */
export function parseGuestLog(input: VzdumpLogInput, opts: ParseGuestLogOptions = {}): GuestBackupResult | null {
    try {
        return read(input, typeof opts === 'object' && opts !== null && opts.running === true);
    } catch {
        return null;
    }
}

/** `qemu-100.log` / `lxc-101.log` → type and vmid; null for other names. */
export function guestLogFileInfo(fileName: string): { type: 'qemu' | 'lxc'; vmid: number } | null {
    if (typeof fileName !== 'string') return null;
    const m = /(?:^|\/)(qemu|lxc)-(\d{1,10})\.log$/.exec(fileName);
    return m ? { type: m[1] as 'qemu' | 'lxc', vmid: Number(m[2]) } : null;
}

function read(input: VzdumpLogInput, running: boolean): GuestBackupResult | null {
    const { texts, numbers } = normalizeLogInput(input);
    let g: GuestDraft | null = null;
    for (let i = 0; i < texts.length; i++) {
        const text = texts[i] as string;
        const n = numbers ? (numbers[i] as number) : i + 1;
        const stamped = STAMP.test(text);
        const off = stamped ? 20 : 0;
        const stamp = stamped ? text.slice(0, 19) : null;
        if (text.startsWith('INFO: ', off)) {
            const at = off + 6;
            const start = matchStarting(text, at);
            if (start) {
                g = newGuest(start.vmid, start.type);
                g.result.startedLocal = stamp;
                g.result.evidence.push(lineOf(text, n));
                continue;
            }
            const done = matchFinished(text, at);
            if (done) {
                g = closing(g, done.vmid);
                g.result.status = 'ok';
                g.result.durationSeconds = done.seconds;
                g.result.endedLocal = stamp;
                g.result.evidence.push(lineOf(text, n));
                continue;
            }
            if (g?.open) applyGuestInfo(g, text, at, n);
        } else if (text.startsWith('ERROR: ', off)) {
            const failed = matchFailed(text, off + 7);
            if (failed) {
                g = closing(g, failed.vmid);
                g.result.status = 'failed';
                g.result.error = failed.error;
                g.result.endedLocal = stamp;
            }
            g?.result.evidence.push(lineOf(text, n));
        } else if (text.startsWith('WARN: ', off) && g) {
            g.result.warnings.push(text.slice(off + 6));
            g.result.evidence.push(lineOf(text, n));
        }
    }
    if (!g) return null;
    if (g.open) {
        g.result.status = running ? 'running' : 'failed';
        if (!running) g.result.error = NO_RESULT;
    }
    return draftResult(g);
}

/** The guest an end line closes; a fresh one when the log starts mid-way or names another guest. */
function closing(g: GuestDraft | null, vmid: number): GuestDraft {
    const target = g && g.result.vmid === vmid ? g : newGuest(vmid, null);
    target.open = false;
    return target;
}
