// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The line handlers of the task log parser: what each recognised `INFO:`/`ERROR:`/`WARN:`/`TASK`
 * line changes. `parse.ts` drives them and derives the result.
 */

import {
    applyGuestInfo,
    type GuestDraft,
    lineOf,
    matchFailed,
    matchFinished,
    matchStarting,
    newGuest,
} from './guest-block.ts';
import type { GuestBackupResult, LogLine } from './types.ts';

export type TaskEnd = { kind: 'ok' | 'warnings' | 'error'; message: string; line: LogLine };

/** Parser state for one log; fields are filled while reading, `parse.ts` derives the result. */
export class LogReader {
    readonly guests = new Map<number, GuestDraft>();
    /** Guest whose block is open. */
    current: GuestDraft | null = null;
    /** Guest whose block just closed: its `Backup finished at`/`Failed at` and trailing warnings. */
    trailing: GuestDraft | null = null;
    cmdline: string | null = null;
    cmdlineLine: LogLine | null = null;
    task: TaskEnd | null = null;
    jobFailed: string | null = null;
    jobFailedLine: LogLine | null = null;
    lockError: string | null = null;
    readonly warnings: string[] = [];
    readonly evidence: LogLine[] = [];

    info(text: string, n: number): void {
        if (!this.jobInfo(text, n) && this.current) applyGuestInfo(this.current, text, 6, n);
    }

    /** Guest anchors and job lines of an `INFO:` message; false for anything else. */
    private jobInfo(text: string, n: number): boolean {
        const off = 6;
        switch (text.charCodeAt(off)) {
            case 83: {
                // S
                const start = matchStarting(text, off);
                if (start) this.start(start.vmid, start.type, text, n);
                return start !== null;
            }
            case 70: {
                // F
                const done = matchFinished(text, off);
                if (done) this.finish(done.vmid, done.seconds, text, n);
                else if (text.startsWith('Failed at ', off)) this.ended(text.slice(off + 10).trim());
                else return false;
                return true;
            }
            case 66: // B
                if (text.startsWith('Backup started at ', off)) {
                    const g = this.current;
                    if (g && g.result.startedLocal === null) g.result.startedLocal = text.slice(off + 18).trim();
                } else if (text.startsWith('Backup finished at ', off)) {
                    this.ended(text.slice(off + 19).trim());
                } else if (text.startsWith('Backup job finished', off)) {
                    this.trailing = null;
                    this.evidence.push(lineOf(text, n));
                } else {
                    return false;
                }
                return true;
            case 115: // s
                if (text.startsWith('starting new backup job: ', off)) {
                    if (this.cmdline === null) {
                        this.cmdline = text.slice(off + 25);
                        this.cmdlineLine = lineOf(text, n);
                    }
                } else if (text.startsWith('skip external VMs: ', off)) {
                    this.skip(text, off + 19, n);
                } else {
                    return false;
                }
                return true;
            default:
                return false;
        }
    }

    error(text: string, n: number): void {
        const off = 7;
        const failed = matchFailed(text, off);
        if (failed) {
            const g = this.guest(failed.vmid);
            g.open = false;
            g.result.status = 'failed';
            g.result.error = failed.error;
            g.result.evidence.push(lineOf(text, n));
            if (this.current === g) this.current = null;
            this.trailing = g;
            return;
        }
        const line = lineOf(text, n);
        if (text.startsWith('Backup job failed - ', off)) {
            this.jobFailed = text.slice(off + 20);
            this.jobFailedLine = line;
            this.trailing = null;
            this.evidence.push(line);
        } else if (text.startsWith("can't acquire lock ", off)) {
            this.lockError = text.slice(off);
            this.evidence.push(line);
        } else if (this.current) {
            this.current.result.evidence.push(line);
        } else {
            if (text.startsWith('could not notify', off)) this.warnings.push(text.slice(off));
            this.evidence.push(line);
        }
    }

    warn(text: string, n: number): void {
        const message = text.slice(6);
        this.warnings.push(message);
        const g = this.current ?? this.trailing;
        if (g) {
            g.result.warnings.push(message);
            g.result.evidence.push(lineOf(text, n));
        }
    }

    taskLine(text: string, n: number): void {
        let end: TaskEnd | null = null;
        if (text === 'TASK OK') end = { kind: 'ok', message: 'OK', line: lineOf(text, n) };
        else if (/^TASK WARNINGS: \d+$/.test(text)) end = { kind: 'warnings', message: text.slice(5), line: lineOf(text, n) };
        else if (text.startsWith('TASK ERROR: ')) end = { kind: 'error', message: text.slice(12), line: lineOf(text, n) };
        if (!end) return;
        this.task = end;
        this.evidence.push(end.line);
    }

    private start(vmid: number, type: GuestBackupResult['type'], text: string, n: number): void {
        let g = this.guests.get(vmid);
        if (!g) {
            g = newGuest(vmid, type);
            this.guests.set(vmid, g);
        } else {
            g.open = true;
            g.result.status = 'running';
            if (type !== null) g.result.type = type;
        }
        g.result.evidence.push(lineOf(text, n));
        this.current = g;
        this.trailing = null;
    }

    private finish(vmid: number, seconds: number | null, text: string, n: number): void {
        const g = this.guest(vmid);
        g.open = false;
        g.result.status = 'ok';
        g.result.error = null;
        g.result.durationSeconds = seconds;
        g.result.evidence.push(lineOf(text, n));
        if (this.current === g) this.current = null;
        this.trailing = g;
    }

    private ended(local: string): void {
        const g = this.trailing;
        if (g && g.result.endedLocal === null) g.result.endedLocal = local;
    }

    private skip(text: string, at: number, n: number): void {
        for (const part of text.slice(at).split(/[,\s]+/)) {
            const vmid = /^\d{1,10}$/.test(part) ? Number(part) : 0;
            if (vmid <= 0 || this.guests.has(vmid)) continue;
            const g = newGuest(vmid, null);
            g.open = false;
            g.result.status = 'skipped';
            g.result.evidence.push(lineOf(text, n));
            this.guests.set(vmid, g);
        }
    }

    /** The guest a finish/fail line names: the open one, a known one, or a new one without type. */
    private guest(vmid: number): GuestDraft {
        if (this.current?.result.vmid === vmid) return this.current;
        let g = this.guests.get(vmid);
        if (!g) {
            g = newGuest(vmid, null);
            this.guests.set(vmid, g);
        }
        return g;
    }
}
