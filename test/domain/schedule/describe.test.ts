// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../../src/domain/schedule/describe.ts';

describe('describeSchedule', () => {
    it.each([
        ['02:00', 'daily 02:00'],
        ['21:00', 'daily 21:00'],
        ['2:5', 'daily 02:05'],
        ['2,22:30', 'daily 02:30, 22:30'],
        ['sun 01:00', 'Sun 01:00'],
        ['mon..fri 22:00', 'Mon–Fri 22:00'],
        ['MON..FRI 22:00', 'Mon–Fri 22:00'],
        ['fri..mon 03:00', 'Fri–Mon 03:00'],
        ['sat,sun 3:15', 'Sat, Sun 03:15'],
        ['mon,wed,fri 23:30', 'Mon, Wed, Fri 23:30'],
        ['sun..sat 04:00', 'daily 04:00'],
        ['sat', 'Sat 00:00'],
        ['*/30', 'every 30 min'],
        ['*/15', 'every 15 min'],
        ['*/2:00', 'every 2 h'],
        ['*/6:30', 'every 6 h at :30'],
        ['*/1:00', 'hourly'],
        ['mon..fri */1:00', 'Mon–Fri hourly'],
        ['mon..fri */30', 'Mon–Fri every 30 min'],
        ['*:00', 'hourly'],
        ['mon..fri 22', 'Mon–Fri hourly at :22'],
        ['25:00', 'hourly at :25'],
        ['monthly', 'monthly (1st, 00:00)'],
        ['weekly', 'weekly (Mon, 00:00)'],
        ['daily', 'daily 00:00'],
        ['hourly', 'hourly'],
        ['minutely', 'every minute'],
        ['yearly', 'yearly (1 Jan, 00:00)'],
        ['annually', 'yearly (1 Jan, 00:00)'],
        ['quarterly', 'quarterly (1st, 00:00)'],
        ['semi-annually', 'semi-annually (1 Jan/1 Jul, 00:00)'],
        ['02:00 UTC', 'daily 02:00 UTC'],
        ['daily UTC', 'daily 00:00 UTC'],
        [' 02:00 ', 'daily 02:00'],
    ])('%j → %s', (text, words) => {
        expect(describeSchedule(text)).toBe(words);
    });

    it.each(['*/45', '*/7', '*/5:00', 'sat *-1..7 15:00', '2025-12-24', '*:*:*', '1,2,3,4,5:0,30', '0 2 * * *', '', 'mon..fri 7..18:00/15'])(
        'keeps %j as it is',
        (text) => {
            expect(describeSchedule(text)).toBe(text);
        },
    );
});
