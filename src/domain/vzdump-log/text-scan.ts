// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The raw-text path of the task log parser. A task log is mostly progress and tool output that no
 * handler acts on, so instead of splitting the file into one string per line, this walks the text
 * with `indexOf('\n')` and looks at the characters after `INFO: ` in place; only the lines a
 * handler can act on become strings. Line numbers, CR stripping and the `no content` rule are
 * those of `normalizeLogInput`, so the result is the same as parsing the split lines.
 */

import type { LogReader } from './log-reader.ts';

const HAD_TO = ': had to ';

/** Feeds the lines of `text` that a handler can act on to `r`; returns the line count. */
export function scanText(text: string, r: LogReader): number {
    const s = new TextScanner(r);
    s.feed(text);
    return s.end();
}

/**
 * The same scan over a text that arrives in pieces (a download as it is unzipped): no string ever
 * holds the whole log, so a 150 KB log never lands in V8's large-object space, which only a full
 * collection frees — the cold cycle's 3 800 logs had grown the heap by hundreds of megabytes.
 * A line cut between two pieces is carried over to the next.
 */
export class TextScanner {
    private n = 0;
    private carry = '';
    private noContent = false;

    constructor(private readonly r: LogReader) {}

    /** Lines scanned so far. */
    get lines(): number {
        return this.n;
    }

    /** Scans the complete lines of `chunk` (after what was carried over) and keeps the rest. */
    feed(chunk: string): void {
        const text = this.carry.length === 0 ? chunk : this.carry + chunk;
        const last = text.lastIndexOf('\n');
        if (last < 0) {
            this.carry = text;
            return;
        }
        this.scan(text, last + 1);
        // Copied, so the carried part does not keep the whole piece alive.
        this.carry = last + 1 < text.length ? ownLine(text, last + 1, text.length) : '';
    }

    /** Scans the last line (one without a newline) and returns the line count. */
    end(): number {
        if (this.carry.length > 0) this.scan(this.carry, this.carry.length);
        this.carry = '';
        // PVE's log API answers an empty log with one pseudo line.
        return this.n === 1 && this.noContent ? 0 : this.n;
    }

    /** The lines of text[0, len): each one ends with a newline, or at len. */
    private scan(text: string, len: number): void {
        const r = this.r;
        const hadTo = { at: -1 };
        let n = this.n;
        let pos = 0;
        while (pos < len) {
            const nl = text.indexOf('\n', pos);
            const next = nl < 0 || nl >= len ? len : nl + 1;
            let end = nl < 0 || nl >= len ? len : nl;
            // A prefix below never contains CR or LF, so a match at `pos` cannot reach past `end`.
            if (end > pos && text.charCodeAt(end - 1) === 13) end--;
            n++;
            if (n === 1) this.noContent = end - pos === 10 && text.startsWith('no content', pos);
            switch (text.charCodeAt(pos)) {
                case 73: // I
                    if (infoWanted(text, pos + 6, end, r, hadTo) && text.startsWith('INFO: ', pos)) r.info(ownLine(text, pos, end), n);
                    break;
                case 69: // E
                    if (text.startsWith('ERROR: ', pos)) r.error(ownLine(text, pos, end), n);
                    break;
                case 87: // W
                    if (text.startsWith('WARN: ', pos)) r.warn(ownLine(text, pos, end), n);
                    break;
                case 84: // T
                    if (text.startsWith('TASK ', pos)) r.taskLine(ownLine(text, pos, end), n);
                    break;
            }
            pos = next;
        }
        this.n = n;
    }
}

/**
 * Whether `LogReader.info` can change anything for the `INFO:` message at `at`: a superset of the
 * prefixes its handlers test (`jobInfo`, then `applyGuestInfo` for an open guest), so a line left
 * out here is one the handlers would have ignored. `startsWith` at an offset of a long text costs
 * more than the few characters it usually takes to reject a line, so a character of the prefix is
 * compared first (each one a necessary condition, so nothing is lost).
 */
function infoWanted(text: string, at: number, end: number, r: LogReader, hadTo: { at: number }): boolean {
    const g = r.current;
    switch (text.charCodeAt(at)) {
        case 83: // S
            if (text.charCodeAt(at + 9) === 66 && text.startsWith('Starting Backup of VM ', at)) return true;
            break;
        case 70: // F
            if (text.startsWith('Finished Backup of VM ', at) || text.startsWith('Failed at ', at)) return true;
            break;
        case 66: // B
            if (text.startsWith('Backup ', at)) return true;
            break;
        case 115: // s: also `status = …`, `starting backup via QMP command`, `started backup task …`
            if (text.charCodeAt(at + 9) === 110 && text.startsWith('starting new backup job: ', at)) return true;
            if (text.charCodeAt(at + 1) === 107 && text.startsWith('skip external VMs: ', at)) return true;
            break;
        // The guest lines below never fall through to the PBS client line check.
        case 86: // V
        case 67: // C
            return g !== null && (text.startsWith('VM Name: ', at) || text.startsWith('CT Name: ', at));
        case 99: // c: also `create storage snapshot …`, `cleanup temporary …`
            return g !== null && text.charCodeAt(at + 5) === 105 && text.startsWith('creating ', at);
        case 97: // a
            return g !== null && text.startsWith('archive file size: ', at);
        case 116: // t
            return g !== null && text.startsWith('transferred ', at);
    }
    return g !== null && g.result.target === 'pbs' && containsHadTo(text, at, end, hadTo);
}

/**
 * Whether `: had to ` occurs in [at, end). The position of the next occurrence is remembered and
 * searched again only once the scan has passed it, so a log with no such line is searched once.
 */
function containsHadTo(text: string, at: number, end: number, hadTo: { at: number }): boolean {
    if (hadTo.at < at) {
        const i = text.indexOf(HAD_TO, at);
        hadTo.at = i < 0 ? text.length : i;
    }
    return hadTo.at < end;
}

/**
 * The line as a string of its own. V8's `slice` returns a view that keeps the whole file text
 * alive (from 13 characters on), and every name, archive or evidence line cut from the line would
 * pin it too; concatenating and slicing again makes V8 flatten the line into a fresh string, so a
 * kept result holds only its own lines.
 */
function ownLine(text: string, from: number, to: number): string {
    return ` ${text.slice(from, to)}`.slice(1);
}
