// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `schedule`: prints the next runs of a PVE calendar event, computed like PVE's scheduler.
 * The output format is a contract (external checks compare it): one RFC 3339 UTC time with
 * `Z` and second precision per line; exit 2 for any invalid input.
 */

import { parseArgs } from 'node:util';
import { formatRfc3339Utc, parseRfc3339 } from '../../domain/time/rfc3339.ts';
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
