// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Time-zone math for any IANA zone without I/O, by zone name: local fields of an instant, the
 * instant of local fields as C's mktime finds it, DST changes. Zones are built once per name.
 */

import { type LocalDateTime, type LocalFields, daysInMonth, formatFields, wallFromFields } from './civil.ts';
import { type Transition, Zone } from './zone.ts';

export type { LocalDateTime, LocalFields } from './civil.ts';
export { type Resolution, type Transition, Zone } from './zone.ts';

const zones = new Map<string, Zone>();

/** The cached Zone for an IANA name; throws RangeError for an unknown zone. */
export function zoneFor(timeZone: string): Zone {
    let zone = zones.get(timeZone);
    if (zone === undefined) {
        if (timeZone.trim() === '') throw new RangeError('time zone is empty');
        zone = new Zone(timeZone);
        zones.set(timeZone, zone);
    }
    return zone;
}

export function isValidTimeZone(timeZone: string): boolean {
    try {
        zoneFor(timeZone);
        return true;
    } catch {
        return false;
    }
}

export function epochToLocal(epochSec: number, timeZone: string): LocalDateTime {
    return zoneFor(timeZone).toLocal(epochSec);
}

/** UTC offset in seconds (east positive) at an instant. */
export function utcOffsetAt(epochSec: number, timeZone: string): number {
    return zoneFor(timeZone).offsetAt(epochSec);
}

/**
 * Broken-down local time to epoch like C's mktime with tm_isdst = -1: out-of-range fields
 * carry over, gap times move forward, repeated times per Zone.resolve (`guess` = glibc's
 * remembered offset; leave it out for the standard-time occurrence).
 */
export function localToEpoch(fields: LocalFields, timeZone: string, guess?: number): number {
    return zoneFor(timeZone).resolve(wallFromFields(fields), guess).epoch;
}

/** `YYYY-MM-DD HH:MM[:SS]` (space or `T`) as local time in `timeZone`; null when malformed. */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
    if (!m || !isValidTimeZone(timeZone)) return null;
    const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
        number,
        number,
        number,
        number,
        number,
        number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    if (hour > 23 || minute > 59 || second > 59) return null;
    return localToEpoch({ year, month, day, hour, minute, second }, timeZone);
}

/** `YYYY-MM-DD HH:MM:SS` local time of an instant. */
export function formatLocal(epochSec: number, timeZone: string): string {
    return formatFields(epochToLocal(epochSec, timeZone));
}

/** Whether the local wall time of `epochSec` occurs twice (inside a fall-back hour). */
export function isAmbiguousLocalTime(epochSec: number, timeZone: string): boolean {
    const zone = zoneFor(timeZone);
    return zone.occurrences(epochSec + zone.offsetAt(epochSec)).length > 1;
}

/** The other instant with the same local wall time (fall-back hour), or null. */
export function otherOccurrence(epochSec: number, timeZone: string): number | null {
    const zone = zoneFor(timeZone);
    const found = zone.occurrences(epochSec + zone.offsetAt(epochSec));
    return found.find((e) => e !== epochSec) ?? null;
}

/** Offset changes in (fromExclusive, toInclusive], ascending. */
export function transitionsBetween(fromExclusive: number, toInclusive: number, timeZone: string): Transition[] {
    return zoneFor(timeZone).transitionsBetween(fromExclusive, toInclusive);
}
