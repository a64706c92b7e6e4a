// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * proxmox-time's TmEditor: a broken-down time normalised after every change with timegm (UTC)
 * or mktime with tm_isdst = -1 (local). The next-event search depends on that normalisation:
 * a value past a field's end carries into the next unit (repetition overflow, §7.4a), a time in
 * a DST gap moves forward, and a repeated fall-back time takes the occurrence glibc's
 * remembered offset points at, which is why the cursor carries that offset along (§7.4).
 */

import { SECONDS_PER_DAY, civilFromDays, daysFromCivil } from '../time/civil.ts';
import type { Zone } from '../time/zone.ts';

export class TmCursor {
    year = 1970;
    month = 1;
    day = 1;
    hour = 0;
    minute = 0;
    second = 0;
    /** 0 = Sunday. */
    weekday = 4;
    epoch = 0;
    /** Set when a conversion returned -1, which libc reports as failure and PVE gives up on. */
    failed = false;
    private readonly zone: Zone | null;
    /** glibc's remembered offset for its next mktime guess; undefined = none yet. */
    private guess: number | undefined;
    private loadedDays = Number.NaN;

    /** `zone` null = evaluate in UTC (the event's `UTC` suffix). */
    constructor(zone: Zone | null, epoch: number, guess?: number) {
        this.zone = zone !== null && !zone.isUtc ? zone : null;
        this.guess = guess;
        this.load(epoch);
    }

    /** Increases the year and resets all smaller fields (TmEditor::add_years). */
    addYears(years: number): void {
        if (years !== 0) this.normalize(this.year + years, 1, 1, 0, 0, 0);
    }

    addMonths(months: number): void {
        if (months !== 0) this.normalize(this.year, this.month + months, 1, 0, 0, 0);
    }

    addDays(days: number): void {
        if (days !== 0) this.normalize(this.year, this.month, this.day + days, 0, 0, 0);
    }

    setTime(hour: number, minute: number, second: number): void {
        this.normalize(this.year, this.month, this.day, hour, minute, second);
    }

    setMinSec(minute: number, second: number): void {
        this.normalize(this.year, this.month, this.day, this.hour, minute, second);
    }

    setSec(second: number): void {
        this.normalize(this.year, this.month, this.day, this.hour, this.minute, second);
    }

    /** TmEditor::into_epoch converts once more; for an already normal time that is a no-op. */
    intoEpoch(): number {
        this.normalize(this.year, this.month, this.day, this.hour, this.minute, this.second);
        return this.epoch;
    }

    private normalize(year: number, month: number, day: number, hour: number, minute: number, second: number): void {
        const monthIndex = month - 1;
        const carry = Math.floor(monthIndex / 12);
        const days = daysFromCivil(year + carry, monthIndex - carry * 12 + 1, 1) + day - 1;
        const wall = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
        let epoch = wall;
        if (this.zone !== null) {
            epoch = this.zone.resolveEpoch(wall, this.guess);
            this.guess = wall - epoch;
        }
        if (epoch === -1) this.failed = true;
        this.load(epoch);
    }

    private load(epoch: number): void {
        const wall = this.zone === null ? epoch : epoch + this.zone.offsetAt(epoch);
        const days = Math.floor(wall / SECONDS_PER_DAY);
        let rest = wall - days * SECONDS_PER_DAY;
        if (days !== this.loadedDays) {
            const date = civilFromDays(days);
            this.loadedDays = days;
            this.year = date.year;
            this.month = date.month;
            this.day = date.day;
        }
        this.epoch = epoch;
        this.hour = Math.floor(rest / 3600);
        rest -= this.hour * 3600;
        this.minute = Math.floor(rest / 60);
        this.second = rest - this.minute * 60;
        this.weekday = (((days + 4) % 7) + 7) % 7;
    }
}
