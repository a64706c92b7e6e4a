// SPDX-License-Identifier: AGPL-3.0-or-later
// Windows, previous runs and intervals built on the next-event search.
import { describe, expect, it } from 'vitest';
import { eventsBetween, nextEvent, nextEvents, previousEvent, typicalInterval } from '../../../src/domain/schedule/next.ts';
import { parseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { local, show, utc } from './helpers/time.ts';

const DAY = 86_400;
const VIENNA = 'Europe/Vienna';
const ev = parseCalendarEvent;

describe('eventsBetween', () => {
    it('returns every run in (from, to], ascending, the start excluded and the end included', () => {
        const from = utc('2026-05-12 02:00');
        const got = eventsBetween(ev('02:00'), from, from + 3 * DAY, 'UTC');
        expect(got.map((e) => show(e))).toEqual(['2026-05-13 02:00:00', '2026-05-14 02:00:00', '2026-05-15 02:00:00']);
    });
    it('equals chaining nextEvent', () => {
        const from = local('2025-10-20 00:00', VIENNA);
        const to = from + 14 * DAY;
        for (const expr of ['*/20', '2:30', 'mon..fri 22:00', '*/7', 'hourly', '1..3:15']) {
            const chained: number[] = [];
            for (let t = nextEvent(ev(expr), from, VIENNA); t !== null && t <= to; t = nextEvent(ev(expr), t, VIENNA)) chained.push(t);
            expect(eventsBetween(ev(expr), from, to, VIENNA), expr).toEqual(chained);
        }
    });
    it('handles a 35-day window of */5 quickly and respects the limit', () => {
        const from = local('2026-10-01 00:00', VIENNA);
        const started = performance.now();
        const all = eventsBetween(ev('*/5'), from, from + 35 * DAY, VIENNA, 20_000);
        expect(performance.now() - started).toBeLessThan(500);
        // 35 days × 288 slots, less 12 in the repeated hour of 25 October: after 02:00 CEST the
        // next search resolves 02:01 to CET, so 02:05–02:55 CEST and 02:00 CET never run.
        expect(all.length).toBe(35 * 288 - 12);
        expect(eventsBetween(ev('*/5'), from, from + 35 * DAY, VIENNA)).toHaveLength(10_000);
        expect(eventsBetween(ev('*/5'), from, from + 35 * DAY, VIENNA, 3)).toEqual(all.slice(0, 3));
    });
    it('returns nothing for an empty or reversed window and for events that never fire', () => {
        expect(eventsBetween(ev('daily'), utc('2026-05-12 01:00'), utc('2026-05-12 23:00'), 'UTC')).toEqual([]);
        expect(eventsBetween(ev('daily'), utc('2026-05-12 01:00'), utc('2026-05-11 23:00'), 'UTC')).toEqual([]);
        expect(eventsBetween(ev('02-30'), 0, 4e9, 'UTC')).toEqual([]);
    });
    it('the UTC suffix overrides the zone', () => {
        const from = utc('2026-01-05 00:00');
        expect(eventsBetween(ev('02:00 UTC'), from, from + DAY, VIENNA)).toEqual([utc('2026-01-05 02:00')]);
        expect(eventsBetween(ev('02:00'), from, from + DAY, VIENNA)).toEqual([utc('2026-01-05 01:00')]);
    });
    it('throws RangeError for an unknown time zone', () => {
        expect(() => nextEvent(ev('daily'), 0, 'Mars/Olympus')).toThrow(RangeError);
    });
});

describe('previousEvent', () => {
    it('finds the latest run strictly before the given time', () => {
        const at = utc('2026-05-12 10:00');
        expect(show(previousEvent(ev('*/30'), at, 'UTC') as number)).toBe('2026-05-12 09:30:00');
        expect(show(previousEvent(ev('*/30'), at + 1, 'UTC') as number)).toBe('2026-05-12 10:00:00');
        expect(show(previousEvent(ev('sun 01:00'), at, 'UTC') as number)).toBe('2026-05-10 01:00:00');
        expect(show(previousEvent(ev('monthly'), at, 'UTC') as number)).toBe('2026-05-01 00:00:00');
        expect(show(previousEvent(ev('yearly'), at, 'UTC') as number)).toBe('2026-01-01 00:00:00');
        expect(show(previousEvent(ev('sat *-1..7 15:00'), at, 'UTC') as number)).toBe('2026-05-02 15:00:00');
        expect(show(previousEvent(ev('*:*:*'), at, 'UTC') as number)).toBe('2026-05-12 09:59:59');
    });
    it('follows the scheduler in local time, DST included', () => {
        const at = local('2025-03-31 00:00', VIENNA);
        expect(show(previousEvent(ev('2:30'), at, VIENNA) as number, VIENNA)).toBe('2025-03-29 02:30:00');
    });
    it('is null when nothing ran before (one-off in the future, never-firing)', () => {
        expect(previousEvent(ev('2030-01-01'), utc('2026-05-12 10:00'), 'UTC')).toBeNull();
        expect(previousEvent(ev('2021-02-29'), utc('2026-05-12 10:00'), 'UTC')).toBeNull();
        expect(show(previousEvent(ev('2020-07-31'), utc('2026-05-12 10:00'), 'UTC') as number)).toBe('2020-07-31 00:00:00');
    });
    it('agrees with eventsBetween on the last run of a window', () => {
        const from = local('2025-10-01 00:00', VIENNA);
        for (const expr of ['*/7', 'mon..fri 22:00', '*/5:00', '1/12:0/15', 'hourly']) {
            const runs = eventsBetween(ev(expr), from, from + 40 * DAY, VIENNA);
            const last = runs[runs.length - 1] as number;
            expect(previousEvent(ev(expr), last + 1, VIENNA), expr).toBe(last);
            expect(previousEvent(ev(expr), last, VIENNA), expr).toBe(runs[runs.length - 2]);
        }
    });
});

describe('typicalInterval', () => {
    const at = utc('2026-05-13 12:00'); // a Wednesday
    it.each([
        ['*/5', 300],
        ['hourly', 3600],
        ['02:00', DAY],
        ['sun 01:00', 7 * DAY],
        ['weekly', 7 * DAY],
        ['mon..fri 22:00', 3 * DAY],
        ['*/2:00', 7200],
    ])('%s → %i s', (expr, seconds) => {
        expect(typicalInterval(ev(expr), at, 'UTC')).toBe(seconds);
    });
    it('covers the gap around `at`, e.g. a weekend for a weekday schedule', () => {
        expect(typicalInterval(ev('mon..fri */1:00'), utc('2026-05-17 12:00'), 'UTC')).toBe(49 * 3600);
    });
    it('is about a month for monthly schedules and Infinity without two runs', () => {
        expect(typicalInterval(ev('monthly'), at, 'UTC')).toBe(31 * DAY);
        expect(typicalInterval(ev('2027-01-01'), at, 'UTC')).toBe(Number.POSITIVE_INFINITY);
        expect(typicalInterval(ev('02-30'), at, 'UTC')).toBe(Number.POSITIVE_INFINITY);
    });
});

describe('nextEvents', () => {
    it('stops early when the schedule ends', () => {
        expect(nextEvents(ev('2026-05-12..14'), utc('2026-05-01 00:00'), 10, 'UTC').map((e) => show(e))).toEqual([
            '2026-05-12 00:00:00',
            '2026-05-13 00:00:00',
            '2026-05-14 00:00:00',
        ]);
    });
    it('floors fractional start times', () => {
        expect(nextEvents(ev('*:*:*'), 10.7, 2, 'UTC')).toEqual([11, 12]);
    });
    it('gives up like proxmox-time when epoch -1 would be produced', () => {
        expect(nextEvent(ev('*:*:59 UTC'), -61, 'UTC')).toBeNull();
    });
});
