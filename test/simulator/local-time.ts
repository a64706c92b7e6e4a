// SPDX-License-Identifier: AGPL-3.0-or-later
/** Wall-clock formatting in a node's time zone, as vzdump prints it. */

export interface LocalTime {
    /** `YYYY-MM-DD HH:MM:SS` in `tz` (vzdump's `Backup started at`). */
    stamp(epoch: number, tz: string): string;
    /** `YYYY_MM_DD-HH_MM_SS` in `tz` (vzdump archive names). */
    fileStamp(epoch: number, tz: string): string;
    /** Seconds east of UTC at `epoch`. */
    offset(epoch: number, tz: string): number;
}

export function createLocalTime(): LocalTime {
    const formats = new Map<string, Intl.DateTimeFormat>();
    // Offsets change only at DST transitions (whole quarter hours); cache them per quarter hour.
    const offsets = new Map<string, number>();
    const exactOffset = (epoch: number, tz: string): number => {
        let f = formats.get(tz);
        if (!f) {
            f = new Intl.DateTimeFormat('en-US', {
                timeZone: tz,
                hourCycle: 'h23',
                year: 'numeric',
                month: '2-digit',
                day: '2-digit',
                hour: '2-digit',
                minute: '2-digit',
                second: '2-digit',
            });
            formats.set(tz, f);
        }
        const p: Record<string, string> = {};
        for (const x of f.formatToParts(new Date(epoch * 1000))) p[x.type] = x.value;
        const [y, mo, d, h, mi, s] = [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number) as [number, number, number, number, number, number];
        return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - epoch;
    };
    const offset = (epoch: number, tz: string): number => {
        const key = `${tz}|${Math.floor(epoch / 900)}`;
        let o = offsets.get(key);
        if (o === undefined) {
            o = exactOffset(epoch, tz);
            offsets.set(key, o);
        }
        return o;
    };
    const parts = (epoch: number, tz: string): string[] => {
        const d = new Date((epoch + offset(epoch, tz)) * 1000);
        const p2 = (n: number) => String(n).padStart(2, '0');
        return [String(d.getUTCFullYear()), p2(d.getUTCMonth() + 1), p2(d.getUTCDate()), p2(d.getUTCHours()), p2(d.getUTCMinutes()), p2(d.getUTCSeconds())];
    };
    return {
        stamp(epoch, tz) {
            const [y, mo, d, h, mi, s] = parts(epoch, tz);
            return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
        },
        fileStamp(epoch, tz) {
            const [y, mo, d, h, mi, s] = parts(epoch, tz);
            return `${y}_${mo}_${d}-${h}_${mi}_${s}`;
        },
        offset,
    };
}

/** `2025-01-05T02:00:04Z` (PBS snapshot names). */
export function isoUtc(epoch: number): string {
    return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Perl's scalar gmtime: `Sat Jan  4 02:00:00 2025` (schedule-analyze's `utc`). */
export function perlGmtime(epoch: number): string {
    const d = new Date(epoch * 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const day = String(d.getUTCDate()).padStart(2, ' ');
    const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${time} ${d.getUTCFullYear()}`;
}

export function hex8(n: number): string {
    return (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
