// SPDX-License-Identifier: AGPL-3.0-or-later
/** RFC 3339 times as the CLI contracts and the JSON report write them: UTC, `Z`, second precision. */

import { daysFromCivil, daysInMonth, fieldsFromWall, formatFields } from './civil.ts';

/** RFC 3339 date-time with a mandatory offset to epoch seconds (fractions dropped); null if invalid. */
export function parseRfc3339(text: string): number | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
    if (!m) return null;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    // RFC 3339 allows a leap second (:60); it counts as the following second, like timegm.
    if (hour > 23 || minute > 59 || second > 60) return null;
    let offset = 0;
    if (m[7] === undefined) {
        const offHours = Number(m[9]);
        const offMinutes = Number(m[10]);
        if (offHours > 23 || offMinutes > 59) return null;
        offset = (m[8] === '-' ? -1 : 1) * (offHours * 3600 + offMinutes * 60);
    }
    return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
}

export function formatRfc3339Utc(epochSec: number): string {
    return `${formatFields(fieldsFromWall(epochSec), 'T')}Z`;
}
