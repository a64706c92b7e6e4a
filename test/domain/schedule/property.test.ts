// SPDX-License-Identifier: AGPL-3.0-or-later
// Properties over arbitrary input: the parser fails only with CalendarEventError, and the
// run sequence moves strictly forward and agrees across the API.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventsBetween, nextEvent, nextEvents, previousEvent } from '../../../src/domain/schedule/next.ts';
import { CalendarEventError, parseCalendarEvent, tryParseCalendarEvent } from '../../../src/domain/schedule/parse.ts';

const TOKENS = [
    '0',
    '1',
    '2',
    '5',
    '7',
    '12',
    '15',
    '23',
    '24',
    '25',
    '30',
    '31',
    '59',
    '60',
    '61',
    '2025',
    '2200',
    '00',
    '*',
    '/',
    '..',
    '.',
    ',',
    ':',
    '-',
    ' ',
    '  ',
    '\t',
    'mon',
    'Fri',
    'sunday',
    'SAT',
    'daily',
    'weekly',
    'semi-annually',
    'UTC',
    'utc',
    '~',
    '@',
    'x',
];

/** Strings built from the grammar's pieces reach far deeper than random characters. */
const grammarish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 20, unit: 'binary' }), grammarish);
const ZONES = ['UTC', 'Europe/Vienna', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const instant = fc.integer({ min: 0, max: 2_200_000_000 });

const accepted = grammarish.filter((t) => tryParseCalendarEvent(t).ok);

describe('parser robustness', () => {
    it('throws nothing but CalendarEventError, and tryParse never throws', () => {
        fc.assert(
            fc.property(anyText, (text) => {
                try {
                    parseCalendarEvent(text);
                } catch (e) {
                    expect(e).toBeInstanceOf(CalendarEventError);
                    expect((e as Error).message.length).toBeGreaterThan(0);
                }
                const r = tryParseCalendarEvent(text);
                expect(typeof r.ok).toBe('boolean');
            }),
            { numRuns: 10_000 },
        );
    });
    it('ignores surrounding whitespace like PVE', () => {
        fc.assert(
            fc.property(grammarish, fc.constantFrom(' ', '\t', ' \n '), (text, ws) => {
                const a = tryParseCalendarEvent(text);
                const b = tryParseCalendarEvent(`${ws}${text}${ws}`);
                expect(b).toEqual(a);
            }),
            { numRuns: 5000 },
        );
    });
    it('accepts a fair share of grammar-built strings (the generator is useful)', () => {
        const texts = fc.sample(grammarish, { numRuns: 5000, seed: 1 });
        expect(texts.filter((t) => tryParseCalendarEvent(t).ok).length).toBeGreaterThan(250);
    });
});

describe('run sequence', () => {
    it('nextEvent is strictly after its start and chains strictly increase', () => {
        fc.assert(
            fc.property(accepted, instant, fc.constantFrom(...ZONES), (text, from, tz) => {
                const event = parseCalendarEvent(text);
                const runs = nextEvents(event, from, 6, tz);
                let last = from;
                for (const r of runs) {
                    expect(r).toBeGreaterThan(last);
                    expect(Number.isInteger(r)).toBe(true);
                    last = r;
                }
                const first = nextEvent(event, from, tz);
                expect(first).toBe(runs[0] ?? null);
            }),
            { numRuns: 1500 },
        );
    });
    it('eventsBetween is the chain cut at the window end, previousEvent its last element', () => {
        fc.assert(
            fc.property(accepted, instant, fc.integer({ min: 1, max: 3 * 86_400 }), fc.constantFrom(...ZONES), (text, from, span, tz) => {
                const event = parseCalendarEvent(text);
                const inWindow = eventsBetween(event, from, from + span, tz, 500);
                const chain = nextEvents(event, from, inWindow.length + 1, tz);
                expect(inWindow).toEqual(chain.filter((e) => e <= from + span).slice(0, 500));
                if (inWindow.length > 1 && inWindow.length < 500) {
                    const last = inWindow[inWindow.length - 1] as number;
                    expect(previousEvent(event, last + 1, tz)).toBe(last);
                }
            }),
            { numRuns: 600 },
        );
    });
});
