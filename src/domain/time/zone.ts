// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One IANA time zone: UTC offsets from Intl (the only zone database a pure module can reach),
 * cached per UTC day because formatting one instant costs about 10 µs and the evaluator
 * converts millions of times, plus mktime-compatible conversion of local wall times.
 */

import { type LocalDateTime, SECONDS_PER_DAY, fieldsFromWall, wallFromFields } from './civil.ts';

/** A change of UTC offset: from `at` on, `offsetAfter` applies. Offsets in seconds east of UTC. */
export interface Transition {
    at: number;
    offsetBefore: number;
    offsetAfter: number;
}

/** Result of turning a wall time into an epoch the way C's mktime does. */
export interface Resolution {
    epoch: number;
    /** What glibc's mktime remembers as its next offset guess: wall − epoch. */
    guess: number;
}

/** Offsets over one UTC day; assumes at most one change per day, which holds for real zones. */
interface DayOffsets {
    offset: number;
    changeAt: number;
    after: number;
}

// Keeps a long-running daemon's memory bounded after scans over centuries.
const MAX_CACHED_DAYS = 100_000;

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/**
 * Periods in which tzdata (main format, as Debian ships it) marks the *lower* offset as DST
 * ("negative DST"). glibc's mktime prefers the DST reading of a time in a gap, so there a gap
 * time moves backward, onto the hour before the gap; PVE's search then never gets past it.
 */
const NEGATIVE_DST: ReadonlyMap<string, readonly [number, number]> = new Map([
    ['Europe/Dublin', [57_722_400, Number.POSITIVE_INFINITY]],
    ['Africa/Casablanca', [1_540_692_000, Number.POSITIVE_INFINITY]],
    ['Africa/El_Aaiun', [1_540_692_000, Number.POSITIVE_INFINITY]],
    ['Africa/Windhoek', [764_200_800, 1_508_796_000]],
] as const);

export class Zone {
    readonly name: string;
    readonly isUtc: boolean;
    private readonly format: Intl.DateTimeFormat;
    private readonly days = new Map<number, DayOffsets>();
    private readonly negativeDst: readonly [number, number] | undefined;
    // Most lookups hit the same day as the previous one.
    private lastDay = Number.NaN;
    private lastInfo: DayOffsets = { offset: 0, changeAt: Number.POSITIVE_INFINITY, after: 0 };
    /** Per wall day: the offset if none changes within two days of it, else null. */
    private readonly quiet = new Map<number, number | null>();
    private lastQuietDay = Number.NaN;
    private lastQuiet: number | null = null;

    constructor(name: string) {
        this.format = new Intl.DateTimeFormat('en-US', {
            timeZone: name,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        });
        this.name = name;
        const canonical = this.format.resolvedOptions().timeZone;
        this.isUtc = UTC_NAMES.has(canonical);
        this.negativeDst = NEGATIVE_DST.get(canonical);
    }

    /** UTC offset in seconds at an instant. */
    offsetAt(epoch: number): number {
        if (this.isUtc) return 0;
        const info = this.dayInfo(Math.floor(epoch / SECONDS_PER_DAY));
        return epoch < info.changeAt ? info.offset : info.after;
    }

    toLocal(epoch: number): LocalDateTime {
        return fieldsFromWall(epoch + this.offsetAt(epoch));
    }

    /**
     * The instant(s) at which clocks show `wall`: one normally, two in a repeated (fall-back)
     * hour, none in a skipped (spring-forward) gap. Ascending.
     */
    occurrences(wall: number): number[] {
        const steady = this.steadyOffset(wall);
        if (steady !== null) return [wall - steady];
        const before = this.offsetAt(wall - SECONDS_PER_DAY);
        const after = this.offsetAt(wall + SECONDS_PER_DAY);
        const out: number[] = [];
        for (const offset of before === after ? [before] : [before, after]) {
            const epoch = wall - offset;
            if (this.offsetAt(epoch) === offset) out.push(epoch);
        }
        return out.sort((a, b) => a - b);
    }

    /**
     * mktime with tm_isdst = -1. A wall time in a gap moves forward by the gap's size (glibc
     * prefers the DST reading, which is the forward one for ordinary DST, the backward one for
     * negative DST). A repeated wall time takes the occurrence whose offset equals `guess`
     * (glibc reuses the offset of its previous call); without a matching guess the later,
     * standard-time occurrence (pve-platform §7.4).
     */
    resolve(wall: number, guess?: number): Resolution {
        const epoch = this.resolveEpoch(wall, guess);
        return { epoch, guess: wall - epoch };
    }

    /** resolve() without allocating, for the next-event search's hot loop. */
    resolveEpoch(wall: number, guess?: number): number {
        if (this.isUtc) return wall;
        const steady = this.steadyOffset(wall);
        if (steady !== null) return wall - steady;
        const before = this.offsetAt(wall - SECONDS_PER_DAY);
        const after = this.offsetAt(wall + SECONDS_PER_DAY);
        const early = wall - before;
        const earlyOk = this.offsetAt(early) === before;
        let epoch: number;
        if (before === after) {
            epoch = earlyOk ? early : this.iterate(wall, guess ?? before, before);
        } else {
            const late = wall - after;
            const lateOk = this.offsetAt(late) === after;
            if (earlyOk && lateOk) {
                // Repeated wall time: the earlier instant carries the earlier offset.
                const [first, second] = early < late ? [early, late] : [late, early];
                epoch = guess !== undefined && wall - first === guess ? first : second;
            } else if (earlyOk || lateOk) {
                epoch = earlyOk ? early : late;
            } else {
                epoch = this.gapGoesBack(early) ? late : early;
            }
        }
        return epoch;
    }

    /** The offset around a wall time when no change is near, so the wall time is unique. */
    private steadyOffset(wall: number): number | null {
        const day = Math.floor(wall / SECONDS_PER_DAY);
        if (day === this.lastQuietDay) return this.lastQuiet;
        let steady = this.quiet.get(day);
        if (steady === undefined) {
            steady = this.dayInfo(day - 2).offset;
            for (let d = day - 2; d <= day + 2 && steady !== null; d++) {
                const info = this.dayInfo(d);
                if (info.changeAt !== Number.POSITIVE_INFINITY || info.offset !== steady) steady = null;
            }
            if (this.quiet.size >= MAX_CACHED_DAYS) this.quiet.clear();
            this.quiet.set(day, steady);
        }
        this.lastQuietDay = day;
        this.lastQuiet = steady;
        return steady;
    }

    /** Changes of offset in (fromExclusive, toInclusive], ascending. */
    transitionsBetween(fromExclusive: number, toInclusive: number): Transition[] {
        const out: Transition[] = [];
        if (this.isUtc || toInclusive <= fromExclusive) return out;
        const last = Math.floor(toInclusive / SECONDS_PER_DAY);
        for (let day = Math.floor(fromExclusive / SECONDS_PER_DAY); day <= last; day++) {
            const info = this.dayInfo(day);
            if (info.changeAt === Number.POSITIVE_INFINITY) continue;
            if (info.changeAt > fromExclusive && info.changeAt <= toInclusive) {
                out.push({ at: info.changeAt, offsetBefore: info.offset, offsetAfter: info.after });
            }
        }
        return out;
    }

    private dayInfo(day: number): DayOffsets {
        if (day === this.lastDay) return this.lastInfo;
        let info = this.days.get(day);
        if (info === undefined) {
            info = this.scanDay(day);
            if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
            this.days.set(day, info);
        }
        this.lastDay = day;
        this.lastInfo = info;
        return info;
    }

    private scanDay(day: number): DayOffsets {
        const start = day * SECONDS_PER_DAY;
        const end = start + SECONDS_PER_DAY - 1;
        const offset = this.rawOffset(start);
        const after = this.rawOffset(end);
        if (offset === after) return { offset, changeAt: Number.POSITIVE_INFINITY, after };
        let lo = start;
        let hi = end;
        while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (this.rawOffset(mid) === offset) lo = mid;
            else hi = mid;
        }
        return { offset, changeAt: hi, after };
    }

    private gapGoesBack(instant: number): boolean {
        const period = this.negativeDst;
        return period !== undefined && instant >= period[0] && instant < period[1];
    }

    /** Zones whose offset changes twice within two days: follow glibc's fixed-point probing. */
    private iterate(wall: number, guess: number, fallback: number): number {
        let epoch = wall - guess;
        for (let i = 0; i < 8; i++) {
            const next = wall - this.offsetAt(epoch);
            if (next === epoch) return epoch;
            epoch = next;
        }
        return wall - fallback;
    }

    private rawOffset(epoch: number): number {
        let year = 0;
        let month = 1;
        let day = 1;
        let hour = 0;
        let minute = 0;
        let second = 0;
        let bc = false;
        for (const part of this.format.formatToParts(new Date(epoch * 1000))) {
            switch (part.type) {
                case 'year':
                    year = Number(part.value);
                    break;
                case 'month':
                    month = Number(part.value);
                    break;
                case 'day':
                    day = Number(part.value);
                    break;
                case 'hour':
                    hour = Number(part.value);
                    break;
                case 'minute':
                    minute = Number(part.value);
                    break;
                case 'second':
                    second = Number(part.value);
                    break;
                case 'era':
                    bc = part.value === 'BC' || part.value === 'B';
                    break;
                default:
                    break;
            }
        }
        if (bc) year = 1 - year;
        return wallFromFields({ year, month, day, hour, minute, second }) - epoch;
    }
}
