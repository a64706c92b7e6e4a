// SPDX-License-Identifier: AGPL-3.0-or-later
// Every next-event vector of pve-platform.md §7.4a, §7.5 and §7.6: proxmox-time's own unit
// tests, pve-common's calendar test file and the repetition-overflow table.
import { describe, expect, it } from 'vitest';
import { nextEvent, nextEvents } from '../../../src/domain/schedule/next.ts';
import { parseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { local, runs, show, utc } from './helpers/time.ts';

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
const THU = 0;
const THU15 = 15 * HOUR;
const JUL31 = 1_596_153_600;
const DEC31 = 1_609_372_800;

/** proxmox-time's tests append " UTC" to every expression. */
function next(expr: string, last: number, timeZone = 'Europe/Vienna'): number | null {
    return nextEvent(parseCalendarEvent(`${expr} UTC`), last, timeZone);
}

describe('proxmox-time unit-test vectors (§7.5)', () => {
    const single: Array<[string, number, number]> = [
        ['0', THU, HOUR],
        ['*', THU, MIN],
        ['*:0', THU, HOUR],
        ['*:*', THU, MIN],
        ['*:*:*', THU, 1],
        ['*:3:5', THU, 3 * MIN + 5],
        ['mon *:*', THU, 345_600],
        ['mon 2:*', THU, 352_800],
        ['mon 2:50', THU, 355_800],
        ['tue', THU, 432_000],
        ['wed', THU, 518_400],
        ['thu', THU, 604_800],
        ['fri', THU, 86_400],
        ['sat', THU, 172_800],
        ['sun', THU, 259_200],
        ['4..10/2:0', THU, 14_400],
        ['4..10/2:0', 5 * HOUR, 21_600],
        ['4..10/2:0', 11 * HOUR, 100_800],
        ['5,10:4,8', THU, 18_240],
        ['10,5:8,4', THU, 18_240],
        ['6,4..10:23,5/5', THU, 14_700],
        ['4..10,6:5/5,23', THU, 14_700],
        ['daily', THU, DAY],
        ['daily', THU + 1, DAY],
        ['2020-07-31', 0, JUL31],
        ['02-28', 0, 5_011_200],
        ['02-29', 0, 68_169_600],
        ['1965/5-01-01', -1, 0],
        ['2020-7..9-2/2', JUL31, 1_596_326_400],
        ['2020,2021-12-31', JUL31, DEC31],
        ['minutely', THU, 60],
        ['hourly', THU, 3600],
        ['weekly', THU, 345_600],
        ['monthly', 0, 2_678_400],
        ['quarterly', 0, 7_776_000],
        ['semiannually', 0, 15_638_400],
        ['semi-annually', 0, 15_638_400],
        ['yearly', 0, 31_536_000],
        ['annually', 0, 31_536_000],
    ];
    it.each(single)('%s after %i → %i', (expr, last, expected) => {
        expect(next(expr, last)).toBe(expected);
    });

    const week = ['sat', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri'];
    it.each(week.map((d, i) => [d, i + 1] as const))('%s after Fri 2020-07-31 is %i days later', (day, days) => {
        expect(next(day, JUL31)).toBe(JUL31 + days * DAY);
    });
    const yearWrap = ['fri', 'sat', 'sun', 'mon', 'tue', 'wed', 'thu'];
    it.each(yearWrap.map((d, i) => [d, i + 1] as const))('%s after Thu 2020-12-31 is %i days later', (day, days) => {
        expect(next(day, DEC31)).toBe(DEC31 + days * DAY);
    });

    it('chains 5/2:0 through 05:00, 07:00, 09:00, 11:00', () => {
        expect(nextEvents(parseCalendarEvent('5/2:0 UTC'), THU, 4, 'UTC')).toEqual([5, 7, 9, 11].map((h) => h * HOUR));
    });
    it('chains *:* every minute, *:0 every hour, 1:0 every day (99 steps)', () => {
        const chain = (expr: string, from: number) => nextEvents(parseCalendarEvent(`${expr} UTC`), from, 99, 'UTC');
        expect(chain('*:*', THU)).toEqual(Array.from({ length: 99 }, (_, i) => (i + 1) * MIN));
        expect(chain('*:0', THU)).toEqual(Array.from({ length: 99 }, (_, i) => (i + 1) * HOUR));
        expect(chain('1:0', THU15)).toEqual(Array.from({ length: 99 }, (_, i) => (i + 1) * DAY + HOUR));
    });
    it.each(['2021-02-29', '02-30'])('%s never fires', (expr) => {
        expect(next(expr, 0)).toBeNull();
    });

    const weekdayParses = [
        'mon,wed..fri',
        'fri..mon',
        'mon',
        'MON',
        'monDay',
        'tue',
        'Tuesday',
        'wed',
        'wednesday',
        'thu',
        'thursday',
        'fri',
        'friday',
        'sat',
        'saturday',
        'sun',
        'sunday',
        'mon..fri',
        'mon,tue,fri',
        'mon,tue..wednesday,fri..sat',
    ];
    it.each(weekdayParses)('parses weekday spec %s', (expr) => {
        expect(() => parseCalendarEvent(expr)).not.toThrow();
    });
});

describe("pve-common calendar_event_test.pl vectors (§7.6)", () => {
    const table: Array<[string, Array<[number, number]>]> = [
        ['*', [[0, 60], [30, 60], [59, 60], [60, 120]]],
        ['*/10', [[0, 600], [599, 600], [600, 1200], [3000, 3600]]],
        ['*/12:0', [[10, 43_200], [46_800, 86_400]]],
        [
            '1/12:0/15',
            [
                [0, 3600],
                [3600, 4500],
                [4560, 5400],
                [5400, 6300],
                [6300, 46_800],
                [46_801, 47_700],
                [47_700, 48_600],
                [48_600, 49_500],
                [49_500, 90_000],
            ],
        ],
        ['1,4,6', [[0, 60], [60, 240], [300, 360], [360, 3660]]],
        ['Mon', [[0, 345_600], [345_600, 950_400], [950_400, 1_555_200]]],
        ['sat..sun', [[0, 172_800], [172_800, 259_200], [259_200, 777_600]]],
        ['22/1:0', [[0, 79_200], [79_200, 82_800], [82_740, 82_800]]],
        ['*/2:*', [[0, 60], [3600, 7200], [7200, 7260]]],
        ['20..22:*/30', [[0, 72_000], [72_000, 73_800], [81_000, 158_400]]],
        ['0,1,3..5', [[0, 60], [60, 180], [300, 3600]]],
        ['2,4:0,1,3..5', [[0, 7200], [7260, 7380], [7500, 14_400]]],
    ];
    const rows = table.flatMap(([expr, pairs]) => pairs.map(([last, want]) => [expr, last, want] as const));
    it.each(rows)('%s after %i → %i (UTC forced and TZ=UTC)', (expr, last, want) => {
        expect(next(expr, last)).toBe(want);
        expect(nextEvent(parseCalendarEvent(expr), last, 'UTC')).toBe(want);
    });

    it.each(['0..3', '23..23:0..3', 'sun..sat', 'wed,mon..tue,fri', 'mon */15', 'Fri..Mon'])('parses %s', (expr) => {
        expect(() => parseCalendarEvent(expr)).not.toThrow();
    });

    it.each([
        ['61', "value '61' out of range"],
        ['*/61', "repetition '61' out of range"],
        ['0..80', "range end '80' out of range"],
        [' mon 0 0 0', "unable to parse calendar event at ' 0 0'"],
        [' mon 0 0', "unable to parse calendar event at ' 0'"],
        ['', 'event is empty'],
    ])('rejects %j: %s', (expr, message) => {
        expect(() => parseCalendarEvent(expr)).toThrow(message);
    });

    it('mon..fri from Sun 2018-10-28 00:00 local is Mon 00:00 local (UTC and Vienna)', () => {
        const ev = parseCalendarEvent('mon..fri');
        expect(nextEvent(ev, utc('2018-10-28 00:00'), 'UTC')).toBe(utc('2018-10-29 00:00'));
        const vienna = 'Europe/Vienna';
        expect(nextEvent(ev, local('2018-10-28 00:00', vienna), vienna)).toBe(local('2018-10-29 00:00', vienna));
    });
    it('mon..fri UTC in Vienna is Mon 01:00 local', () => {
        const vienna = 'Europe/Vienna';
        const got = nextEvent(parseCalendarEvent('mon..fri UTC'), local('2018-10-28 00:00', vienna), vienna);
        expect(show(got as number, vienna)).toBe('2018-10-29 01:00:00');
    });
});

describe('repetition overflow (§7.4a)', () => {
    const table: Array<[string, string, string[]]> = [
        ['*/45', '2026-05-12 10:30', ['10:45', '11:45', '12:45', '13:45', '14:45'].map((t) => `2026-05-12 ${t}`)],
        ['*/7', '2026-05-12 10:50', ['10:56', '11:07', '11:14', '11:21', '11:28'].map((t) => `2026-05-12 ${t}`)],
        ['*/13', '2026-05-12 10:40', ['10:52', '11:13', '11:26', '11:39', '11:52'].map((t) => `2026-05-12 ${t}`)],
        ['*/25', '2026-05-12 10:40', ['10:50', '11:25', '11:50', '12:25', '12:50'].map((t) => `2026-05-12 ${t}`)],
        ['*/5:00', '2026-05-12 18:00', ['2026-05-12 20:00', '2026-05-13 05:00', '2026-05-13 10:00', '2026-05-13 15:00', '2026-05-13 20:00']],
        [
            'mon..fri */5:30',
            '2026-05-12 19:00',
            ['2026-05-12 20:30', '2026-05-13 05:30', '2026-05-13 10:30', '2026-05-13 15:30', '2026-05-13 20:30'],
        ],
        ['*-*/7', '2026-01-20 12:00', ['2026-01-22', '2026-01-29', '2026-02-08', '2026-02-15', '2026-02-22'].map((d) => `${d} 00:00`)],
        ['*/5-1', '2026-10-15 00:00', ['2026-11-01', '2027-06-01', '2027-11-01', '2028-06-01', '2028-11-01'].map((d) => `${d} 00:00`)],
    ];
    it.each(table)('%s from %s', (expr, from, want) => {
        const got = nextEvents(parseCalendarEvent(expr), utc(from), want.length, 'UTC');
        expect(got.map((e) => show(e))).toEqual(want.map((w) => `${w}:00`));
    });
});

describe('DST vectors, Europe/Vienna 2025 (§7.4)', () => {
    const tz = 'Europe/Vienna';
    it('spring forward: 2:30 skips Sunday 03-30', () => {
        expect(runs('2:30', local('2025-03-29 00:00', tz), 3, tz)).toEqual([
            '2025-03-29 02:30:00+01:00',
            '2025-03-31 02:30:00+02:00',
            '2025-04-01 02:30:00+02:00',
        ]);
    });
    it('spring forward: 02:00 does not run that day, 3:00 runs normally', () => {
        expect(runs('02:00', local('2025-03-29 12:00', tz), 1, tz)).toEqual(['2025-03-31 02:00:00+02:00']);
        expect(runs('3:00', local('2025-03-29 12:00', tz), 1, tz)).toEqual(['2025-03-30 03:00:00+02:00']);
    });
    it('spring forward: hourly goes 01:00 → 03:00 CEST', () => {
        expect(runs('hourly', local('2025-03-30 00:00', tz), 3, tz)).toEqual([
            '2025-03-30 01:00:00+01:00',
            '2025-03-30 03:00:00+02:00',
            '2025-03-30 04:00:00+02:00',
        ]);
    });
    it('spring forward: 1..3:15 goes 01:15 → 03:15', () => {
        expect(runs('1..3:15', local('2025-03-30 00:00', tz), 2, tz)).toEqual(['2025-03-30 01:15:00+01:00', '2025-03-30 03:15:00+02:00']);
    });
    it('fall back: 2:30 runs once, at the first (CEST) 02:30', () => {
        expect(runs('2:30', local('2025-10-25 00:00', tz), 3, tz)).toEqual([
            '2025-10-25 02:30:00+02:00',
            '2025-10-26 02:30:00+02:00',
            '2025-10-27 02:30:00+01:00',
        ]);
    });
    it('fall back: hourly skips the repeated 02:00 CET', () => {
        expect(runs('hourly', local('2025-10-26 00:00', tz), 4, tz)).toEqual([
            '2025-10-26 01:00:00+02:00',
            '2025-10-26 02:00:00+02:00',
            '2025-10-26 03:00:00+01:00',
            '2025-10-26 04:00:00+01:00',
        ]);
    });
    it('fall back: */20 from 02:00 CEST continues at 02:20 CET', () => {
        const from = utc('2025-10-26 00:00'); // 02:00 CEST
        expect(runs('*/20', from, 3, tz)).toEqual(['2025-10-26 02:20:00+01:00', '2025-10-26 02:40:00+01:00', '2025-10-26 03:00:00+01:00']);
    });
});
