// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The parsed form of a PVE calendar event (pve-platform.md §7.2) and the matching rules of
 * proxmox-time's field values, including their quirks: a repetition without an end reports
 * next values past the field's maximum, which the next-event search then carries over
 * (the repetition overflow of §7.4a).
 */

export type FieldValue =
    | { readonly kind: 'single'; readonly value: number }
    | { readonly kind: 'range'; readonly start: number; readonly end: number }
    | { readonly kind: 'repeat'; readonly start: number; readonly step: number; readonly end?: number };

/** One field's values; an empty list matches any value. */
export type FieldList = readonly FieldValue[];

export interface CalendarEvent {
    /** Evaluated in UTC instead of the local zone (the `UTC` suffix). */
    readonly utc: boolean;
    /** Bit d set = weekday d (0 = Sunday … 6 = Saturday); 0 = every day. */
    readonly weekdays: number;
    readonly year: FieldList;
    readonly month: FieldList;
    readonly day: FieldList;
    readonly hour: FieldList;
    readonly minute: FieldList;
    readonly second: FieldList;
}

export const ALL_WEEKDAYS = 0x7f;

export function single(value: number): FieldValue {
    return { kind: 'single', value };
}

export function valueMatches(v: FieldValue, n: number): boolean {
    switch (v.kind) {
        case 'single':
            return v.value === n;
        case 'range':
            return n >= v.start && n <= v.end;
        case 'repeat':
            if (n < v.start) return false;
            if (v.step === 0) return n === v.start;
            return (n - v.start) % v.step === 0 && (v.end === undefined || n <= v.end);
    }
}

export function listMatches(list: FieldList, n: number): boolean {
    for (const v of list) if (valueMatches(v, n)) return true;
    return false;
}

/**
 * The smallest value greater than `n` any entry offers, or null. A range offers only n + 1
 * while inside it, and an open repetition may offer a value beyond the field's maximum.
 */
export function findNext(list: FieldList, n: number): number | null {
    let best: number | null = null;
    const offer = (candidate: number): void => {
        if (best === null || candidate < best) best = candidate;
    };
    for (const v of list) {
        switch (v.kind) {
            case 'single':
                if (v.value > n) offer(v.value);
                break;
            case 'range':
                if (n < v.start) offer(v.start);
                else if (n + 1 <= v.end) offer(n + 1);
                break;
            case 'repeat': {
                if (n < v.start) {
                    offer(v.start);
                } else if (v.step > 0) {
                    const next = v.start + Math.floor((n - v.start + v.step) / v.step) * v.step;
                    if (v.end === undefined || next <= v.end) offer(next);
                }
                break;
            }
        }
    }
    return best;
}

/** Whether weekday `weekday` (0 = Sunday) is selected; an empty set selects every day. */
export function weekdayMatches(event: CalendarEvent, weekday: number): boolean {
    return event.weekdays === 0 || (event.weekdays & (1 << weekday)) !== 0;
}
