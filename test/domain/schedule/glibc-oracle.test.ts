// SPDX-License-Identifier: AGPL-3.0-or-later
// Differential test of the time-zone emulation: the same search as proxmox-time, written in C
// on the real glibc mktime (helpers/glibc-oracle.c), around thousands of DST changes in zones
// with ordinary, southern-hemisphere, 30-minute, negative and date-line changes. Each query
// seeds glibc's remembered offset first, and the engine gets the same seed as `guess`.
// Not covered on purpose: gaps where both sides have the same DST flag (changes of standard
// offset such as Moscow 2011 or Samoa skipping 2011-12-30); glibc resolves those by its seed
// and may step backward, which Intl cannot tell apart from DST. The engine moves forward.
// Changes up to 2025 only: Node's ICU and the system's tzdata may differ on predicted rules.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeNext } from '../../../src/domain/schedule/next.ts';
import { parseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { formatLocal, isAmbiguousLocalTime, transitionsBetween, zoneFor } from '../../../src/domain/time/zoned.ts';
import { EventGenerator, prng } from './helpers/generate.ts';
import { type OracleQuery, buildOracle, findCompiler, runOracle } from './helpers/oracle.ts';

const ZONES = [
    'Europe/Vienna',
    'America/New_York',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Pacific/Chatham',
    'America/St_Johns',
    'Europe/London',
    'Asia/Tehran',
    'America/Havana',
    'Europe/Dublin',
    'Africa/Casablanca',
    'Pacific/Auckland',
    'Asia/Jerusalem',
    'America/Sao_Paulo',
];
const PER_ZONE = 300;
const cc = findCompiler();

/** Schedules aimed at the local hour of a change, where DST handling decides the result. */
function aimed(rnd: () => number, hour: number): string {
    const minute = Math.floor(rnd() * 60);
    const forms = [
        `${hour}:${minute}`,
        `${Math.max(hour - 1, 0)}..${Math.min(hour + 1, 23)}:*/15`,
        `${hour}:*/20`,
        'hourly',
        `*/${[5, 7, 10, 20, 25, 45][Math.floor(rnd() * 6)]}`,
        `${hour}:${minute}:*/10`,
        `${hour},${(hour + 1) % 24}:0/30`,
        `sun ${hour}:${minute}`,
    ];
    return forms[Math.floor(rnd() * forms.length)] as string;
}

function buildQueries(): { queries: OracleQuery[]; texts: string[] } {
    const gen = new EventGenerator(2025);
    const rnd = prng(7);
    const queries: OracleQuery[] = [];
    const texts: string[] = [];
    for (const timeZone of ZONES) {
        const zone = zoneFor(timeZone);
        const changes = transitionsBetween(Date.UTC(2005, 0, 1) / 1000, Date.UTC(2026, 0, 1) / 1000, timeZone);
        for (let i = 0; i < PER_ZONE; i++) {
            const at = changes.length > 0 ? (changes[Math.floor(rnd() * changes.length)]?.at as number) : 1_735_689_600;
            const wallHour = Math.floor((((at + zone.offsetAt(at - 86_400)) % 86_400) + 86_400) % 86_400 / 3600);
            const text = i % 2 === 0 ? aimed(rnd, wallHour) : gen.next().text;
            const event = parseCalendarEvent(rnd() < 0.1 ? `${text} UTC` : text);
            const last = at + Math.floor((rnd() - 0.7) * 3 * 86_400);
            let seed = last + Math.floor((rnd() - 0.5) * 400 * 86_400);
            // A repeated local time would make the seed itself depend on glibc's state.
            if (isAmbiguousLocalTime(seed, timeZone)) seed += 7200;
            queries.push({ timeZone, last, seed, event });
            texts.push(text);
        }
    }
    return { queries, texts };
}

describe.skipIf(cc === null)('next events against glibc mktime (C oracle)', () => {
    let binary = '';
    beforeAll(() => {
        binary = buildOracle(cc as string);
    });
    afterAll(() => {
        if (binary !== '') rmSync(dirname(binary), { recursive: true, force: true });
    });

    it(`agrees on ${ZONES.length * PER_ZONE} searches around DST changes`, () => {
        const { queries, texts } = buildQueries();
        const expected = runOracle(binary, queries);
        const mismatches: string[] = [];
        queries.forEach((q, i) => {
            const zone = q.event.utc ? null : zoneFor(q.timeZone);
            const got = computeNext(q.event, q.last, zone, zoneFor(q.timeZone).offsetAt(q.seed));
            if (got !== expected[i]) {
                const show = (e: number | null | undefined) => (e == null ? 'none' : formatLocal(e, q.timeZone));
                mismatches.push(`${q.timeZone} '${texts[i]}' after ${show(q.last)}: got ${show(got)}, glibc ${show(expected[i])}`);
            }
        });
        expect(mismatches.slice(0, 10)).toEqual([]);
    });

    it('reproduces that PVE on a Dublin host finds no next run for 1:30 before the spring change', () => {
        const q: OracleQuery = {
            timeZone: 'Europe/Dublin',
            last: Date.UTC(2025, 2, 29, 12) / 1000,
            seed: Date.UTC(2025, 0, 10, 12) / 1000,
            event: parseCalendarEvent('1:30'),
        };
        expect(runOracle(binary, [q])).toEqual([null]);
        expect(computeNext(q.event, q.last, zoneFor(q.timeZone))).toBeNull();
    });
});
