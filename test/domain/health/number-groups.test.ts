// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { NumberGroups } from '../../../src/domain/health/number-groups.ts';
import { createPrng } from '../../simulator/prng.ts';

describe('NumberGroups', () => {
    it('keeps each key’s values in the order given, keys in first-seen order', () => {
        const pairs: Array<[number, number]> = [[7, 1], [3, 2], [7, 3], [9, 2 ** 32 - 1], [3, 0], [7, 4]];
        const g = new NumberGroups((add) => {
            for (const [k, v] of pairs) add(k, v);
        });
        expect([...g.keys()]).toEqual([7, 3, 9]);
        expect([...g.of(7)]).toEqual([1, 3, 4]);
        expect([...g.of(3)]).toEqual([2, 0]);
        expect([...g.of(9)]).toEqual([2 ** 32 - 1]);
        expect(g.of(4).length).toBe(0);
        expect(g.size).toBe(3);
        expect([7, 3, 9, 4].map((k) => g.slotOf(k))).toEqual([0, 1, 2, -1]);
    });

    it('groups generated input exactly as a Map of arrays does', () => {
        const prng = createPrng(11);
        const pairs = Array.from({ length: 5000 }, () => [prng.int(0, 300), prng.int(0, 2 ** 30)] as const);
        const expected = new Map<number, number[]>();
        for (const [k, v] of pairs) expected.set(k, [...(expected.get(k) ?? []), v]);
        const g = new NumberGroups((add) => {
            for (const [k, v] of pairs) add(k, v);
        });
        expect([...g.keys()]).toEqual([...expected.keys()]);
        for (const [k, values] of expected) expect([...g.of(k)]).toEqual(values);
    });

    it('refuses what is not a position rather than storing it wrong', () => {
        for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => new NumberGroups((add) => add(1, bad))).toThrow(RangeError);
    });

    it('is empty when nothing is given', () => {
        const g = new NumberGroups(() => {});
        expect([...g.keys()]).toEqual([]);
        expect(g.of(1).length).toBe(0);
    });
});
