// SPDX-License-Identifier: AGPL-3.0-or-later
// What the parser accepts and rejects (pve-platform.md §7.2, §7.3) and what it builds.
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, FieldValue } from '../../../src/domain/schedule/event.ts';
import { nextEvent, nextEvents } from '../../../src/domain/schedule/next.ts';
import { CalendarEventError, parseCalendarEvent, tryParseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { show, utc } from './helpers/time.ts';

const s = (value: number): FieldValue => ({ kind: 'single', value });

function firstRuns(expr: string, from: string, count: number): string[] {
    return nextEvents(parseCalendarEvent(expr), utc(from), count, 'UTC').map((e) => show(e));
}

function rejects(expr: string): string {
    const r = tryParseCalendarEvent(expr);
    if (r.ok) throw new Error(`'${expr}' was accepted`);
    return r.error;
}

describe('behaviour table (§7.3)', () => {
    it('sat alone is Saturday 00:00:00', () => {
        expect(firstRuns('sat', '2026-05-12 10:00', 2)).toEqual(['2026-05-16 00:00:00', '2026-05-23 00:00:00']);
    });
    it.each([
        ['sat 02:00', '2026-05-16 02:00:00'],
        ['Mon..Fri 22:00', '2026-05-12 22:00:00'],
        ['monday 5:00', '2026-05-18 05:00:00'],
        ['mon,wed,fri 23:30', '2026-05-13 23:30:00'],
        ['sat,sun 3:15', '2026-05-16 03:15:00'],
    ])('%s fires as expected', (expr, want) => {
        expect(firstRuns(expr, '2026-05-12 10:00', 1)).toEqual([want]);
    });
    it('mon..fri 22 is every hour at minute 22 on weekdays', () => {
        expect(firstRuns('mon..fri 22', '2026-05-15 22:30', 3)).toEqual([
            '2026-05-15 23:22:00',
            '2026-05-18 00:22:00',
            '2026-05-18 01:22:00',
        ]);
    });
    it.each([
        ['25:00', 25],
        ['24:00', 24],
    ])('%s is minute %i second 0 of every hour', (expr, minute) => {
        const ev = parseCalendarEvent(expr);
        expect(ev.hour).toEqual([]);
        expect(ev.minute).toEqual([s(minute)]);
        expect(ev.second).toEqual([s(0)]);
        expect(firstRuns(expr, '2026-05-12 10:30', 2)).toEqual([`2026-05-12 11:${minute}:00`, `2026-05-12 12:${minute}:00`]);
    });
    it('rejects cron syntax with the position of the leftover', () => {
        expect(rejects('0 2 * * *')).toBe("unable to parse calendar event at ' 2 * * *'");
    });
    it.each(['@hourly', '~01', '*-*~01', '12:05:30.5', '2024-13-01', '61', '*/61', '0..80', 'mon 0 0', '*,5', '*/0', 'daily utc'])(
        'rejects %j',
        (expr) => {
            expect(() => parseCalendarEvent(expr)).toThrow(CalendarEventError);
        },
    );
    it('fri..mon wraps around the week', () => {
        expect(parseCalendarEvent('fri..mon').weekdays).toBe(0b1100011);
        expect(firstRuns('fri..mon', '2026-05-12 10:00', 5).map((t) => t.slice(0, 10))).toEqual([
            '2026-05-15',
            '2026-05-16',
            '2026-05-17',
            '2026-05-18',
            '2026-05-22',
        ]);
    });
    it('sun..sat is every day', () => {
        expect(parseCalendarEvent('sun..sat').weekdays).toBe(0x7f);
        expect(firstRuns('sun..sat', '2026-05-12 10:00', 2)).toEqual(['2026-05-13 00:00:00', '2026-05-14 00:00:00']);
    });
    it.each([
        ['mon *-*-* 00:00:00', '2026-05-18 00:00:00'],
        ['*-*-* *:*:00', '2026-05-12 10:01:00'],
        ['2025-*-* 00:00', null],
        ['*-*-01 03:00', '2026-06-01 03:00:00'],
        ['Sat *-1..7 15:00', '2026-06-06 15:00:00'],
    ])('full form %s works', (expr, want) => {
        const got = nextEvent(parseCalendarEvent(expr), utc('2026-05-12 10:00'), 'UTC');
        expect(got === null ? null : show(got)).toBe(want);
    });
    it('trims like PVE: leading/trailing whitespace is fine, several spaces between parts too', () => {
        expect(parseCalendarEvent(' 22:00')).toEqual(parseCalendarEvent('22:00'));
        expect(parseCalendarEvent('22:00 ')).toEqual(parseCalendarEvent('22:00'));
        expect(parseCalendarEvent('\t mon..fri   *-*-*    22:00 \n')).toEqual(parseCalendarEvent('mon..fri *-*-* 22:00'));
    });
    it('UTC suffix is case-sensitive and needs no space', () => {
        expect(rejects('daily utc')).toContain("'daily'");
        expect(parseCalendarEvent('sat 02:00UTC')).toMatchObject({ utc: true, weekdays: 1 << 6, hour: [s(2)] });
        expect(parseCalendarEvent('daily   UTC').utc).toBe(true);
        expect(() => parseCalendarEvent('UTC')).toThrow("missing date or time before 'UTC'");
    });
    it('12-25 is every 25 December at 00:00', () => {
        expect(firstRuns('12-25', '2026-05-12 10:00', 2)).toEqual(['2026-12-25 00:00:00', '2027-12-25 00:00:00']);
    });
    it.each(['2021-02-29', '02-30'])('%s parses but never fires', (expr) => {
        expect(nextEvent(parseCalendarEvent(expr), 0, 'UTC')).toBeNull();
    });
    it.each([
        '*/30',
        '*/2:00',
        '21:00',
        '2,22:30',
        'mon..fri 00:00',
        'mon..fri */1:00',
        'mon..fri 7..18:00/15',
        'sun 01:00',
        'monthly',
        'sat *-1..7 15:00',
        'yearly',
    ])('GUI example %s parses', (expr) => {
        expect(() => parseCalendarEvent(expr)).not.toThrow();
    });
    it('sat *-1..7 15:00 is the first Saturday of each month', () => {
        expect(firstRuns('sat *-1..7 15:00', '2026-05-12 00:00', 3)).toEqual([
            '2026-06-06 15:00:00',
            '2026-07-04 15:00:00',
            '2026-08-01 15:00:00',
        ]);
    });
});

describe('parsed structure', () => {
    const base: Omit<CalendarEvent, 'utc'> = { weekdays: 0, year: [], month: [], day: [], hour: [], minute: [], second: [s(0)] };
    it.each<[string, Partial<CalendarEvent>]>([
        ['*/30', { minute: [{ kind: 'repeat', start: 0, step: 30 }] }],
        ['5,35', { minute: [s(5), s(35)] }],
        ['8..17/2:00', { hour: [{ kind: 'repeat', start: 8, step: 2, end: 17 }], minute: [s(0)] }],
        ['1/12:0/15', { hour: [{ kind: 'repeat', start: 1, step: 12 }], minute: [{ kind: 'repeat', start: 0, step: 15 }] }],
        ['*:*:*', { second: [] }],
        ['2025-12-24', { year: [s(2025)], month: [s(12)], day: [s(24)], hour: [s(0)], minute: [s(0)] }],
        ['*-*-1', { day: [s(1)], hour: [s(0)], minute: [s(0)] }],
        ['*/5-1', { month: [{ kind: 'repeat', start: 1, step: 5 }], day: [s(1)], hour: [s(0)], minute: [s(0)] }],
        ['1965/5-01-01', { year: [{ kind: 'repeat', start: 1965, step: 5 }], month: [s(1)], day: [s(1)], hour: [s(0)], minute: [s(0)] }],
        // The hour list fails on 30 (≥ 24) and the parser retries the text as minutes.
        ['8/30:00', { minute: [{ kind: 'repeat', start: 8, step: 30 }], second: [s(0)] }],
        // A zero step is accepted and means the start value only.
        ['5/0', { minute: [{ kind: 'repeat', start: 5, step: 0 }] }],
        ['mon2025-01-01', { weekdays: 1 << 1, year: [s(2025)], month: [s(1)], day: [s(1)], hour: [s(0)], minute: [s(0)] }],
        ['*-*-*02:00', { hour: [s(2)], minute: [s(0)] }],
        ['weekly', { weekdays: 1 << 1, hour: [s(0)], minute: [s(0)] }],
        ['quarterly', { month: [1, 4, 7, 10].map(s), day: [s(1)], hour: [s(0)], minute: [s(0)] }],
        ['minutely', {}],
    ])('%s', (expr, parts) => {
        expect(parseCalendarEvent(expr)).toEqual({ ...base, utc: false, ...parts });
    });
    it('zero and tiny leading-zero values are fine, month 0 parses like proxmox-time', () => {
        expect(parseCalendarEvent('007:0005').hour).toEqual([s(7)]);
        expect(parseCalendarEvent('*-0-1').month).toEqual([s(0)]);
    });
});

describe('error messages name the bad part', () => {
    it.each([
        ['61', "value '61' out of range for minutes (0..59)"],
        ['12:61', "value '61' out of range for minutes (0..59)"],
        ['mon..fri 22:00:61', "value '61' out of range for seconds (0..59)"],
        ['*/61', "repetition '61' out of range for minutes (0..59)"],
        ['0..80', "range end '80' out of range for minutes (0..59)"],
        ['10..5', "range start '10' is bigger than end '5'"],
        ['*/0', "repetition '0' out of range for minutes"],
        ['foo 02:00', "unknown weekday 'foo'"],
        ['mon,xyz 02:00', "unknown weekday 'xyz'"],
        ['Daily', "unknown weekday 'Daily' (keywords stand alone and are lower-case)"],
        ['daily 02:00', "keyword 'daily' cannot be combined with other parts"],
        ['semi-annually 5', "keyword 'semi-annually' cannot be combined with other parts"],
        ['12:05:30.5', "unable to parse calendar event at '.5'"],
        ['   ', 'event is empty'],
    ])('%j → %s', (expr, message) => {
        expect(rejects(expr)).toBe(message);
    });
    it('errors carry the position in the trimmed text', () => {
        try {
            parseCalendarEvent('  0 2 * * *');
            expect.unreachable();
        } catch (e) {
            expect(e).toBeInstanceOf(CalendarEventError);
            expect((e as CalendarEventError).position).toBe(1);
        }
    });
    it('rejects non-string input with CalendarEventError', () => {
        expect(() => parseCalendarEvent(undefined as unknown as string)).toThrow(CalendarEventError);
    });
});
