// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What a collector keeps of a parsed task log for the whole history window. A 10 000-guest
 * cluster has ~340 000 guest results in 35 days; their evidence lines were a third of the
 * collector's memory although the evaluator quotes a guest's lines only when its result is a
 * problem (failed, aborted, warnings, unknown). A plain "ok" result without warnings can never be
 * one unless its task warned and no guest claims the warning: its lines are dropped here. Everything else is kept as is,
 * empty lists are shared and repeated texts (guest names, errors, warnings, options) interned.
 * The guest results go into columns (guest-table.ts). The task log cache keeps the whole parse;
 * this is only the in-memory form.
 */

import type { GuestBackupResult, LogLine, ParsedVzdumpLog, TaskLog } from '../vzdump-log/types.ts';
import { ValueList } from './column-values.ts';
import { GuestTable } from './guest-table.ts';

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/**
 * A copy that holds only its own characters. The parser cuts times and archive names out of log
 * lines, and V8 keeps such a substring as a view that pins the whole line (~100 bytes more per
 * field, ~70 MiB at 340 000 results). A JSON round trip makes a fresh flat string; a concatenation
 * would still leave a view over a fresh copy (~30 MiB more, measured).
 */
const own = (text: string | null): string | null => (text === null ? null : (JSON.parse(JSON.stringify(text)) as string));

/** Returns one instance per distinct string (a Map-backed interner owned by the caller). */
export interface Interner {
    (text: string): string;
    /**
     * One shared, frozen copy per distinct list of VMIDs: a job's task lists the same guests every
     * day (~2.4 MiB of copies in a 10 000-guest history).
     */
    vmids(list: readonly number[]): number[];
    /** The same for lists of (interned) texts: warnings repeat across guests and days. */
    texts(list: readonly string[]): string[];
    /** Guest names shared by every guest table the collector builds. */
    readonly names: ValueList<string>;
}

/** One shared, frozen copy per distinct list, told apart by `keyOf`. */
function sharedLists<T>(keyOf: (list: readonly T[]) => string): (list: readonly T[]) => T[] {
    const known = new Map<string, T[]>();
    return (list) => {
        if (list.length === 0) return NO_ITEMS as T[];
        const key = keyOf(list);
        let shared = known.get(key);
        if (shared === undefined) {
            shared = Object.freeze([...list]) as T[];
            known.set(key, shared);
        }
        return shared;
    };
}

export function createInterner(): Interner {
    const seen = new Map<string, string>();
    const intern = (text: string): string => {
        const known = seen.get(text);
        if (known !== undefined) return known;
        // The first copy stays for the collector's life: a flat one, not a view pinning its log.
        const flat = own(text) as string;
        seen.set(flat, flat);
        return flat;
    };
    // JSON keeps texts apart whatever they contain; numbers need only a separator.
    const textLists = sharedLists<string>((list) => JSON.stringify(list));
    intern.names = new ValueList<string>();
    // Most results have no warnings: no copy to make for them.
    intern.texts = (list: readonly string[]): string[] => (list.length === 0 ? (NO_ITEMS as string[]) : textLists(list.map(intern)));
    intern.vmids = sharedLists<number>((list) => list.join(','));
    return intern;
}

const NO_LINES: readonly LogLine[] = Object.freeze([]);

/**
 * Whether a guest's own lines can decide a verdict (attempts.ts `guestStatus`, guest-runs.ts
 * `ran`): a result that is not ok, has its own warnings, or shares a task warning no guest claims.
 */
function linesCanMatter(g: GuestBackupResult, sharedWarning: boolean): boolean {
    return g.status !== 'ok' || g.warnings.length > 0 || sharedWarning;
}

/** Own copies: a kept line's text is a cut of the log line (a view pinning it whole). */
const lines = (list: readonly LogLine[]): LogLine[] => (list.length === 0 ? (NO_LINES as LogLine[]) : list.map((l) => ({ n: l.n, text: own(l.text) as string })));
const maybe = (text: string | null, intern: Interner): string | null => (text === null ? null : intern(text));


function slimGuest(g: GuestBackupResult, sharedWarning: boolean, intern: Interner): GuestBackupResult {
    return {
        vmid: g.vmid,
        type: g.type,
        name: maybe(g.name, intern),
        status: g.status,
        error: maybe(g.error, intern),
        startedLocal: g.startedLocal,
        endedLocal: g.endedLocal,
        durationSeconds: g.durationSeconds,
        sizeBytes: g.sizeBytes,
        archive: own(g.archive),
        target: g.target,
        warnings: intern.texts(g.warnings),
        evidence: linesCanMatter(g, sharedWarning) ? lines(g.evidence) : (NO_LINES as LogLine[]),
    };
}

/** A columnar row keeps its times as numbers: only a row the table keeps whole needs copies. */
const ownTimes = (g: GuestBackupResult): GuestBackupResult => ({ ...g, startedLocal: own(g.startedLocal), endedLocal: own(g.endedLocal) });

/**
 * The in-memory form of `log`: a new object sharing no array with the input (shared empty lists
 * are frozen), with the evidence lines that cannot decide a verdict left out and the guest
 * results in a compact table.
 */
export function slimTaskLog(log: ParsedVzdumpLog, intern: Interner): TaskLog {
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries(log.options)) options[intern(k)] = intern(v);
    const sel = log.selection;
    const sharedWarning = log.outcome === 'warnings' && !log.guests.some((g) => g.warnings.length > 0);
    return {
        outcome: log.outcome,
        taskLine: maybe(log.taskLine, intern),
        jobError: maybe(log.jobError, intern),
        cmdline: maybe(log.cmdline, intern),
        options,
        selection:
            sel === null
                ? null
                : { vmids: intern.vmids(sel.vmids), all: sel.all, exclude: intern.vmids(sel.exclude), pool: maybe(sel.pool, intern), node: maybe(sel.node, intern), storage: maybe(sel.storage, intern) },
        quiet: log.quiet,
        guests: new GuestTable(
            log.guests.map((g) => slimGuest(g, sharedWarning, intern)),
            ownTimes,
            intern.names,
        ),
        warnings: intern.texts(log.warnings),
        evidence: lines(log.evidence),
        lineCount: log.lineCount,
    };
}
