// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What daylight-saving changes do to a schedule, for the evaluator's leniency and the explain
 * view: a run in a repeated fall-back hour may happen at either occurrence (glibc's mktime
 * picks one depending on earlier calls, pve-platform.md §7.4), and a slot inside a
 * spring-forward gap does not run at all that day.
 */

import { fieldsFromWall, formatFields } from '../time/civil.ts';
import { zoneFor } from '../time/zoned.ts';
import type { CalendarEvent } from './event.ts';
import { computeNext } from './next.ts';

/** A schedule slot whose local time did not exist because clocks jumped forward. */
export interface DstSkippedSlot {
    /** The local wall time of the slot, `YYYY-MM-DD HH:MM:SS`. */
    local: string;
    /** Where the slot would have been had clocks not jumped (pre-change offset applied). */
    epoch: number;
}

/**
 * Whether a run at `epochSec` lies in a repeated local hour, so PVE might have fired it at
 * the other occurrence instead. Always false for events with the `UTC` suffix.
 */
export function isAmbiguousLocalRun(epochSec: number, timeZone: string, event?: CalendarEvent): boolean {
    if (event?.utc) return false;
    const zone = zoneFor(timeZone);
    return zone.occurrences(epochSec + zone.offsetAt(epochSec)).length > 1;
}

/** The other instant a run in a repeated local hour could have fired at, or null. */
export function alternateRunTime(epochSec: number, timeZone: string, event?: CalendarEvent): number | null {
    if (event?.utc) return null;
    const zone = zoneFor(timeZone);
    const found = zone.occurrences(epochSec + zone.offsetAt(epochSec));
    return found.length > 1 ? (found.find((e) => e !== epochSec) ?? null) : null;
}

/**
 * Slots in (fromExclusive, toInclusive] that match the schedule's fields but do not run
 * because their local time fell into a spring-forward gap, ascending, at most `limit`.
 */
export function skippedByDst(
    event: CalendarEvent,
    fromExclusive: number,
    toInclusive: number,
    timeZone: string,
    limit = 1000,
): DstSkippedSlot[] {
    const out: DstSkippedSlot[] = [];
    if (event.utc) return out;
    const zone = zoneFor(timeZone);
    if (zone.isUtc) return out;
    for (const change of zone.transitionsBetween(fromExclusive, toInclusive)) {
        if (change.offsetAfter <= change.offsetBefore) continue;
        const gapStart = change.at + change.offsetBefore;
        const gapEnd = change.at + change.offsetAfter;
        // Wall times are matched as if they were UTC: fields only, no zone involved.
        let wall = computeNext(event, gapStart - 1, null);
        while (wall !== null && wall < gapEnd && out.length < limit) {
            const epoch = wall - change.offsetBefore;
            if (epoch > fromExclusive && epoch <= toInclusive) {
                out.push({ local: formatFields(fieldsFromWall(wall)), epoch });
            }
            wall = computeNext(event, wall, null);
        }
    }
    return out;
}
