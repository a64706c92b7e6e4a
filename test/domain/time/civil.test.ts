// SPDX-License-Identifier: AGPL-3.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
    civilFromDays,
    daysFromCivil,
    daysInMonth,
    fieldsFromWall,
    formatFields,
    isLeapYear,
    wallFromFields,
} from '../../../src/domain/time/civil.ts';

describe('civil calendar arithmetic', () => {
    it('agrees with Date.UTC for days from year -1000 to 3000', () => {
        fc.assert(
            fc.property(fc.integer({ min: -1000, max: 3000 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
                const day = Math.min(d, daysInMonth(y, m));
                const viaDate = new Date(0);
                viaDate.setUTCFullYear(y, m - 1, day);
                viaDate.setUTCHours(0, 0, 0, 0);
                expect(daysFromCivil(y, m, day)).toBe(viaDate.getTime() / 86_400_000);
                expect(civilFromDays(daysFromCivil(y, m, day))).toEqual({ year: y, month: m, day });
            }),
            { numRuns: 2000 },
        );
    });

    it('knows leap years and month lengths', () => {
        expect([1900, 2000, 2024, 2025].map(isLeapYear)).toEqual([false, true, true, false]);
        expect([1, 2, 4, 12].map((m) => daysInMonth(2024, m))).toEqual([31, 29, 30, 31]);
        expect(daysInMonth(2100, 2)).toBe(28);
    });

    it('carries out-of-range fields like mktime', () => {
        const jan1 = wallFromFields({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
        expect(wallFromFields({ year: 2025, month: 13, day: 1, hour: 0, minute: 0, second: 0 })).toBe(jan1);
        expect(wallFromFields({ year: 2025, month: 12, day: 32, hour: 0, minute: 0, second: 0 })).toBe(jan1);
        expect(wallFromFields({ year: 2025, month: 12, day: 31, hour: 24, minute: 0, second: 0 })).toBe(jan1);
        expect(wallFromFields({ year: 2025, month: 12, day: 31, hour: 23, minute: 60, second: 0 })).toBe(jan1);
        expect(wallFromFields({ year: 2026, month: 0, day: 1, hour: 0, minute: 0, second: 0 })).toBe(
            wallFromFields({ year: 2025, month: 12, day: 1, hour: 0, minute: 0, second: 0 }),
        );
        expect(wallFromFields({ year: 2026, month: 3, day: 0, hour: 0, minute: 0, second: 0 })).toBe(
            wallFromFields({ year: 2026, month: 2, day: 28, hour: 0, minute: 0, second: 0 }),
        );
    });

    it('breaks wall seconds into fields with the weekday', () => {
        expect(fieldsFromWall(0)).toEqual({ year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 4 });
        expect(fieldsFromWall(-1)).toEqual({ year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, weekday: 3 });
        expect(formatFields(fieldsFromWall(1_764_500_000))).toBe('2025-11-30 10:53:20');
        expect(formatFields(fieldsFromWall(1_764_500_000), 'T')).toBe('2025-11-30T10:53:20');
    });
});
