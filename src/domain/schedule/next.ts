// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * When a calendar event fires, computed exactly like proxmox-time's compute_next_event
 * (pve-platform.md §7.4): the same field-by-field search, the same 1000-step limit, the same
 * normalisation quirks (repetition overflow, DST gaps and repeated hours). Expected runs must
 * come from the same algorithm as PVE's scheduler, or correct jobs would look like misses.
 */

import type { Zone } from '../time/zone.ts';
import { zoneFor } from '../time/zoned.ts';
import { TmCursor } from './cursor.ts';
import { ALL_WEEKDAYS, type CalendarEvent, findNext, listMatches } from './event.ts';

/** proxmox-time gives up after this many search steps and reports no next event. */
const MAX_STEPS = 1000;
/** previousEvent looks back at most this far (about 300 years). */
const MAX_LOOKBACK = 300 * 366 * 86_400;

/** The zone an event is evaluated in; null = UTC. Throws RangeError for an unknown zone. */
export function eventZone(event: CalendarEvent, timeZone: string): Zone | null {
    if (event.utc) return null;
    const zone = zoneFor(timeZone);
    return zone.isUtc ? null : zone;
}

/**
 * compute_next_event: the first matching second strictly after `last`, or null. `guess` is
 * the offset glibc's mktime remembers from earlier calls in the process (default: none, so a
 * repeated fall-back time resolves to standard time).
 */
export function computeNext(event: CalendarEvent, last: number, zone: Zone | null, guess?: number): number | null {
    const t = new TmCursor(zone, Math.floor(last) + 1, guess);
    const everyDay = event.weekdays === 0 || event.weekdays === ALL_WEEKDAYS;
    for (let step = 0; step <= MAX_STEPS; step++) {
        if (t.failed) return null;
        if (event.year.length > 0 && !listMatches(event.year, t.year)) {
            // proxmox-time converts the year to u32 here, which fails before year 0.
            if (t.year < 0) return null;
            const n = findNext(event.year, t.year);
            if (n === null) return null;
            t.addYears(n - t.year);
            continue;
        }
        if (event.month.length > 0 && !listMatches(event.month, t.month)) {
            const n = findNext(event.month, t.month);
            if (n === null) t.addYears(1);
            else t.addMonths(n - t.month);
            continue;
        }
        if (event.day.length > 0 && !listMatches(event.day, t.day)) {
            const n = findNext(event.day, t.day);
            if (n === null) t.addMonths(1);
            else t.addDays(n - t.day);
            continue;
        }
        if (!everyDay && (event.weekdays & (1 << t.weekday)) === 0) {
            // Searches the rest of the Monday-first week, else jumps to next Monday.
            const dayNum = (t.weekday + 6) % 7;
            let n = dayNum + 1;
            while (n < 7 && (event.weekdays & (1 << ((n + 1) % 7))) === 0) n++;
            t.addDays(n - dayNum);
            continue;
        }
        if (event.hour.length > 0 && !listMatches(event.hour, t.hour)) {
            const n = findNext(event.hour, t.hour);
            if (n === null) t.addDays(1);
            else t.setTime(n, 0, 0);
            continue;
        }
        if (event.minute.length > 0 && !listMatches(event.minute, t.minute)) {
            const n = findNext(event.minute, t.minute);
            if (n === null) t.setTime(t.hour + 1, 0, 0);
            else t.setMinSec(n, 0);
            continue;
        }
        if (event.second.length > 0 && !listMatches(event.second, t.second)) {
            const n = findNext(event.second, t.second);
            if (n === null) t.setMinSec(t.minute + 1, 0);
            else t.setSec(n);
            continue;
        }
        const epoch = t.intoEpoch();
        return t.failed ? null : epoch;
    }
    return null;
}

/**
 * computeNext, but null instead of a time not after `last`: in zones with negative DST
 * (Europe/Dublin) glibc moves a gap time backward and PVE's search can land before its start.
 * Treating that as "no next run" keeps chains finite.
 */
function strictlyAfter(event: CalendarEvent, last: number, zone: Zone | null): number | null {
    const next = computeNext(event, last, zone);
    return next !== null && next > last ? next : null;
}

/**
 * The next run strictly after `afterEpochSec` in `timeZone` (the event's `UTC` suffix wins),
 * or null when PVE finds none (e.g. `02-30`).
 */
export function nextEvent(event: CalendarEvent, afterEpochSec: number, timeZone: string): number | null {
    return strictlyAfter(event, afterEpochSec, eventZone(event, timeZone));
}

/** Up to `count` runs after `after`, each computed from the previous one as PVE chains them. */
export function nextEvents(event: CalendarEvent, after: number, count: number, timeZone: string): number[] {
    const zone = eventZone(event, timeZone);
    const out: number[] = [];
    let last = after;
    while (out.length < count) {
        const next = strictlyAfter(event, last, zone);
        if (next === null) break;
        out.push(next);
        last = next;
    }
    return out;
}

/** All runs in (fromExclusive, toInclusive], ascending, at most `limit` (the earliest ones). */
export function eventsBetween(
    event: CalendarEvent,
    fromExclusive: number,
    toInclusive: number,
    timeZone: string,
    limit = 10_000,
): number[] {
    const zone = eventZone(event, timeZone);
    const out: number[] = [];
    let last = fromExclusive;
    while (out.length < limit) {
        const next = strictlyAfter(event, last, zone);
        if (next === null || next > toInclusive) break;
        out.push(next);
        last = next;
    }
    return out;
}

/**
 * The latest run strictly before `beforeEpochSec`: looks back in growing chunks and follows
 * the chain of runs from the chunk's start, as the scheduler would have. Null when none within
 * about 300 years.
 */
export function previousEvent(event: CalendarEvent, beforeEpochSec: number, timeZone: string): number | null {
    const zone = eventZone(event, timeZone);
    let span = 60;
    for (;;) {
        const start = beforeEpochSec - span;
        const first = strictlyAfter(event, start - 1, zone);
        if (first !== null && first < beforeEpochSec) {
            let last = first;
            for (;;) {
                const next = strictlyAfter(event, last, zone);
                if (next === null || next >= beforeEpochSec) return last;
                last = next;
            }
        }
        if (span >= MAX_LOOKBACK) return null;
        span = Math.min(span * 4, MAX_LOOKBACK);
    }
}

/**
 * Seconds between consecutive runs around `at`: the largest gap among the run at or before
 * `at` and the eight after it (weekly ≈ 7 days, `mon..fri 22:00` ≈ 3 days). Infinity when
 * fewer than two runs exist. Used for staleness thresholds.
 */
export function typicalInterval(event: CalendarEvent, at: number, timeZone: string): number {
    const zone = eventZone(event, timeZone);
    const runs: number[] = [];
    const previous = previousEvent(event, at + 1, timeZone);
    if (previous !== null) runs.push(previous);
    let last = previous ?? at;
    while (runs.length < 9) {
        const next = strictlyAfter(event, last, zone);
        if (next === null) break;
        runs.push(next);
        last = next;
    }
    let gap = Number.POSITIVE_INFINITY;
    for (let i = 1; i < runs.length; i++) {
        const d = (runs[i] as number) - (runs[i - 1] as number);
        gap = gap === Number.POSITIVE_INFINITY ? d : Math.max(gap, d);
    }
    return gap;
}
