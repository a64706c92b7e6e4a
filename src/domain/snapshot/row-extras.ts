// SPDX-License-Identifier: AGPL-3.0-or-later
/** What a guest table (guest-table.ts) keeps of a row beside its columns. */

import type { GuestBackupResult, LogLine } from '../vzdump-log/types.ts';

const NO_LINES: readonly LogLine[] = Object.freeze([]);

/**
 * What a row has beyond its columns: an error, warnings, and the log lines that decide it (the
 * texts joined by newlines: one string instead of an object and a string per line).
 */
export interface Extras {
    error: string | null;
    warnings: string[];
    /** `<n>\t<text>` per line, joined by newlines; empty for none. */
    lines: string;
}

/** The row's extras, null when it has none, undefined when its lines cannot be joined back exactly. */
export function extrasOf(g: GuestBackupResult): Extras | null | undefined {
    if (g.error === null && g.warnings.length === 0 && g.evidence.length === 0) return null;
    if (g.evidence.some((l) => l.text.includes('\n'))) return undefined;
    if (g.evidence.some((l) => !Number.isSafeInteger(l.n))) return undefined;
    return { error: g.error, warnings: g.warnings, lines: g.evidence.map((l) => `${l.n}\t${l.text}`).join('\n') };
}

export function linesOf(e: Extras): LogLine[] {
    if (e.lines === '') return NO_LINES as LogLine[];
    return e.lines.split('\n').map((line) => {
        const tab = line.indexOf('\t');
        return { n: Number(line.slice(0, tab)), text: line.slice(tab + 1) };
    });
}
