// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `schedule`: prints the next runs of a PVE calendar event, computed like PVE's scheduler.
 * The output format is a contract (external checks compare it): one RFC 3339 UTC time with
 * `Z` and second precision per line; exit 2 for any invalid input.
 */

import { parseArgs } from 'node:util';
import { daysFromCivil, daysInMonth, fieldsFromWall, formatFields } from '../../domain/time/civil.ts';
import { isValidTimeZone } from '../../domain/time/zoned.ts';
import { CalendarEventError, nextEvents, parseCalendarEvent } from '../../domain/schedule/index.ts';
import type { CalendarEvent } from '../../domain/schedule/index.ts';
import type { CliCommand, CliContext } from '../command.ts';

const MAX_COUNT = 100_000;

const USAGE = `Usage: pve-backup-health schedule '<calendar event>' [--from <time>] [--count <n>] [--timezone <zone>]

Prints the next runs of a PVE calendar event (the \`schedule\` of a backup job) strictly after
--from, one per line, as RFC 3339 UTC times. Computed like PVE's scheduler, including its DST
and repetition quirks.

Options:
  --from <time>      RFC 3339 time with offset, e.g. 2026-11-21T09:00:00Z or
                     2025-03-29T00:00:00+01:00 (default: now)
  --count <n>        number of runs, 1-${MAX_COUNT} (default: 10); fewer lines when fewer runs exist
  --timezone <zone>  IANA time zone the schedule fires in, i.e. the node's (default: UTC);
                     an event ending in UTC is always evaluated in UTC

Exit status: 0 on success, 2 on an invalid event, time, count or time zone.
`;

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

function fail(ctx: CliContext, message: string, withUsage = false): number {
    ctx.err(`pve-backup-health schedule: ${message}\n${withUsage ? `\n${USAGE}` : ''}`);
    return 2;
}

async function run(ctx: CliContext): Promise<number> {
    let parsed: ReturnType<typeof parseOptions>;
    try {
        parsed = parseOptions(ctx.args);
    } catch (e) {
        return fail(ctx, e instanceof Error ? e.message : String(e), true);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) {
        return fail(ctx, `expected one calendar event argument (quote it), got ${positionals.length}`, true);
    }
    const text = positionals[0] as string;
    let event: CalendarEvent;
    try {
        event = parseCalendarEvent(text);
    } catch (e) {
        if (e instanceof CalendarEventError) return fail(ctx, `invalid calendar event '${text}' - ${e.message}`);
        throw e;
    }
    let from = ctx.now();
    if (values.from !== undefined) {
        const epoch = parseRfc3339(values.from);
        if (epoch === null) return fail(ctx, `invalid --from '${values.from}': expected RFC 3339, e.g. 2026-11-21T09:00:00Z`);
        from = epoch;
    }
    let count = 10;
    if (values.count !== undefined) {
        count = /^\d+$/.test(values.count) ? Number(values.count) : Number.NaN;
        if (!(count >= 1 && count <= MAX_COUNT)) {
            return fail(ctx, `invalid --count '${values.count}': expected a whole number from 1 to ${MAX_COUNT}`);
        }
    }
    const timeZone = values.timezone ?? 'UTC';
    if (!isValidTimeZone(timeZone)) return fail(ctx, `unknown time zone '${timeZone}' (expected an IANA name such as Europe/Vienna)`);
    const runs = nextEvents(event, Math.floor(from), count, timeZone);
    if (runs.length > 0) ctx.out(`${runs.map(formatRfc3339Utc).join('\n')}\n`);
    return 0;
}

function parseOptions(args: string[]) {
    return parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
            from: { type: 'string' },
            count: { type: 'string' },
            timezone: { type: 'string' },
        },
    });
}

export const scheduleCommand: CliCommand = {
    name: 'schedule',
    summary: 'Print the next runs of a PVE calendar event (schedule)',
    usage: USAGE,
    run,
};
