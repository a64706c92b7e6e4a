// SPDX-License-Identifier: AGPL-3.0-or-later
// vzdump's log times as numbers: text → number → the same text, for every second vzdump can write.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactWallSeconds, formatWall, wallSeconds } from '../../../src/domain/time/wall-clock.ts';

/** The plain reading: what a Date says. */
function viaDate(seconds: number): string {
    return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const FIRST = Date.UTC(1000, 0, 1) / 1000;
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;

describe('wall-clock times', () => {
    it('formats like a Date for any second of the years 1000–9999, and reads back', () => {
        fc.assert(
            fc.property(fc.integer({ min: FIRST, max: LAST }), (s) => {
                const text = formatWall(s);
                expect(text).toBe(viaDate(s));
                expect(wallSeconds(text)).toBe(s);
                expect(exactWallSeconds(text)).toBe(s);
            }),
            { numRuns: 20000 },
        );
        for (const s of [FIRST, LAST, 0, Date.UTC(2000, 1, 29, 12) / 1000, Date.UTC(2100, 1, 28, 23, 59, 59) / 1000, Date.UTC(2026, 2, 29, 2, 30) / 1000]) {
            expect(formatWall(s)).toBe(viaDate(s));
        }
    });

    it('keeps texts that do not read back exactly as text (NaN)', () => {
        for (const t of ['2026-02-30 10:00:00', '2026-11-20 24:00:00', '2026-11-20 1:00:00', '2026-11-20T01:00:00', '0999-12-31 23:59:59', '', 'Fri Nov 20 01:02:10 2026']) {
            expect(exactWallSeconds(t), t).toBeNaN();
        }
        expect(wallSeconds('2026-02-30 10:00:00')).toBe(Date.UTC(2026, 2, 2, 10) / 1000);
    });
});
