// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The prune algorithm of pve-platform.md §8.2 (pve-storage's `prune_mark_backup_group`), generic
 * over the items so archive retention and the retention-violation check share it. Periods are
 * computed in the node's local time; the caller supplies that conversion, so this module stays
 * free of time zones.
 */

import type { PruneOptions } from '../model.ts';
import { KEEP_COUNT_OPTIONS, keepsEverything } from './prune-options.ts';

export type PruneMark = 'keep' | 'remove' | 'protected' | 'renamed';

export interface PruneItem {
    id: string;
    /** Creation time, epoch seconds (for standard names: parsed from the name in local time). */
    time: number;
    /** Protected backups are never removed and never count toward a keep option. */
    protected?: boolean;
    /** Set for archives whose name is not the standard `vzdump-<type>-<vmid>-<time>` form. */
    renamed?: boolean;
}

/** Broken-down local time of an epoch, as the node's time zone sees it. */
export interface LocalTimeParts {
    year: number;
    /** 1–12. */
    month: number;
    /** Day of month, 1–31. */
    day: number;
    /** 0–23. */
    hour: number;
    isoWeek: number;
    isoWeekYear: number;
}

export interface PruneMarked<T extends PruneItem> {
    item: T;
    mark: PruneMark;
}

/**
 * The period an item falls in, as a number: the same equality as pve-storage's string keys
 * (`<hour>/<day>/<month>/<year>` …) without building a string per item and option — the
 * retention check runs this for every backup of every guest each cycle.
 */
type PeriodOf = (parts: LocalTimeParts, time: number) => number;

const day = (p: LocalTimeParts) => (p.year * 13 + p.month) * 32 + p.day;
const PERIODS: Record<string, PeriodOf> = {
    'keep-last': (_p, time) => time,
    'keep-hourly': (p) => day(p) * 24 + p.hour,
    'keep-daily': (p) => day(p),
    'keep-weekly': (p) => p.isoWeekYear * 54 + p.isoWeek,
    'keep-monthly': (p) => p.year * 13 + p.month,
    'keep-yearly': (p) => p.year,
};

/**
 * Marks one backup group (one `<type>/<vmid>`; group the items before calling). Returns one
 * entry per item, in input order. `toLocal` must be a pure function of the epoch.
 */
export function markPrune<T extends PruneItem>(
    items: readonly T[],
    options: PruneOptions,
    toLocal: (epoch: number) => LocalTimeParts,
): PruneMarked<T>[] {
    const marks: (PruneMark | undefined)[] = new Array(items.length).fill(undefined);
    items.forEach((item, i) => {
        if (item.renamed === true) marks[i] = 'renamed';
        else if (item.protected === true) marks[i] = 'protected';
    });
    if (keepsEverything(options)) return items.map((item, i) => ({ item, mark: marks[i] ?? 'keep' }));
    // Newest first; the sort is stable, so equal times keep their input order.
    const newestFirst = items
        .map((_item, i) => i)
        .filter((i) => marks[i] === undefined)
        .sort((a, b) => (items[b] as T).time - (items[a] as T).time);
    const parts: (LocalTimeParts | undefined)[] = new Array(items.length).fill(undefined);
    const local = (i: number): LocalTimeParts => {
        let p = parts[i];
        if (p === undefined) {
            p = toLocal((items[i] as T).time);
            parts[i] = p;
        }
        return p;
    };
    for (const [name, key] of KEEP_COUNT_OPTIONS) {
        const count = options[key] ?? 0;
        const periodOf = PERIODS[name];
        if (!(count > 0 && periodOf)) continue;
        // keep-last needs no local time: skip the zone conversion for it.
        const of = name === 'keep-last' ? (i: number) => (items[i] as T).time : (i: number) => periodOf(local(i), (items[i] as T).time);
        markOption(newestFirst, marks, count, of);
    }
    return items.map((item, i) => ({ item, mark: marks[i] ?? 'remove' }));
}

/** Like {@link markPrune}, keyed by item id (ids must be unique within the group). */
export function pruneMarks<T extends PruneItem>(
    items: readonly T[],
    options: PruneOptions,
    toLocal: (epoch: number) => LocalTimeParts,
): Map<string, PruneMark> {
    return new Map(markPrune(items, options, toLocal).map(({ item, mark }) => [item.id, mark]));
}

/** One keep option: newest backup of each new period is kept until `count` periods are kept. */
function markOption(newestFirst: readonly number[], marks: (PruneMark | undefined)[], count: number, periodOf: (index: number) => number): void {
    const covered = new Set<number>();
    for (const i of newestFirst) {
        if (marks[i] === 'keep') covered.add(periodOf(i));
    }
    const kept = new Set<number>();
    for (const i of newestFirst) {
        if (marks[i] !== undefined) continue;
        const period = periodOf(i);
        if (covered.has(period)) continue;
        if (kept.has(period)) {
            marks[i] = 'remove';
            continue;
        }
        if (kept.size >= count) return;
        kept.add(period);
        marks[i] = 'keep';
    }
}

/**
 * Local time parts for UTC. Useful for PBS snapshot times and tests; callers with a real node
 * time zone pass their own conversion.
 */
export function utcTimeParts(epoch: number): LocalTimeParts {
    const days = Math.floor(epoch / 86_400);
    const { year, month, day } = civilFromDays(days);
    const hour = Math.floor((epoch - days * 86_400) / 3600);
    const { isoWeek, isoWeekYear } = isoWeekOf(year, month, day);
    return { year, month, day, hour, isoWeek, isoWeekYear };
}

/** ISO 8601 week number and week-based year of a calendar date (weeks start on Monday). */
export function isoWeekOf(year: number, month: number, day: number): { isoWeek: number; isoWeekYear: number } {
    const days = daysFromCivil(year, month, day);
    const weekday = ((((days + 3) % 7) + 7) % 7) + 1; // 1 = Monday; 1970-01-01 was a Thursday
    const thursday = days - weekday + 4;
    const isoWeekYear = civilFromDays(thursday).year;
    const isoWeek = Math.floor((thursday - daysFromCivil(isoWeekYear, 1, 1)) / 7) + 1;
    return { isoWeek, isoWeekYear };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146_097 + doe - 719_468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
