// SPDX-License-Identifier: AGPL-3.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
    Zone,
    epochToLocal,
    formatLocal,
    isAmbiguousLocalTime,
    isValidTimeZone,
    localToEpoch,
    otherOccurrence,
    parseLocalDateTime,
    transitionsBetween,
    utcOffsetAt,
} from '../../../src/domain/time/zoned.ts';

const VIENNA = 'Europe/Vienna';
const ZONES = [
    'UTC',
    VIENNA,
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Australia/Sydney',
    'Asia/Kathmandu',
    'Pacific/Apia',
    'Europe/Dublin',
    'America/Santiago',
    'Africa/Casablanca',
];

/** Local time the slow way: a fresh Intl call, no caching. */
function intlLocal(epoch: number, timeZone: string): string {
    const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
    }).formatToParts(new Date(epoch * 1000));
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

describe('epochToLocal', () => {
    it.each(ZONES)('matches Intl for random instants 1970–2100 in %s', (tz) => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (epoch) => {
                expect(formatLocal(epoch, tz)).toBe(intlLocal(epoch, tz));
            }),
            { numRuns: 300 },
        );
    });
    it('matches Intl every 20 minutes across the Vienna 2025 changes', () => {
        for (const start of [1_743_292_800, 1_761_436_800]) {
            for (let e = start - 86_400; e <= start + 86_400; e += 1200) {
                expect(formatLocal(e, VIENNA)).toBe(intlLocal(e, VIENNA));
            }
        }
    });
    it('finds the exact second of an offset change', () => {
        expect(utcOffsetAt(1_743_296_399, VIENNA)).toBe(3600);
        expect(utcOffsetAt(1_743_296_400, VIENNA)).toBe(7200);
        expect(utcOffsetAt(1_761_440_399, VIENNA)).toBe(7200);
        expect(utcOffsetAt(1_761_440_400, VIENNA)).toBe(3600);
    });
    it('keeps second-precision historical offsets (Vienna LMT +01:05:21)', () => {
        expect(utcOffsetAt(-2_500_000_000, VIENNA)).toBe(3921);
    });
    it('returns the weekday', () => {
        expect(epochToLocal(0, 'UTC')).toMatchObject({ weekday: 4 });
        expect(epochToLocal(0, 'Asia/Tokyo')).toMatchObject({ day: 1, hour: 9, weekday: 4 });
        expect(epochToLocal(0, 'America/Los_Angeles')).toMatchObject({ day: 31, hour: 16, weekday: 3 });
    });
});

describe('localToEpoch (mktime, tm_isdst = -1)', () => {
    const f = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => ({
        year: y,
        month: mo,
        day: d,
        hour: h,
        minute: mi,
        second: s,
    });
    it('round-trips ordinary times', () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), fc.constantFrom(...ZONES), (epoch, tz) => {
                if (isAmbiguousLocalTime(epoch, tz)) return;
                expect(localToEpoch(epochToLocal(epoch, tz), tz)).toBe(epoch);
            }),
            { numRuns: 1000 },
        );
    });
    it('moves a spring-forward gap time forward by the gap', () => {
        expect(formatLocal(localToEpoch(f(2025, 3, 30, 2, 30), VIENNA), VIENNA)).toBe('2025-03-30 03:30:00');
        expect(formatLocal(localToEpoch(f(2025, 3, 9, 2, 30), 'America/New_York'), 'America/New_York')).toBe('2025-03-09 03:30:00');
        expect(formatLocal(localToEpoch(f(2025, 10, 5, 2, 15), 'Australia/Lord_Howe'), 'Australia/Lord_Howe')).toBe(
            '2025-10-05 02:45:00',
        );
        // Samoa skipped 30 December 2011 entirely.
        expect(formatLocal(localToEpoch(f(2011, 12, 30, 12, 0), 'Pacific/Apia'), 'Pacific/Apia')).toBe('2011-12-31 12:00:00');
    });
    it('takes the standard-time occurrence of a repeated time unless glibc remembers the other offset', () => {
        const cet = 1_761_442_200; // 2025-10-26 02:30 CET
        expect(localToEpoch(f(2025, 10, 26, 2, 30), VIENNA)).toBe(cet);
        expect(localToEpoch(f(2025, 10, 26, 2, 30), VIENNA, 7200)).toBe(cet - 3600);
        expect(localToEpoch(f(2025, 10, 26, 2, 30), VIENNA, 3600)).toBe(cet);
    });
    it('carries out-of-range fields', () => {
        expect(localToEpoch(f(2025, 12, 31, 24, 0), VIENNA)).toBe(localToEpoch(f(2026, 1, 1, 0, 0), VIENNA));
        expect(localToEpoch(f(2025, 3, 29, 26, 30), VIENNA)).toBe(localToEpoch(f(2025, 3, 30, 3, 30), VIENNA));
    });
    it('resolve reports what glibc remembers: wall − epoch, also after a gap', () => {
        const zone = new Zone(VIENNA);
        const wall = Date.UTC(2025, 2, 30, 2, 30) / 1000;
        expect(zone.resolve(wall).guess).toBe(3600);
    });
});

describe('repeated local times', () => {
    it('detects the fall-back hour and names the other occurrence', () => {
        const first = 1_761_438_600; // 02:30 CEST
        expect(isAmbiguousLocalTime(first, VIENNA)).toBe(true);
        expect(otherOccurrence(first, VIENNA)).toBe(first + 3600);
        expect(otherOccurrence(first + 3600, VIENNA)).toBe(first);
        expect(isAmbiguousLocalTime(first - 3600, VIENNA)).toBe(false);
        expect(otherOccurrence(first - 3600, VIENNA)).toBeNull();
        expect(isAmbiguousLocalTime(first, 'UTC')).toBe(false);
    });
});

describe('parseLocalDateTime, isValidTimeZone, transitions', () => {
    it('parses local date-times and rejects malformed ones', () => {
        expect(parseLocalDateTime('2025-01-10 12:00:00', VIENNA)).toBe(1_736_506_800);
        expect(parseLocalDateTime('2025-01-10T12:00', VIENNA)).toBe(1_736_506_800);
        for (const bad of ['2025-02-29 00:00', '2025-01-10 24:00', '2025-13-01 00:00', '2025-1-10 12:00', 'now', '']) {
            expect(parseLocalDateTime(bad, VIENNA)).toBeNull();
        }
        expect(parseLocalDateTime('2025-01-10 12:00', 'Mars/Olympus')).toBeNull();
    });
    it('validates zone names', () => {
        expect(isValidTimeZone('Europe/Vienna')).toBe(true);
        expect(isValidTimeZone('UTC')).toBe(true);
        expect(isValidTimeZone('Mars/Olympus')).toBe(false);
        expect(isValidTimeZone('')).toBe(false);
    });
    it('lists offset changes in a window', () => {
        expect(transitionsBetween(1_735_689_600, 1_767_225_600, VIENNA)).toEqual([
            { at: 1_743_296_400, offsetBefore: 3600, offsetAfter: 7200 },
            { at: 1_761_440_400, offsetBefore: 7200, offsetAfter: 3600 },
        ]);
        expect(transitionsBetween(1_735_689_600, 1_767_225_600, 'UTC')).toEqual([]);
        expect(transitionsBetween(1_735_689_600, 1_767_225_600, 'Asia/Kathmandu')).toEqual([]);
    });
    it('is fast once a zone is warm', () => {
        const start = performance.now();
        let sum = 0;
        for (let i = 0; i < 200_000; i++) sum += epochToLocal(1_760_000_000 + i * 37, VIENNA).minute;
        expect(sum).toBeGreaterThan(0);
        expect(performance.now() - start).toBeLessThan(1000);
    });
});
