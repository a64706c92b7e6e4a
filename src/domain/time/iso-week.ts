// SPDX-License-Identifier: AGPL-3.0-or-later
/** ISO 8601 week number and week-year of a calendar date (weeks start Monday; week 1 holds Jan 4). */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
    // Work in UTC days so no time zone can shift the date.
    const date = Date.UTC(year, month - 1, day);
    const dow = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
    const thursday = date + (3 - dow) * 86400000;
    const wy = new Date(thursday).getUTCFullYear();
    const jan4 = Date.UTC(wy, 0, 4);
    const jan4dow = (new Date(jan4).getUTCDay() + 6) % 7;
    const week1Monday = jan4 - jan4dow * 86400000;
    return { year: wy, week: Math.floor((thursday - week1Monday) / (7 * 86400000)) + 1 };
}
