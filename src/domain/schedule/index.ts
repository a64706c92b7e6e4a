// SPDX-License-Identifier: AGPL-3.0-or-later
/** The calendar-event engine: PVE's schedule syntax, next runs, DST effects, words. */

export { describeSchedule } from './describe.ts';
export { type DstSkippedSlot, alternateRunTime, isAmbiguousLocalRun, skippedByDst } from './dst.ts';
export type { CalendarEvent, FieldList, FieldValue } from './event.ts';
export { eventsBetween, nextEvent, nextEvents, previousEvent, typicalInterval } from './next.ts';
export { CalendarEventError, type CalendarParseResult, parseCalendarEvent, tryParseCalendarEvent } from './parse.ts';
