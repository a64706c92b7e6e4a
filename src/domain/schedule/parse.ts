// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Parser for PVE calendar events. It accepts exactly what PVE accepts (pve-common's trim, then
 * proxmox-time's parser, pve-platform.md §7.1–7.3), including the parser's backtracking quirks:
 * `25:00` is minute 25 second 0 because the hour fails and the minute is retried, and `8/30:00`
 * is minutes 8,38 at second 0 for the same reason. Error messages name the offending part.
 */

import type { CalendarEvent } from './event.ts';
import { type DateSpec, Parser, type TimeSpec, isAlpha } from './grammar.ts';
import { KEYWORDS, ZERO } from './keywords.ts';

export type { CalendarEvent, FieldList, FieldValue } from './event.ts';

export class CalendarEventError extends Error {
    override readonly name = 'CalendarEventError';
    /** Offset of the problem in the trimmed text. */
    readonly position: number;

    constructor(message: string, position = 0) {
        super(message);
        this.position = position;
    }
}

export type CalendarParseResult = { ok: true; event: CalendarEvent } | { ok: false; error: string };

function rejected(p: Parser, pos: number): CalendarEventError {
    const r = p.rejection(pos);
    return new CalendarEventError(r.message, r.pos);
}

/** PVE::Tools::trim: Perl's `\s` at both ends. */
function perlTrim(text: string): string {
    return text.replace(/^[ \t\n\r\f\v]+/, '').replace(/[ \t\n\r\f\v]+$/, '');
}

function parseBody(body: string, utc: boolean): CalendarEvent {
    const keyword = KEYWORDS.get(body);
    if (keyword !== undefined) return { utc, ...keyword };
    const p = new Parser(body);
    let pos = 0;
    let weekdays = 0;
    let hasSpec = false;
    if (isAlpha(body[0])) {
        for (const name of KEYWORDS.keys()) {
            if (body.startsWith(name) && !isAlpha(body[name.length])) {
                throw new CalendarEventError(`keyword '${name}' cannot be combined with other parts`, name.length);
            }
        }
        const days = p.weekdays(0);
        if (days === null) throw rejected(p, 0);
        weekdays = days.value;
        pos = p.skipSpaces(days.pos);
        hasSpec = true;
    }
    let date: DateSpec = { year: [], month: [], day: [] };
    const dateSpec = p.date(pos);
    if (dateSpec !== null) {
        date = dateSpec.value;
        pos = p.skipSpaces(dateSpec.pos);
        hasSpec = true;
    }
    let time: TimeSpec = { hour: ZERO, minute: ZERO, second: ZERO };
    const timeSpec = p.time(pos);
    if (timeSpec !== null) {
        time = timeSpec.value;
        pos = timeSpec.pos;
        hasSpec = true;
    }
    if (!hasSpec || pos !== body.length) throw rejected(p, pos);
    return { utc, weekdays, ...date, ...time };
}

/** Parses a calendar event as PVE does; throws CalendarEventError. */
export function parseCalendarEvent(text: string): CalendarEvent {
    if (typeof text !== 'string') throw new CalendarEventError('event is not a string');
    const trimmed = perlTrim(text);
    if (trimmed === '') throw new CalendarEventError('event is empty');
    // proxmox-time strips a literal, case-sensitive `UTC` suffix and the spaces before it.
    if (trimmed.endsWith('UTC')) return parseBody(trimmed.slice(0, -3).replace(/ +$/, ''), true);
    return parseBody(trimmed, false);
}

export function tryParseCalendarEvent(text: string): CalendarParseResult {
    try {
        return { ok: true, event: parseCalendarEvent(text) };
    } catch (e) {
        if (e instanceof CalendarEventError) return { ok: false, error: e.message };
        throw e;
    }
}
