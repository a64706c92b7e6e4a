// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * vzdump's log times (`YYYY-MM-DD HH:MM:SS`, node-local) as plain numbers: the seconds they would
 * be if they were UTC. A number costs 8 bytes in a column where the string cost 40, and reading
 * it back needs no regular expression.
 */

import { fieldsFromWall } from './civil.ts';

const digit = (text: string, i: number): number => {
    const d = text.charCodeAt(i) - 48;
    return d >= 0 && d <= 9 ? d : Number.NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/** `YYYY-MM-DD HH:MM:SS` read as if UTC (fields carried over like Date.UTC); NaN when not that shape. */
export function wallSeconds(text: string): number {
    if (text.length !== 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
    const year = two(text, 0) * 100 + two(text, 2);
    return Date.UTC(year, two(text, 5) - 1, two(text, 8), two(text, 11), two(text, 14), two(text, 17)) / 1000;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The text `wallSeconds` reads as `seconds` (years 1000–9999), by civil-date arithmetic instead of
 * a Date: the collector's tables turn times back into text whenever a result is read.
 */
export function formatWall(seconds: number): string {
    const f = fieldsFromWall(seconds);
    return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/** `text` as wall seconds when it reads back to exactly the same text (else NaN: keep the text). */
export function exactWallSeconds(text: string): number {
    const w = wallSeconds(text);
    return Number.isInteger(w) && formatWall(w) === text ? w : Number.NaN;
}
