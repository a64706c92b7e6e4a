// SPDX-License-Identifier: AGPL-3.0-or-later
/** The keyword shortcuts of pve-platform.md §7.2; each stands alone (only `UTC` may follow). */

import { type CalendarEvent, single } from './event.ts';

export const ZERO = [single(0)];

function keywordEvent(parts: Partial<CalendarEvent>): Omit<CalendarEvent, 'utc'> {
    return { weekdays: 0, year: [], month: [], day: [], hour: [], minute: [], second: ZERO, ...parts };
}

const MIDNIGHT = { hour: ZERO, minute: ZERO, second: ZERO };
export const KEYWORDS = new Map<string, Omit<CalendarEvent, 'utc'>>([
    ['minutely', keywordEvent({})],
    ['hourly', keywordEvent({ minute: ZERO })],
    ['daily', keywordEvent(MIDNIGHT)],
    ['weekly', keywordEvent({ ...MIDNIGHT, weekdays: 1 << 1 })],
    ['monthly', keywordEvent({ ...MIDNIGHT, day: [single(1)] })],
    ['yearly', keywordEvent({ ...MIDNIGHT, day: [single(1)], month: [single(1)] })],
    ['annually', keywordEvent({ ...MIDNIGHT, day: [single(1)], month: [single(1)] })],
    ['quarterly', keywordEvent({ ...MIDNIGHT, day: [single(1)], month: [1, 4, 7, 10].map(single) })],
    ['semiannually', keywordEvent({ ...MIDNIGHT, day: [single(1)], month: [single(1), single(7)] })],
    ['semi-annually', keywordEvent({ ...MIDNIGHT, day: [single(1)], month: [single(1), single(7)] })],
]);
