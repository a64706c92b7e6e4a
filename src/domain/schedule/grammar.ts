// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Recursive descent over the calendar-event grammar with the same backtracking as the nom
 * combinators in proxmox-time: every alternative that fails gives way silently to the next,
 * so `25:00` ends up as minute 25 second 0 and `8/30:00` as minutes 8,38. Failed alternatives
 * leave a note, and the furthest note explains a rejection better than "unable to parse".
 */

import type { FieldValue } from './event.ts';
import { single } from './event.ts';
import { KEYWORDS, ZERO } from './keywords.ts';

export interface FieldSpec {
    name: string;
    /** First value of `*` repetitions. */
    start: number;
    /** Values must be below this. */
    limit: number;
    /** Shown in messages. */
    shown: string;
}

const YEARS: FieldSpec = { name: 'years', start: 0, limit: 2200, shown: '0..2199' };
const MONTHS: FieldSpec = { name: 'months', start: 1, limit: 13, shown: '1..12' };
const DAYS: FieldSpec = { name: 'days', start: 1, limit: 32, shown: '1..31' };
const HOURS: FieldSpec = { name: 'hours', start: 0, limit: 24, shown: '0..23' };
const MINUTES: FieldSpec = { name: 'minutes', start: 0, limit: 60, shown: '0..59' };
const SECONDS: FieldSpec = { name: 'seconds', start: 0, limit: 60, shown: '0..59' };

/** Monday-first, as proxmox-time orders weekdays for ranges. */
const WEEKDAY_NAMES: ReadonlyArray<readonly [string, string]> = [
    ['mon', 'monday'],
    ['tue', 'tuesday'],
    ['wed', 'wednesday'],
    ['thu', 'thursday'],
    ['fri', 'friday'],
    ['sat', 'saturday'],
    ['sun', 'sunday'],
];

export interface Parsed<T> {
    value: T;
    pos: number;
}

export interface TimeSpec {
    hour: FieldValue[];
    minute: FieldValue[];
    second: FieldValue[];
}

export interface DateSpec {
    year: FieldValue[];
    month: FieldValue[];
    day: FieldValue[];
}

function isDigit(c: string | undefined): boolean {
    return c !== undefined && c >= '0' && c <= '9';
}

export function isAlpha(c: string | undefined): boolean {
    return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

export class Parser {
    private diagnostic: { pos: number; message: string } | null = null;

    constructor(readonly s: string) {}

    /** Remembers why an alternative failed; the furthest (then latest) reason wins. */
    note(pos: number, message: string): void {
        if (this.diagnostic === null || pos >= this.diagnostic.pos) this.diagnostic = { pos, message };
    }

    /** Why parsing stopped at `pos`: the furthest note if it lies at or beyond, else the rest. */
    rejection(pos: number): { message: string; pos: number } {
        const d = this.diagnostic;
        if (d !== null && d.pos >= pos) return d;
        if (this.s === '') return { message: "missing date or time before 'UTC'", pos: 0 };
        return { message: `unable to parse calendar event at '${this.s.slice(pos)}'`, pos };
    }

    skipSpaces(pos: number): number {
        while (this.s[pos] === ' ' || this.s[pos] === '\t') pos++;
        return pos;
    }

    number(pos: number, field: FieldSpec, role: string): Parsed<number> | null {
        let end = pos;
        while (isDigit(this.s[end])) end++;
        if (end === pos) return null;
        const digits = this.s.slice(pos, end);
        const value = Number(digits);
        if (value >= field.limit) {
            this.note(end, `${role} '${digits}' out of range for ${field.name} (${field.shown})`);
            return null;
        }
        return { value, pos: end };
    }

    component(pos: number, field: FieldSpec): Parsed<FieldValue> | null {
        const first = this.number(pos, field, 'value');
        if (first === null) return null;
        const start = first.value;
        let at = first.pos;
        let end: number | undefined;
        if (this.s.startsWith('..', at)) {
            const last = this.number(at + 2, field, 'range end');
            if (last !== null) {
                if (start > last.value) {
                    this.note(last.pos, `range start '${start}' is bigger than end '${last.value}'`);
                    return null;
                }
                end = last.value;
                at = last.pos;
            }
        }
        if (this.s[at] === '/') {
            const step = this.number(at + 1, field, 'repetition');
            if (step === null) return null;
            const value: FieldValue =
                end === undefined ? { kind: 'repeat', start, step: step.value } : { kind: 'repeat', start, step: step.value, end };
            return { value, pos: step.pos };
        }
        return { value: end === undefined ? single(start) : { kind: 'range', start, end }, pos: at };
    }

    /** `*`, `*\/step` or a comma list; `*` (and `*\/0`, which leaves `/0` unread) = any. */
    list(pos: number, field: FieldSpec): Parsed<FieldValue[]> | null {
        if (this.s[pos] === '*') {
            const rest = pos + 1;
            if (this.s[rest] === '/') {
                const step = this.number(rest + 1, field, 'repetition');
                if (step === null) return null;
                if (step.value > 0) return { value: [{ kind: 'repeat', start: field.start, step: step.value }], pos: step.pos };
                this.note(step.pos, `repetition '${this.s.slice(rest + 1, step.pos)}' out of range for ${field.name}`);
            }
            return { value: [], pos: rest };
        }
        const first = this.component(pos, field);
        if (first === null) return null;
        const items = [first.value];
        let at = first.pos;
        while (this.s[at] === ',') {
            const next = this.component(at + 1, field);
            if (next === null) break;
            items.push(next.value);
            at = next.pos;
        }
        return { value: items, pos: at };
    }

    /** Monday-first index of a weekday name. */
    weekday(pos: number): Parsed<number> | null {
        let end = pos;
        while (isAlpha(this.s[end])) end++;
        if (end === pos) return null;
        const word = this.s.slice(pos, end);
        const index = WEEKDAY_NAMES.findIndex((names) => names.includes(word.toLowerCase()));
        if (index < 0) {
            const hint = KEYWORDS.has(word.toLowerCase()) ? ' (keywords stand alone and are lower-case)' : '';
            this.note(end, `unknown weekday '${word}'${hint}`);
            return null;
        }
        return { value: index, pos: end };
    }

    /** Weekday bit mask (bit 0 = Sunday); `fri..mon` wraps around the week. */
    weekdayRange(pos: number): Parsed<number> | null {
        const first = this.weekday(pos);
        if (first === null) return null;
        let last = { value: first.value, pos: first.pos };
        if (this.s.startsWith('..', first.pos)) last = this.weekday(first.pos + 2) ?? last;
        let mask = 0;
        for (let i = first.value; ; i = (i + 1) % 7) {
            mask |= 1 << ((i + 1) % 7);
            if (i === last.value) break;
        }
        return { value: mask, pos: last.pos };
    }

    weekdays(pos: number): Parsed<number> | null {
        const first = this.weekdayRange(pos);
        if (first === null) return null;
        let mask = first.value;
        let at = first.pos;
        while (this.s[at] === ',') {
            const next = this.weekdayRange(at + 1);
            if (next === null) break;
            mask |= next.value;
            at = next.pos;
        }
        return { value: mask, pos: at };
    }

    /** `[years-]months-days`. */
    date(pos: number): Parsed<DateSpec> | null {
        const year = this.list(pos, YEARS);
        if (year !== null && this.s[year.pos] === '-') {
            const full = this.monthDay(year.pos + 1);
            if (full !== null) return { value: { year: year.value, ...full.value }, pos: full.pos };
        }
        const short = this.monthDay(pos);
        return short === null ? null : { value: { year: [], ...short.value }, pos: short.pos };
    }

    private monthDay(pos: number): Parsed<Omit<DateSpec, 'year'>> | null {
        const month = this.list(pos, MONTHS);
        if (month === null || this.s[month.pos] !== '-') return null;
        const day = this.list(month.pos + 1, DAYS);
        return day === null ? null : { value: { month: month.value, day: day.value }, pos: day.pos };
    }

    /** `[hours:]minutes[:seconds]`; without hours every hour, without seconds second 0. */
    time(pos: number): Parsed<TimeSpec> | null {
        let hour: FieldValue[] = [];
        let at = pos;
        const hours = this.list(pos, HOURS);
        if (hours !== null && this.s[hours.pos] === ':') {
            hour = hours.value;
            at = hours.pos + 1;
        }
        const minute = this.list(at, MINUTES);
        if (minute === null) return null;
        at = minute.pos;
        let second: FieldValue[] = ZERO;
        if (this.s[at] === ':') {
            const seconds = this.list(at + 1, SECONDS);
            if (seconds !== null) {
                second = seconds.value;
                at = seconds.pos;
            }
        }
        return { value: { hour, minute: minute.value, second }, pos: at };
    }
}
