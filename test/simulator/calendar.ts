// SPDX-License-Identifier: AGPL-3.0-or-later
/** The simulator fires jobs with the project's calendar engine, i.e. at the times PVE would. */

import { eventsBetween, nextEvents, previousEvent } from '../../src/domain/schedule/next.ts';
import { tryParseCalendarEvent } from '../../src/domain/schedule/parse.ts';

function parse(schedule: string) {
    const r = tryParseCalendarEvent(schedule);
    if (!r.ok) throw new Error(`simulator: bad schedule '${schedule}': ${r.error}`);
    return r.event;
}

/** Scheduled times in (from, to]. */
export function scheduleTimes(schedule: string, from: number, to: number, timeZone: string): number[] {
    return eventsBetween(parse(schedule), from, to, timeZone, 1_000_000);
}

/** The next `count` scheduled times after `after` (fewer when the event ends). */
export function nextTimes(schedule: string, after: number, timeZone: string, count: number): number[] {
    return nextEvents(parse(schedule), after, count, timeZone);
}

/** The latest scheduled time strictly before `before`, or undefined. */
export function previousTime(schedule: string, before: number, timeZone: string): number | undefined {
    return previousEvent(parse(schedule), before, timeZone) ?? undefined;
}
