// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Random calendar events from the PVE grammar (pve-platform.md §7.2), each with the event the
 * parser must build and, where systemd means the same thing, a systemd.time(7) translation.
 * The expected event is built from the generator's own choices, not by the parser under test.
 */

import type { CalendarEvent, FieldValue } from '../../../../src/domain/schedule/event.ts';
import { findNext, listMatches } from '../../../../src/domain/schedule/event.ts';

export interface GeneratedEvent {
    text: string;
    event: CalendarEvent;
    /** The same schedule in systemd syntax, or null when systemd would differ (§7.3, §7.4a). */
    systemd: string | null;
}

/** Deterministic PRNG (mulberry32) so failures reproduce from the seed. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
}

interface Field {
    /** Smallest real value and first value of `*` repetitions. */
    lo: number;
    /** Values generated are below this. */
    limit: number;
    /** Length of the cycle the field wraps around (60 minutes, 24 hours, 12 months). */
    period: number;
}

const SECOND: Field = { lo: 0, limit: 60, period: 60 };
const MINUTE: Field = { lo: 0, limit: 60, period: 60 };
const HOUR: Field = { lo: 0, limit: 24, period: 24 };
const DAY: Field = { lo: 1, limit: 32, period: 31 };
const MONTH: Field = { lo: 1, limit: 13, period: 12 };

const WEEKDAY_FORMS = [
    ['mon', 'Monday', 'MON'],
    ['tue', 'tuesday', 'Tue'],
    ['wed', 'Wednesday', 'WED'],
    ['thu', 'thursday', 'Thu'],
    ['fri', 'Friday', 'FRI'],
    ['sat', 'saturday', 'Sat'],
    ['sun', 'Sunday', 'SUN'],
];
const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface GenList {
    text: string;
    list: FieldValue[];
    systemd: string;
}

export class EventGenerator {
    private readonly rnd: () => number;

    constructor(seed: number) {
        this.rnd = prng(seed);
    }

    private int(lo: number, hiExclusive: number): number {
        return lo + Math.floor(this.rnd() * (hiExclusive - lo));
    }

    private pick<T>(items: readonly T[]): T {
        return items[this.int(0, items.length)] as T;
    }

    /** A field list; in year mode only explicit years (systemd knows 1970–2199). */
    private list(field: Field, yearMode = false): GenList {
        const r = this.rnd();
        if (r < 0.25 && !yearMode) return { text: '*', list: [], systemd: '*' };
        if (r < 0.4 && !yearMode) {
            const step = this.int(1, Math.min(field.limit, 31));
            const systemd = field.lo + step >= field.limit ? String(field.lo) : `${field.lo}/${step}`;
            return { text: `*/${step}`, list: [{ kind: 'repeat', start: field.lo, step }], systemd };
        }
        const count = this.int(1, 4);
        const texts: string[] = [];
        const sd: string[] = [];
        const list: FieldValue[] = [];
        const lo = yearMode ? 1970 : field.lo;
        const limit = yearMode ? 2200 : field.limit;
        for (let i = 0; i < count; i++) {
            const a = yearMode ? this.int(lo, 2040) : this.int(lo, limit);
            const kind = this.rnd();
            // systemd rejects `a..a` and `a/b` past the field's end; both mean just `a` there.
            if (kind < 0.45) {
                texts.push(String(a));
                sd.push(String(a));
                list.push({ kind: 'single', value: a });
            } else if (kind < 0.7) {
                const b = this.int(a, Math.min(limit, a + (yearMode ? 10 : limit)));
                texts.push(`${a}..${b}`);
                sd.push(a === b ? String(a) : `${a}..${b}`);
                list.push({ kind: 'range', start: a, end: b });
            } else if (kind < 0.85) {
                const step = this.int(1, Math.min(limit - lo, 31));
                texts.push(`${a}/${step}`);
                sd.push(a + step >= limit ? String(a) : `${a}/${step}`);
                list.push({ kind: 'repeat', start: a, step });
            } else {
                const b = this.int(a, Math.min(limit, a + (yearMode ? 40 : limit)));
                const step = this.int(1, Math.min(limit - lo, 31));
                texts.push(`${a}..${b}/${step}`);
                sd.push(a === b ? String(a) : `${a}..${b}/${step}`);
                list.push({ kind: 'repeat', start: a, step, end: b });
            }
        }
        return { text: texts.join(','), list, systemd: sd.join(',') };
    }

    private weekdays(): { text: string; mask: number } {
        const parts: string[] = [];
        let mask = 0;
        for (let i = this.int(1, 4); i > 0; i--) {
            const a = this.int(0, 7);
            const nameA = this.pick(WEEKDAY_FORMS[a] as string[]);
            if (this.rnd() < 0.5) {
                parts.push(nameA);
                mask |= 1 << ((a + 1) % 7);
            } else {
                const b = this.int(0, 7);
                parts.push(`${nameA}..${this.pick(WEEKDAY_FORMS[b] as string[])}`);
                for (let d = a; ; d = (d + 1) % 7) {
                    mask |= 1 << ((d + 1) % 7);
                    if (d === b) break;
                }
            }
        }
        return { text: parts.join(','), mask };
    }

    next(): GeneratedEvent {
        const zero: FieldValue[] = [{ kind: 'single', value: 0 }];
        const parts: string[] = [];
        const sdParts: string[] = [];
        let event: CalendarEvent = { utc: false, weekdays: 0, year: [], month: [], day: [], hour: zero, minute: zero, second: zero };
        let safe = true;
        const withWeekdays = this.rnd() < 0.3;
        const withDate = this.rnd() < 0.4;
        const withTime = !(withWeekdays || withDate) || this.rnd() < 0.8;
        if (withWeekdays) {
            const w = this.weekdays();
            parts.push(w.text);
            event = { ...event, weekdays: w.mask };
            if (w.mask !== 0x7f) sdParts.push(SYSTEMD_DAYS.filter((_, d) => (w.mask & (1 << d)) !== 0).join(','));
        }
        let sdDate = '*-*-*';
        if (withDate) {
            const withYear = this.rnd() < 0.5;
            const year = withYear ? this.list(MONTH, true) : null;
            const month = this.list(MONTH);
            const day = this.list(DAY);
            parts.push(`${year ? `${year.text}-` : ''}${month.text}-${day.text}`);
            event = { ...event, year: year?.list ?? [], month: month.list, day: day.list };
            sdDate = `${year ? year.systemd : '*'}-${month.systemd}-${day.systemd}`;
            safe &&= wrapsCleanly(month.list, MONTH) && daysWrapCleanly(day.list);
        }
        sdParts.push(sdDate);
        let sdTime = '00:00:00';
        if (withTime) {
            const form = this.rnd();
            const minute = this.list(MINUTE);
            if (form < 0.3) {
                parts.push(minute.text);
                event = { ...event, hour: [], minute: minute.list, second: zero };
                sdTime = `*:${minute.systemd}:00`;
            } else {
                const hour = this.list(HOUR);
                const second = form < 0.75 ? null : this.list(SECOND);
                parts.push(`${hour.text}:${minute.text}${second ? `:${second.text}` : ''}`);
                event = { ...event, hour: hour.list, minute: minute.list, second: second?.list ?? zero };
                sdTime = `${hour.systemd}:${minute.systemd}:${second ? second.systemd : '00'}`;
                safe &&= wrapsCleanly(hour.list, HOUR) && wrapsCleanly(second?.list ?? zero, SECOND);
            }
            safe &&= wrapsCleanly(minute.list, MINUTE);
        }
        sdParts.push(sdTime);
        const text = parts.join(this.rnd() < 0.8 ? ' ' : '  ');
        return { text, event, systemd: safe ? sdParts.join(' ') : null };
    }
}

/**
 * Whether proxmox-time's carry over a field's end lands where systemd's next cycle starts:
 * after an overflow the search continues from (value − period), skipping any earlier match.
 */
function wrapsCleanly(list: readonly FieldValue[], field: Field): boolean {
    if (list.length === 0) return true;
    for (let v = field.lo; v < field.lo + field.period; v++) {
        if (listMatches(list, v)) continue;
        const n = findNext(list, v);
        if (n === null || n < field.lo + field.period) continue;
        for (let m = field.lo; m < n - field.period; m++) if (listMatches(list, m)) return false;
    }
    return true;
}

/** Days overflow into the next month at 28–31 days, so check every month length. */
function daysWrapCleanly(list: readonly FieldValue[]): boolean {
    if (list.length === 0) return true;
    for (const length of [28, 29, 30, 31]) {
        for (let v = 1; v <= length; v++) {
            if (listMatches(list, v)) continue;
            const n = findNext(list, v);
            if (n === null || n <= length) continue;
            for (let m = 1; m < n - length; m++) if (listMatches(list, m)) return false;
        }
    }
    return true;
}
