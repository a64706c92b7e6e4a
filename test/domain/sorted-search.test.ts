// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { partAt } from '../../src/domain/sorted-search.ts';

describe('partAt', () => {
    it('finds the part holding a position, parts laid end to end', () => {
        // Parts of lengths 3, 0, 2 and the rest: starts 0, 3, 3, 5.
        const starts = [0, 3, 3, 5, 99];
        expect([0, 1, 2, 3, 4, 5, 50].map((v) => partAt(starts, 4, v))).toEqual([0, 0, 0, 2, 2, 3, 3]);
        expect(partAt(new Uint32Array([0, 10]), 2, 9)).toBe(0);
        expect(partAt([], 0, 5)).toBe(0);
    });
});
