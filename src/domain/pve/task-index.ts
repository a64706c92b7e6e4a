// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `/var/log/pve/tasks/index` (finished tasks) and `/var/log/pve/tasks/active` (running tasks and
 * the most recent finished ones), pve-platform.md §4.6.
 */

import { parseUpid, type Upid } from './upid.ts';

export interface TaskIndexEntry {
    upid: Upid;
    /** Epoch seconds; absent when the line carries no (valid) end time. */
    endTime?: number;
    /** `OK`, `WARNINGS: <n>`, an error text or `unexpected status`; absent when not on the line. */
    status?: string;
    /** 1-based line number in the file. */
    line: number;
}

export interface ActiveTaskEntry extends TaskIndexEntry {
    /** `1` once the task was also written to `index`. */
    saved: boolean;
    /** True when no end time is recorded yet. */
    running: boolean;
}

export interface TaskFileProblem {
    line: number;
    message: string;
}

export interface TaskIndexResult<E> {
    entries: E[];
    errors: TaskFileProblem[];
}

const INDEX_LINE = /^(\S+)(?: ([0-9A-Za-z]{8})(?: (.*))?)?$/;
const ACTIVE_LINE = /^(\S+) ([01])(?: ([0-9A-Za-z]{8})(?: (.*))?)?$/;

/** Parses the `index` file (or `index.1`). Lines that do not parse are reported, never thrown. */
export function parseTaskIndex(text: string): TaskIndexResult<TaskIndexEntry> {
    const entries: TaskIndexEntry[] = [];
    const errors: TaskFileProblem[] = [];
    forEachLine(text, (raw, line) => {
        const m = INDEX_LINE.exec(raw);
        if (!m) {
            errors.push({ line, message: `unparsable task index line: ${clip(raw)}` });
            return;
        }
        const entry = makeEntry(m[1] as string, m[2], m[3], line, errors);
        if (entry) entries.push(entry);
    });
    return { entries, errors };
}

/** Parses the `active` file. */
export function parseActiveTasks(text: string): TaskIndexResult<ActiveTaskEntry> {
    const entries: ActiveTaskEntry[] = [];
    const errors: TaskFileProblem[] = [];
    forEachLine(text, (raw, line) => {
        const m = ACTIVE_LINE.exec(raw);
        if (!m) {
            errors.push({ line, message: `unparsable active task line: ${clip(raw)}` });
            return;
        }
        const entry = makeEntry(m[1] as string, m[3], m[4], line, errors);
        if (entry) entries.push({ ...entry, saved: m[2] === '1', running: m[3] === undefined });
    });
    return { entries, errors };
}

/**
 * Task log path relative to `/var/log/pve/tasks/`: `<last hex digit of starttime>/<UPID>`.
 * Null for strings that are not PVE UPIDs (PBS keeps its logs elsewhere).
 */
export function taskLogPath(upid: Upid | string): string | null {
    const parsed = typeof upid === 'string' ? parseUpid(upid) : upid;
    if (parsed?.kind !== 'pve') return null;
    const digit = (parsed.startTime & 0xf).toString(16).toUpperCase();
    return `${digit}/${parsed.raw}`;
}

/** PVE's grouping of task statuses (`normalize_status_type`). */
export function taskStatusType(status: string | null | undefined): 'ok' | 'warning' | 'error' | 'unknown' {
    if (!status) return 'unknown';
    if (status === 'OK') return 'ok';
    if (/^WARNINGS: \d+$/.test(status)) return 'warning';
    if (status === 'unexpected status') return 'unknown';
    return 'error';
}

function makeEntry(
    upidText: string,
    endHex: string | undefined,
    status: string | undefined,
    line: number,
    errors: TaskFileProblem[],
): TaskIndexEntry | null {
    const upid = parseUpid(upidText);
    if (!upid) {
        errors.push({ line, message: `invalid UPID: ${clip(upidText)}` });
        return null;
    }
    const entry: TaskIndexEntry = { upid, line };
    if (endHex !== undefined) {
        if (/^[0-9A-Fa-f]{8}$/.test(endHex)) entry.endTime = Number.parseInt(endHex, 16);
        else errors.push({ line, message: `invalid end time '${endHex}' for ${upidText}` });
    }
    if (status !== undefined && status !== '') entry.status = status;
    return entry;
}

function forEachLine(text: string, visit: (line: string, n: number) => void): void {
    const lines = (typeof text === 'string' ? text : '').split('\n');
    for (let i = 0; i < lines.length; i++) {
        let raw = lines[i] as string;
        if (raw.endsWith('\r')) raw = raw.slice(0, -1);
        if (raw.trim() === '') continue;
        visit(raw, i + 1);
    }
}

function clip(text: string): string {
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
