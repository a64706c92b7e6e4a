// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads a vzdump task log into the job outcome and one result per guest (pve-platform.md §5).
 *
 * The loop dispatches on the first characters of each line (`INFO: `, `ERROR: `, `WARN: `,
 * `TASK `) and then on the first character of the message, so the common lines (progress, tool
 * output) cost two character comparisons and no regular expression. Unknown lines are ignored.
 */

import { describeValue } from '../pve/coerce.ts';
import { parseVzdumpCmdline } from './cmdline.ts';
import { draftResult, NO_RESULT, newGuest } from './guest-block.ts';
import { type LogLines, normalizeLogInput, type VzdumpLogInput } from './lines.ts';
import { LogReader } from './log-reader.ts';
import { TextScanner, scanText } from './text-scan.ts';
import type { GuestBackupResult, JobOutcome, ParsedVzdumpLog } from './types.ts';

export type { VzdumpLogInput } from './lines.ts';

export interface ParseVzdumpLogOptions {
    /** The task is still running (task status API): a log without TASK line is `running`. */
    running?: boolean;
}

/**
 * Parses a vzdump task log: raw text (LF or CRLF), an array of lines, or the API's `[{n, t}]`
 * list. Never throws; a log without recognisable content yields outcome `unexpected` (or
 * `running` with `opts.running`).
 */
export function parseVzdumpLog(input: VzdumpLogInput, opts: ParseVzdumpLogOptions = {}): ParsedVzdumpLog {
    const running = typeof opts === 'object' && opts !== null && opts.running === true;
    if (typeof input !== 'string') {
        let lines: LogLines;
        try {
            lines = normalizeLogInput(input);
        } catch (e) {
            return internalError(0, running, e);
        }
        return parseVzdumpLines(lines, running);
    }
    try {
        const r = new LogReader();
        const lineCount = scanText(input, r);
        return result(r, lineCount, running);
    } catch (e) {
        // Defensive only: a bug in a line handler must not take the caller down with it.
        return internalError(countLines(input), running, e);
    }
}

/** A parse fed piece by piece (a download as it arrives); `finish` gives what parseVzdumpLog would. */
export interface VzdumpLogStreamParser {
    feed(chunk: string): void;
    finish(): ParsedVzdumpLog;
}

export function createVzdumpLogParser(opts: ParseVzdumpLogOptions = {}): VzdumpLogStreamParser {
    const running = opts.running === true;
    const r = new LogReader();
    const scanner = new TextScanner(r);
    let failure: unknown;
    return {
        feed(chunk) {
            if (failure !== undefined) return;
            try {
                scanner.feed(chunk);
            } catch (e) {
                failure = e;
            }
        },
        finish() {
            if (failure === undefined) {
                try {
                    return result(r, scanner.end(), running);
                } catch (e) {
                    failure = e;
                }
            }
            // Defensive only, as in parseVzdumpLog.
            return internalError(scanner.lines, running, failure);
        },
    };
}

/**
 * Parses lines already normalised by `normalizeLogInput`: the array inputs' path, and the
 * reference the raw-text scan is tested against.
 */
export function parseVzdumpLines(lines: LogLines, running = false): ParsedVzdumpLog {
    try {
        return read(lines, running);
    } catch (e) {
        return internalError(lines.texts.length, running, e);
    }
}

function countLines(text: string): number {
    try {
        return normalizeLogInput(text).texts.length;
    } catch {
        return 0;
    }
}

function read(lines: LogLines, running: boolean): ParsedVzdumpLog {
    const { texts, numbers } = lines;
    const r = new LogReader();
    for (let i = 0; i < texts.length; i++) {
        const text = texts[i] as string;
        const c = text.charCodeAt(0);
        const n = numbers ? (numbers[i] as number) : i + 1;
        if (c === 73 /* I */) {
            if (text.startsWith('INFO: ')) r.info(text, n);
        } else if (c === 69 /* E */) {
            if (text.startsWith('ERROR: ')) r.error(text, n);
        } else if (c === 87 /* W */) {
            if (text.startsWith('WARN: ')) r.warn(text, n);
        } else if (c === 84 /* T */) {
            if (text.startsWith('TASK ')) r.taskLine(text, n);
        }
    }
    return result(r, texts.length, running);
}

function result(r: LogReader, lineCount: number, running: boolean): ParsedVzdumpLog {
    const outcome = outcomeOf(r, running);
    const taskError = r.task?.kind === 'error' ? r.task.message : null;
    const jobError = (taskError !== null && taskError !== 'job errors' ? taskError : null) ?? r.jobFailed ?? r.lockError;
    const guests: GuestBackupResult[] = [];
    for (const draft of r.guests.values()) {
        if (draft.open) {
            if (outcome === 'running') draft.result.status = 'running';
            else {
                draft.result.status = 'failed';
                draft.result.error = r.jobFailed ?? NO_RESULT;
            }
        }
        guests.push(draftResult(draft));
    }
    const parsed = r.cmdline === null ? null : parseVzdumpCmdline(r.cmdline);
    if (parsed && (outcome === 'interrupted' || outcome === 'job-failed' || outcome === 'unexpected')) {
        const decider = r.task?.line ?? r.jobFailedLine;
        for (const vmid of parsed.selection.vmids) {
            if (r.guests.has(vmid)) continue;
            const g = newGuest(vmid, null);
            g.result.status = 'aborted';
            if (r.cmdlineLine) g.result.evidence.push(r.cmdlineLine);
            if (decider) g.result.evidence.push(decider);
            guests.push(draftResult(g));
        }
    }
    return {
        outcome,
        taskLine: r.task ? r.task.line.text.slice(5) : null,
        jobError,
        cmdline: r.cmdline,
        options: parsed ? parsed.options : {},
        selection: parsed ? parsed.selection : null,
        quiet: parsed ? parsed.quiet : false,
        guests,
        warnings: r.warnings,
        evidence: r.evidence,
        lineCount,
    };
}

function outcomeOf(r: LogReader, running: boolean): JobOutcome {
    const task = r.task;
    if (task) {
        if (task.kind === 'ok') return 'ok';
        if (task.kind === 'warnings') return 'warnings';
        if (task.message === 'job errors') return 'guest-failures';
        if (task.message === 'interrupted by signal') return 'interrupted';
        return 'job-failed';
    }
    if (r.jobFailed === 'interrupted by signal') return 'interrupted';
    return running ? 'running' : 'unexpected';
}

function internalError(lineCount: number, running: boolean, e: unknown): ParsedVzdumpLog {
    return {
        outcome: running ? 'running' : 'unexpected',
        taskLine: null,
        jobError: `internal parser error: ${e instanceof Error ? e.message : describeValue(e)}`,
        cmdline: null,
        options: {},
        selection: null,
        quiet: false,
        guests: [],
        warnings: [],
        evidence: [],
        lineCount,
    };
}
