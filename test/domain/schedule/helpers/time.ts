// SPDX-License-Identifier: AGPL-3.0-or-later
/** Small time helpers for schedule tests. */

import { parseCalendarEvent } from '../../../../src/domain/schedule/parse.ts';
import { nextEvents } from '../../../../src/domain/schedule/next.ts';
import { formatLocal, parseLocalDateTime } from '../../../../src/domain/time/zoned.ts';

/** `YYYY-MM-DD HH:MM[:SS]` in UTC to epoch seconds. */
export function utc(text: string): number {
    return local(text, 'UTC');
}

/** `YYYY-MM-DD HH:MM[:SS]` in a zone to epoch seconds (throws when malformed). */
export function local(text: string, timeZone: string): number {
    const epoch = parseLocalDateTime(text, timeZone);
    if (epoch === null) throw new Error(`bad test time '${text}'`);
    return epoch;
}

/** Epoch to `YYYY-MM-DD HH:MM:SS` in a zone. */
export function show(epoch: number, timeZone = 'UTC'): string {
    return formatLocal(epoch, timeZone);
}

/** The next `count` runs of `expr` after `from` as local times with offset, e.g. `2025-10-26 02:20:00+01:00`. */
export function runs(expr: string, from: number, count: number, timeZone: string): string[] {
    return nextEvents(parseCalendarEvent(expr), from, count, timeZone).map((e) => withOffset(e, timeZone));
}

export function withOffset(epoch: number, timeZone: string): string {
    const wall = parseLocalDateTime(formatLocal(epoch, timeZone), 'UTC') as number;
    const offset = (wall - epoch) / 60;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${formatLocal(epoch, timeZone)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
