// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Short English words for the common schedule forms, for the GUI and reports. Forms that
 * would need a sentence (dates, overflowing repetitions, seconds) keep their own text, which
 * admins recognise from the PVE job editor.
 */

import type { CalendarEvent, FieldList, FieldValue } from './event.ts';
import { tryParseCalendarEvent } from './parse.ts';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const KEYWORD_WORDS = new Map([
    ['minutely', 'every minute'],
    ['hourly', 'hourly'],
    ['daily', 'daily 00:00'],
    ['weekly', 'weekly (Mon, 00:00)'],
    ['monthly', 'monthly (1st, 00:00)'],
    ['yearly', 'yearly (1 Jan, 00:00)'],
    ['annually', 'yearly (1 Jan, 00:00)'],
    ['quarterly', 'quarterly (1st, 00:00)'],
    ['semiannually', 'semi-annually (1 Jan/1 Jul, 00:00)'],
    ['semi-annually', 'semi-annually (1 Jan/1 Jul, 00:00)'],
]);

function two(n: number): string {
    return String(n).padStart(2, '0');
}

/** Values of a list made only of single values, sorted; null otherwise. */
function singles(list: FieldList): number[] | null {
    if (list.length === 0 || list.some((v) => v.kind !== 'single')) return null;
    return [...new Set(list.map((v) => (v as Extract<FieldValue, { kind: 'single' }>).value))].sort((a, b) => a - b);
}

/** `*\/step` whose step divides the field, so the runs are evenly spaced. */
function evenStep(list: FieldList, size: number): number | null {
    const [only] = list;
    if (list.length !== 1 || only === undefined || only.kind !== 'repeat') return null;
    if (only.start !== 0 || only.end !== undefined || only.step === 0 || size % only.step !== 0) return null;
    return only.step;
}

/** `Mon–Fri`, `Fri–Mon`, `Sat, Sun`, `Mon, Wed, Fri`; empty for every day. */
function weekdayWords(mask: number): string {
    if (mask === 0 || mask === 0x7f) return '';
    const monFirst = [1, 2, 3, 4, 5, 6, 0].filter((d) => (mask & (1 << d)) !== 0);
    const count = monFirst.length;
    if (count >= 3) {
        // A run of consecutive days, possibly across the week's end, reads as a range.
        for (let start = 0; start < 7; start++) {
            let run = true;
            for (let i = 0; i < count; i++) if ((mask & (1 << ((start + i) % 7))) === 0) run = false;
            const before = (start + 6) % 7;
            if (run && (mask & (1 << before)) === 0) {
                return `${DAY_NAMES[start]}–${DAY_NAMES[(start + count - 1) % 7]}`;
            }
        }
    }
    return monFirst.map((d) => DAY_NAMES[d]).join(', ');
}

function timeWords(event: CalendarEvent): string | null {
    const seconds = singles(event.second);
    if (seconds === null || seconds.length !== 1 || seconds[0] !== 0) return null;
    const minutes = singles(event.minute);
    const hours = singles(event.hour);
    if (hours !== null && minutes !== null && hours.length * minutes.length <= 4) {
        return hours.flatMap((h) => minutes.map((m) => `${two(h)}:${two(m)}`)).join(', ');
    }
    if (event.hour.length === 0) {
        const step = evenStep(event.minute, 60);
        if (step !== null) return step === 1 ? 'every minute' : `every ${step} min`;
        if (minutes?.length === 1) return minutes[0] === 0 ? 'hourly' : `hourly at :${two(minutes[0] as number)}`;
        if (event.minute.length === 0) return 'every minute';
        return null;
    }
    const hourStep = evenStep(event.hour, 24);
    if (hourStep !== null && minutes?.length === 1) {
        const every = hourStep === 1 ? 'hourly' : `every ${hourStep} h`;
        return minutes[0] === 0 ? every : `${every} at :${two(minutes[0] as number)}`;
    }
    return null;
}

/** `02:00` → `daily 02:00`, `mon..fri 22:00` → `Mon–Fri 22:00`, `*\/30` → `every 30 min`. */
export function describeSchedule(text: string): string {
    const parsed = tryParseCalendarEvent(text);
    if (!parsed.ok) return text;
    const event = parsed.event;
    const suffix = event.utc ? ' UTC' : '';
    const bare = text.trim().replace(/ *UTC$/, '');
    const keyword = KEYWORD_WORDS.get(bare);
    if (keyword !== undefined) return `${keyword}${suffix}`;
    if (event.year.length > 0 || event.month.length > 0 || event.day.length > 0) return text;
    const time = timeWords(event);
    if (time === null) return text;
    const days = weekdayWords(event.weekdays);
    if (days === '') return /^\d/.test(time) ? `daily ${time}${suffix}` : `${time}${suffix}`;
    return `${days} ${time}${suffix}`;
}
