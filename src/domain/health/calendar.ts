// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The evaluator's view of the calendar engine: parse once per distinct schedule text, then ask
 * for runs in windows. Keeps the health code independent of the engine's internals.
 */

import { describeSchedule } from '../schedule/describe.ts';
import { eventsBetween, nextEvent, previousEvent } from '../schedule/next.ts';
import { type CalendarEvent, tryParseCalendarEvent } from '../schedule/parse.ts';
import { isAmbiguousLocalTime } from '../time/zoned.ts';

export interface ParsedSchedule {
    text: string;
    event: CalendarEvent;
}

/** Parses each distinct schedule text once; errors are returned, never thrown. */
export class ScheduleCache {
    private readonly cache = new Map<string, ParsedSchedule | string>();
    private readonly words = new Map<string, string>();

    /** The schedule in words (`daily 02:00`), once per distinct text. */
    text(schedule: string): string {
        let w = this.words.get(schedule);
        if (w === undefined) {
            w = describeSchedule(schedule);
            this.words.set(schedule, w);
        }
        return w;
    }

    get(text: string): ParsedSchedule | string {
        const hit = this.cache.get(text);
        if (hit !== undefined) return hit;
        const r = tryParseCalendarEvent(text);
        const value = r.ok ? { text, event: r.event } : r.error;
        this.cache.set(text, value);
        return value;
    }
}

export function scheduleEventsBetween(
    s: ParsedSchedule,
    fromExclusive: number,
    toInclusive: number,
    timeZone: string,
    limit: number,
): number[] {
    return eventsBetween(s.event, fromExclusive, toInclusive, timeZone, limit);
}

export function scheduleNext(s: ParsedSchedule, after: number, timeZone: string): number | null {
    return nextEvent(s.event, after, timeZone);
}

/** The latest run strictly before `before`, or null. */
export function schedulePrevious(s: ParsedSchedule, before: number, timeZone: string): number | null {
    return previousEvent(s.event, before, timeZone);
}

export function scheduleText(text: string): string {
    return describeSchedule(text);
}

/**
 * Whether the local wall time of `epoch` occurs twice (fall-back hour). PVE's mktime may fire
 * such a run at either occurrence (pve-platform.md §7.4 caveat).
 */
export function isRepeatedLocalTime(epoch: number, timeZone: string): boolean {
    return isAmbiguousLocalTime(epoch, timeZone);
}
