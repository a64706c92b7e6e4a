// SPDX-License-Identifier: AGPL-3.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PruneOptions } from '../../../src/domain/model.ts';
import {
    civilFromDays,
    daysFromCivil,
    isoWeekOf,
    markPrune,
    type PruneItem,
    pruneMarks,
    utcTimeParts,
} from '../../../src/domain/pve/prune.ts';

const DAY = 86_400;
const at = (y: number, m: number, d: number, h = 2, min = 0): number => daysFromCivil(y, m, d) * DAY + h * 3600 + min * 60;
const item = (time: number, extra: Partial<PruneItem> = {}): PruneItem => ({ id: String(time), time, ...extra });
const marksOf = (items: PruneItem[], options: PruneOptions) => pruneMarks(items, options, utcTimeParts);

describe('markPrune: the §8.2 example keep-last=3,keep-daily=13', () => {
    // 30 nightly backups (2025-01-01 .. 2025-01-30 at 02:00) plus manual ones at 14:00 on the last two days.
    const nightly = Array.from({ length: 30 }, (_v, i) => item(at(2025, 1, i + 1)));
    const manual = [item(at(2025, 1, 29, 14)), item(at(2025, 1, 30, 14))];
    const marks = marksOf([...nightly, ...manual], { keepLast: 3, keepDaily: 13 });

    it('keeps the 3 newest for keep-last', () => {
        expect(marks.get(String(at(2025, 1, 30, 14)))).toBe('keep');
        expect(marks.get(String(at(2025, 1, 30)))).toBe('keep');
        expect(marks.get(String(at(2025, 1, 29, 14)))).toBe('keep');
    });

    it('then 13 further days; the days of the 3 newest count as covered', () => {
        expect(marks.get(String(at(2025, 1, 29)))).toBe('remove');
        for (let d = 28; d >= 16; d--) expect(marks.get(String(at(2025, 1, d)))).toBe('keep');
        for (let d = 15; d >= 1; d--) expect(marks.get(String(at(2025, 1, d)))).toBe('remove');
        expect([...marks.values()].filter((m) => m === 'keep')).toHaveLength(16);
    });

    it('returns entries in input order with the items themselves', () => {
        const items = [...nightly, ...manual];
        const marked = markPrune(items, { keepLast: 3, keepDaily: 13 }, utcTimeParts);
        expect(marked.map((m) => m.item)).toEqual(items);
    });
});

describe('markPrune: pre-marks and keep-all', () => {
    const items = [
        item(at(2025, 2, 1)),
        item(at(2025, 2, 2), { protected: true }),
        item(at(2025, 2, 3)),
        item(at(2025, 2, 4), { renamed: true }),
    ];

    it('never counts or removes protected and renamed backups', () => {
        const marks = marksOf(items, { keepLast: 1 });
        expect([...marks.values()]).toEqual(['remove', 'protected', 'keep', 'renamed']);
    });

    it('keeps everything unmarked with keep-all or without positive options', () => {
        expect([...marksOf(items, { keepAll: true }).values()]).toEqual(['keep', 'protected', 'keep', 'renamed']);
        expect([...marksOf(items, { keepDaily: 0 }).values()]).toEqual(['keep', 'protected', 'keep', 'renamed']);
    });
});

describe('markPrune: periods', () => {
    it('keeps only the newest backup of an hour for keep-hourly', () => {
        const marks = marksOf([item(at(2025, 3, 1, 5, 10)), item(at(2025, 3, 1, 5, 50)), item(at(2025, 3, 1, 4, 0))], { keepHourly: 5 });
        expect([...marks.values()]).toEqual(['remove', 'keep', 'keep']);
    });

    it('uses ISO weeks for keep-weekly across the year boundary', () => {
        // 2024-12-30 (Mon) and 2025-01-05 (Sun) are both ISO week 1 of 2025; 2024-12-29 is week 52 of 2024.
        const items = [item(at(2024, 12, 29)), item(at(2024, 12, 30)), item(at(2025, 1, 5))];
        expect([...marksOf(items, { keepWeekly: 2 }).values()]).toEqual(['keep', 'remove', 'keep']);
    });

    it('stops at N new periods: keep-monthly=2 over four months', () => {
        const items = [item(at(2025, 1, 15)), item(at(2025, 2, 15)), item(at(2025, 3, 15)), item(at(2025, 4, 15))];
        expect([...marksOf(items, { keepMonthly: 2 }).values()]).toEqual(['remove', 'remove', 'keep', 'keep']);
    });

    it('treats two backups with the same time as one keep-last period, like PVE', () => {
        const t = at(2025, 5, 1);
        const marks = markPrune([{ id: 'a', time: t }, { id: 'b', time: t }, { id: 'c', time: t - 60 }], { keepLast: 2 }, utcTimeParts);
        expect(marks.map((m) => m.mark)).toEqual(['keep', 'remove', 'keep']);
    });

    it('uses the caller-provided local time: a backup at 23:30 UTC is the next day in UTC+1', () => {
        const items = [item(at(2025, 6, 1, 23, 30)), item(at(2025, 6, 2, 10))];
        const plusOne = (epoch: number) => utcTimeParts(epoch + 3600);
        expect(markPrune(items, { keepDaily: 5 }, utcTimeParts).map((m) => m.mark)).toEqual(['keep', 'keep']);
        expect(markPrune(items, { keepDaily: 5 }, plusOne).map((m) => m.mark)).toEqual(['remove', 'keep']);
    });
});

describe('calendar helpers', () => {
    it('converts days and ISO weeks', () => {
        expect(daysFromCivil(1970, 1, 1)).toBe(0);
        expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 });
        expect(isoWeekOf(2021, 1, 3)).toEqual({ isoWeek: 53, isoWeekYear: 2020 });
        expect(isoWeekOf(2024, 12, 30)).toEqual({ isoWeek: 1, isoWeekYear: 2025 });
        expect(isoWeekOf(2026, 12, 31)).toEqual({ isoWeek: 53, isoWeekYear: 2026 });
        expect(utcTimeParts(1736038803)).toEqual({ year: 2025, month: 1, day: 5, hour: 1, isoWeek: 1, isoWeekYear: 2025 });
    });

    it('agrees with Date for a range of days', () => {
        for (let d = -800; d < 30_000; d += 37) {
            const date = new Date(d * DAY * 1000);
            expect(civilFromDays(d)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        }
    });
});

describe('markPrune: against a plain reading of pve-storage prune_mark_backup_group', () => {
    /** The algorithm as §8.2 states it: string period keys, one pass per option, newest first. */
    function reference(items: PruneItem[], options: PruneOptions): string[] {
        const marks = new Map<PruneItem, string>();
        for (const it of items) if (it.renamed) marks.set(it, 'renamed');
        else if (it.protected) marks.set(it, 'protected');
        const counts: [number | undefined, (t: number) => string][] = [
            [options.keepLast, (t) => String(t)],
            [options.keepHourly, (t) => { const p = utcTimeParts(t); return `${p.hour}/${p.day}/${p.month}/${p.year}`; }],
            [options.keepDaily, (t) => { const p = utcTimeParts(t); return `${p.day}/${p.month}/${p.year}`; }],
            [options.keepWeekly, (t) => { const p = utcTimeParts(t); return `${p.isoWeek}/${p.isoWeekYear}`; }],
            [options.keepMonthly, (t) => { const p = utcTimeParts(t); return `${p.month}/${p.year}`; }],
            [options.keepYearly, (t) => String(utcTimeParts(t).year)],
        ];
        if (options.keepAll || counts.every(([c]) => !c)) return items.map((it) => marks.get(it) ?? 'keep');
        const sorted = items.filter((it) => !marks.has(it)).sort((a, b) => b.time - a.time);
        for (const [count, period] of counts) {
            if (!count) continue;
            const covered = new Set(sorted.filter((it) => marks.get(it) === 'keep').map((it) => period(it.time)));
            const kept = new Set<string>();
            for (const it of sorted) {
                if (marks.has(it) || covered.has(period(it.time))) continue;
                if (kept.has(period(it.time))) marks.set(it, 'remove');
                else if (kept.size >= count) break;
                else {
                    kept.add(period(it.time));
                    marks.set(it, 'keep');
                }
            }
        }
        return items.map((it) => marks.get(it) ?? 'remove');
    }

    it('marks every random group the same way', () => {
        const count = fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined });
        const options = fc.record({ keepLast: count, keepHourly: count, keepDaily: count, keepWeekly: count, keepMonthly: count, keepYearly: count, keepAll: fc.option(fc.boolean(), { nil: undefined }) });
        // Times bunched into a few weeks of two years, so hours, days, weeks, months and week numbers
        // of different years collide.
        const span = (from: number) => fc.integer({ min: from, max: from + 21 * DAY }).map((t) => t - (t % 1800));
        const time = fc.oneof(span(at(2024, 12, 20, 0)), span(at(2025, 12, 20, 0)));
        const items = fc.array(fc.record({ time, protected: fc.boolean(), renamed: fc.boolean() }, { requiredKeys: ['time'] }), { maxLength: 25 });
        fc.assert(
            fc.property(items, options, (raw, opts) => {
                const list = raw.map((r, i) => item(r.time, { id: `b${i}`, ...(r.protected ? { protected: true } : {}), ...(r.renamed && i % 5 === 0 ? { renamed: true } : {}) }));
                const clean = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as PruneOptions;
                expect(markPrune(list, clean, utcTimeParts).map((m) => m.mark)).toEqual(reference(list, clean));
            }),
            { numRuns: 500 },
        );
    });
});
