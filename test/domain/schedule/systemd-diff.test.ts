// SPDX-License-Identifier: AGPL-3.0-or-later
// Differential test against systemd's calendar implementation: random expressions from the
// PVE grammar, translated to systemd syntax, evaluated in UTC by `systemd-analyze calendar`.
// Left out where systemd means something else (pve-platform.md §7.3/§7.4a): repetitions that
// overflow a field so that proxmox-time skips matches, years from 2200 on, DST (UTC only).
// Wrap-around weekday ranges are expanded to lists, colon-less minutes become `*:MM:00`.
import { describe, expect, it } from 'vitest';
import { nextEvents } from '../../../src/domain/schedule/next.ts';
import { parseCalendarEvent } from '../../../src/domain/schedule/parse.ts';
import { EventGenerator, type GeneratedEvent, prng } from './helpers/generate.ts';
import { haveSystemdAnalyze, systemdNext } from './helpers/systemd.ts';

const BATCHES = 10;
const PER_BATCH = 500;
const ITERATIONS = 8;
/** systemd's calendar ends with 2199. */
const YEAR_2200 = 7_258_118_400;

function iso(epoch: number): string {
    return new Date(epoch * 1000).toISOString().slice(0, 19);
}

describe.skipIf(!haveSystemdAnalyze())('next events against systemd-analyze calendar', () => {
    it(`agrees on ${BATCHES * PER_BATCH} random expressions × ${ITERATIONS} runs`, () => {
        const gen = new EventGenerator(1234);
        const rnd = prng(99);
        const mismatches: string[] = [];
        let compared = 0;
        let skipped = 0;
        for (let b = 0; b < BATCHES; b++) {
            // Base times from 1970 to 2039, on odd seconds, so "strictly after" matters too.
            const base = Math.floor(rnd() * 2_200_000_000);
            const batch: GeneratedEvent[] = [];
            while (batch.length < PER_BATCH) {
                const g = gen.next();
                if (g.systemd === null) skipped++;
                else batch.push(g);
            }
            const theirs = systemdNext(
                batch.map((g) => g.systemd as string),
                base,
                ITERATIONS,
            );
            batch.forEach((g, i) => {
                const expected = theirs[i];
                if (expected == null) {
                    mismatches.push(`systemd rejected '${g.systemd}' (from '${g.text}')`);
                    return;
                }
                const got = nextEvents(parseCalendarEvent(g.text), base, ITERATIONS, 'UTC').filter((e) => e < YEAR_2200);
                compared++;
                if (got.join() !== expected.join()) {
                    mismatches.push(`'${g.text}' ≙ '${g.systemd}' after ${iso(base)}: got ${got.map(iso)} systemd ${expected.map(iso)}`);
                }
            });
        }
        expect(mismatches.slice(0, 10)).toEqual([]);
        expect(compared).toBe(BATCHES * PER_BATCH);
        // The overflow filter must leave most expressions in.
        expect(skipped).toBeLessThan(compared);
    });

    it('the parser builds what the generator meant for every generated expression', () => {
        const gen = new EventGenerator(77);
        for (let i = 0; i < 5000; i++) {
            const g = gen.next();
            expect(parseCalendarEvent(g.text), g.text).toEqual(g.event);
        }
    });
});
