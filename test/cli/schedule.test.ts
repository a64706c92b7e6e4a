// SPDX-License-Identifier: AGPL-3.0-or-later
// The `schedule` command's output contract: RFC 3339 UTC lines, exit 2 for bad input.
import { describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../src/cli/commands/schedule.ts';
import { formatRfc3339Utc, parseRfc3339 } from '../../src/domain/time/rfc3339.ts';

const NOW = Date.UTC(2026, 10, 21, 9, 0, 0) / 1000;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await scheduleCommand.run({
        args,
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env: {},
        now: () => NOW,
    });
    return { code, out, err };
}

describe('schedule command', () => {
    it('prints the next N runs strictly after --from, one RFC 3339 UTC time per line', async () => {
        const r = await run('sat 02:00', '--from', '2026-11-21T09:00:00Z', '--count', '3');
        expect(r).toEqual({ code: 0, out: '2026-11-28T02:00:00Z\n2026-12-05T02:00:00Z\n2026-12-12T02:00:00Z\n', err: '' });
    });
    it('excludes --from itself', async () => {
        const r = await run('*/30', '--from', '2026-11-21T09:00:00Z', '--count', '2');
        expect(r.out).toBe('2026-11-21T09:30:00Z\n2026-11-21T10:00:00Z\n');
    });
    it('defaults to 10 runs from now in UTC', async () => {
        const r = await run('hourly');
        const lines = r.out.trimEnd().split('\n');
        expect(r.code).toBe(0);
        expect(lines).toHaveLength(10);
        expect(lines[0]).toBe('2026-11-21T10:00:00Z');
        expect(lines[9]).toBe('2026-11-21T19:00:00Z');
    });
    it('evaluates in --timezone, with DST, unless the event ends in UTC', async () => {
        const vienna = await run('2:30', '--from', '2025-03-29T00:00:00+01:00', '--count', '3', '--timezone', 'Europe/Vienna');
        expect(vienna.out).toBe('2025-03-29T01:30:00Z\n2025-03-31T00:30:00Z\n2025-04-01T00:30:00Z\n');
        const utc = await run('2:30 UTC', '--from', '2025-03-29T00:00:00+01:00', '--count', '1', '--timezone', 'Europe/Vienna');
        expect(utc.out).toBe('2025-03-29T02:30:00Z\n');
    });
    it('accepts --opt=value and options before the event', async () => {
        const r = await run('--count=2', '--from=2026-01-01T00:00:00Z', 'monthly');
        expect(r.out).toBe('2026-02-01T00:00:00Z\n2026-03-01T00:00:00Z\n');
    });
    it('prints fewer lines when the schedule ends, none when it never fires', async () => {
        expect((await run('2026-12-24', '--from', '2026-11-21T09:00:00Z', '--count', '5')).out).toBe('2026-12-24T00:00:00Z\n');
        expect(await run('02-30', '--from', '2026-11-21T09:00:00Z')).toEqual({ code: 0, out: '', err: '' });
    });
    it.each([
        [['0 2 * * *'], "invalid calendar event '0 2 * * *' - unable to parse calendar event at ' 2 * * *'"],
        [['61'], "invalid calendar event '61' - value '61' out of range"],
        [['   '], 'event is empty'],
        [['daily', '--from', 'yesterday'], "invalid --from 'yesterday'"],
        [['daily', '--from', '2026-11-21T09:00:00'], 'invalid --from'],
        [['daily', '--from', '2026-02-30T09:00:00Z'], 'invalid --from'],
        [['daily', '--count', '0'], "invalid --count '0'"],
        [['daily', '--count', '-3'], '--count'],
        [['daily', '--count', '2.5'], 'invalid --count'],
        [['daily', '--count', 'many'], 'invalid --count'],
        [['daily', '--timezone', 'Mars/Olympus'], "unknown time zone 'Mars/Olympus'"],
        [['daily', '--bogus'], "Unknown option '--bogus'"],
        [[], 'expected one calendar event argument'],
        [['mon..fri', '22:00'], 'expected one calendar event argument (quote it), got 2'],
    ])('exits 2 with a message on stderr for %j', async (args, message) => {
        const r = await run(...args);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toContain(message);
        expect(r.err.startsWith('pve-backup-health schedule: ')).toBe(true);
    });
    it('names itself and documents the contract', () => {
        expect(scheduleCommand.name).toBe('schedule');
        expect(scheduleCommand.usage).toContain('--timezone');
    });
});

describe('RFC 3339 helpers', () => {
    it('parse any offset, fractions and a leap second', () => {
        expect(parseRfc3339('2025-03-29T00:00:00+01:00')).toBe(Date.UTC(2025, 2, 28, 23) / 1000);
        expect(parseRfc3339('2025-03-29T00:00:00-05:30')).toBe(Date.UTC(2025, 2, 29, 5, 30) / 1000);
        expect(parseRfc3339('2025-03-29t00:00:00.999z')).toBe(Date.UTC(2025, 2, 29) / 1000);
        expect(parseRfc3339('2025-03-29 00:00:00Z')).toBe(Date.UTC(2025, 2, 29) / 1000);
        expect(parseRfc3339('2016-12-31T23:59:60Z')).toBe(Date.UTC(2017, 0, 1) / 1000);
        for (const bad of ['2025-03-29', '2025-03-29T24:00:00Z', '2025-03-29T00:00:00+24:00', '2025-3-29T00:00:00Z', '']) {
            expect(parseRfc3339(bad)).toBeNull();
        }
    });
    it('format with Z and second precision', () => {
        expect(formatRfc3339Utc(0)).toBe('1970-01-01T00:00:00Z');
        expect(formatRfc3339Utc(Date.UTC(2026, 10, 28, 2) / 1000)).toBe('2026-11-28T02:00:00Z');
        expect(formatRfc3339Utc(-1)).toBe('1969-12-31T23:59:59Z');
    });
});
