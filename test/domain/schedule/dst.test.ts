// SPDX-License-Identifier: AGPL-3.0-or-later
// DST helpers for the evaluator: repeated-hour leniency and slots lost to spring-forward gaps.
import { describe, expect, it } from 'vitest';
import { alternateRunTime, isAmbiguousLocalRun, skippedByDst } from '../../../src/domain/schedule/dst.ts';
import { eventsBetween } from '../../../src/domain/schedule/next.ts';
import { parseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { formatLocal } from '../../../src/domain/time/zoned.ts';
import { local, utc } from './helpers/time.ts';

const VIENNA = 'Europe/Vienna';
const ev = parseCalendarEvent;

describe('runs in a repeated hour', () => {
    const cest = utc('2025-10-26 00:30'); // 02:30 CEST, repeated at 02:30 CET
    it('are ambiguous in the local zone, never with the UTC suffix', () => {
        expect(isAmbiguousLocalRun(cest, VIENNA)).toBe(true);
        expect(isAmbiguousLocalRun(cest + 3600, VIENNA)).toBe(true);
        expect(isAmbiguousLocalRun(cest - 3600, VIENNA)).toBe(false);
        expect(isAmbiguousLocalRun(cest, VIENNA, ev('2:30 UTC'))).toBe(false);
        expect(isAmbiguousLocalRun(cest, 'UTC')).toBe(false);
    });
    it('name the other occurrence the scheduler may have used', () => {
        expect(alternateRunTime(cest, VIENNA)).toBe(cest + 3600);
        expect(alternateRunTime(cest + 3600, VIENNA, ev('2:30'))).toBe(cest);
        expect(alternateRunTime(cest - 3600, VIENNA)).toBeNull();
        expect(alternateRunTime(cest, VIENNA, ev('2:30 UTC'))).toBeNull();
    });
});

describe('skippedByDst', () => {
    const from = local('2025-03-29 00:00', VIENNA);
    const to = local('2025-04-01 00:00', VIENNA);
    it.each([
        ['2:30', ['2025-03-30 02:30:00']],
        ['02:00', ['2025-03-30 02:00:00']],
        ['hourly', ['2025-03-30 02:00:00']],
        ['*/20', ['2025-03-30 02:00:00', '2025-03-30 02:20:00', '2025-03-30 02:40:00']],
        ['1..3:15', ['2025-03-30 02:15:00']],
        ['3:00', []],
        ['sat 2:30', []],
        ['2:30 UTC', []],
    ])('%s loses %j', (expr, slots) => {
        expect(skippedByDst(ev(expr), from, to, VIENNA).map((s) => s.local)).toEqual(slots);
    });
    it('places a lost slot where it would have been without the jump', () => {
        expect(skippedByDst(ev('2:30'), from, to, VIENNA)).toEqual([{ local: '2025-03-30 02:30:00', epoch: utc('2025-03-30 01:30') }]);
    });
    it('knows other zones and half-hour changes, and none in UTC', () => {
        const ny = 'America/New_York';
        expect(skippedByDst(ev('2:30'), local('2025-03-08 00:00', ny), local('2025-03-10 00:00', ny), ny).map((s) => s.local)).toEqual([
            '2025-03-09 02:30:00',
        ]);
        const lh = 'Australia/Lord_Howe';
        const lhFrom = local('2025-10-04 00:00', lh);
        expect(skippedByDst(ev('2:15'), lhFrom, lhFrom + 3 * 86_400, lh).map((s) => s.local)).toEqual(['2025-10-05 02:15:00']);
        expect(skippedByDst(ev('2:45'), lhFrom, lhFrom + 3 * 86_400, lh)).toEqual([]);
        expect(skippedByDst(ev('hourly'), from, to, 'UTC')).toEqual([]);
    });
    it('never lists a slot that did run, and the runs plus the lost slots cover the gap day', () => {
        const yearFrom = local('2025-01-01 00:00', VIENNA);
        const yearTo = local('2026-01-01 00:00', VIENNA);
        for (const expr of ['*/15', '2:30', 'sun 2:00', '1..3:*/20', 'hourly']) {
            const ran = new Set(eventsBetween(ev(expr), yearFrom, yearTo, VIENNA, 100_000).map((e) => formatLocal(e, VIENNA)));
            for (const slot of skippedByDst(ev(expr), yearFrom, yearTo, VIENNA)) expect(ran.has(slot.local), `${expr} ${slot.local}`).toBe(false);
        }
        const day = eventsBetween(ev('*/15'), local('2025-03-30 00:00', VIENNA) - 1, local('2025-03-31 00:00', VIENNA) - 1, VIENNA);
        const lost = skippedByDst(ev('*/15'), local('2025-03-30 00:00', VIENNA) - 1, local('2025-03-31 00:00', VIENNA) - 1, VIENNA);
        expect(day.length + lost.length).toBe(96);
    });
});
