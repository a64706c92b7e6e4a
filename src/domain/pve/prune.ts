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

type PeriodOf = (parts: LocalTimeParts, time: number) => string;

const PERIODS: Record<string, PeriodOf> = {
    'keep-last': (_p, time) => String(time),
    'keep-hourly': (p) => `${p.hour}/${p.day}/${p.month}/${p.year}`,
    'keep-daily': (p) => `${p.day}/${p.month}/${p.year}`,
    'keep-weekly': (p) => `${p.isoWeek}/${p.isoWeekYear}`,
    'keep-monthly': (p) => `${p.month}/${p.year}`,
    'keep-yearly': (p) => `${p.year}`,
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
    const marks = new Map<T, PruneMark>();
    for (const item of items) {
        if (item.renamed === true) marks.set(item, 'renamed');
        else if (item.protected === true) marks.set(item, 'protected');
    }
    if (keepsEverything(options)) {
        return items.map((item) => ({ item, mark: marks.get(item) ?? 'keep' }));
    }
    const newestFirst = items
        .filter((item) => !marks.has(item))
        .sort((a, b) => b.time - a.time);
    const partsCache = new Map<number, LocalTimeParts>();
    const local = (time: number): LocalTimeParts => {
        let parts = partsCache.get(time);
        if (parts === undefined) {
            parts = toLocal(time);
            partsCache.set(time, parts);
        }
        return parts;
    };
    for (const [name, key] of KEEP_COUNT_OPTIONS) {
        const count = options[key] ?? 0;
        const periodOf = PERIODS[name];
        if (count > 0 && periodOf) markOption(newestFirst, marks, count, (t) => periodOf(local(t), t));
    }
    return items.map((item) => ({ item, mark: marks.get(item) ?? 'remove' }));
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
function markOption<T extends PruneItem>(
    newestFirst: readonly T[],
    marks: Map<T, PruneMark>,
    count: number,
    periodOf: (time: number) => string,
): void {
    const covered = new Set<string>();
    for (const item of newestFirst) {
        if (marks.get(item) === 'keep') covered.add(periodOf(item.time));
    }
    const kept = new Set<string>();
    for (const item of newestFirst) {
        if (marks.has(item)) continue;
        const period = periodOf(item.time);
        if (covered.has(period)) continue;
        if (kept.has(period)) {
            marks.set(item, 'remove');
            continue;
        }
        if (kept.size >= count) return;
        kept.add(period);
        marks.set(item, 'keep');
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
