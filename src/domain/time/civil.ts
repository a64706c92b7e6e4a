// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Proleptic Gregorian calendar arithmetic without time zones. A "wall" value is a local
 * date-time written as if it were UTC epoch seconds; zone code converts between wall values
 * and real epochs by adding or subtracting the zone's UTC offset.
 */

export const SECONDS_PER_DAY = 86_400;

/** A broken-down date-time; month 1–12, weekday 0 = Sunday … 6 = Saturday. */
export interface LocalDateTime {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    weekday: number;
}

/** Fields as C's `struct tm` accepts them: any may be out of range and is carried over. */
export interface LocalFields {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
}

export function isLeapYear(year: number): boolean {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
    if (month === 2) return isLeapYear(year) ? 29 : 28;
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of year-month-01 plus `day - 1` (month must be 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
    // Counting years from March puts the leap day at the end of the counted year.
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const monthFromMarch = (month + 9) % 12;
    const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
    const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const dayOfEra = z - era * 146_097;
    const yearOfEra = Math.floor(
        (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
    );
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
    const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Wall seconds of possibly out-of-range fields, carried over the way mktime/timegm do. */
export function wallFromFields(f: LocalFields): number {
    const monthIndex = f.month - 1;
    const year = f.year + Math.floor(monthIndex / 12);
    const month = monthIndex - Math.floor(monthIndex / 12) * 12 + 1;
    const days = daysFromCivil(year, month, 1) + f.day - 1;
    return days * SECONDS_PER_DAY + f.hour * 3600 + f.minute * 60 + f.second;
}

export function fieldsFromWall(wall: number): LocalDateTime {
    const days = Math.floor(wall / SECONDS_PER_DAY);
    let rest = wall - days * SECONDS_PER_DAY;
    const { year, month, day } = civilFromDays(days);
    const hour = Math.floor(rest / 3600);
    rest -= hour * 3600;
    const minute = Math.floor(rest / 60);
    // 1970-01-01 was a Thursday.
    const weekday = (((days + 4) % 7) + 7) % 7;
    return { year, month, day, hour, minute, second: rest - minute * 60, weekday };
}

function pad(n: number, width: number): string {
    const s = String(Math.abs(n)).padStart(width, '0');
    return n < 0 ? `-${s}` : s;
}

/** `YYYY-MM-DD HH:MM:SS` (or with `T` as separator). */
export function formatFields(f: LocalDateTime, separator = ' '): string {
    return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${separator}${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
}
