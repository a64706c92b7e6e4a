// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { JsonItemSplitter } from '../../src/adapters/pve-api/json-items.ts';
import { createPrng } from '../simulator/prng.ts';

/** Feeds `text` cut at the given byte offsets; returns the elements and the parsed envelope. */
function split(text: string, cuts: number[] = []): { items: unknown[]; envelope: unknown } {
    const bytes = Buffer.from(text, 'utf8');
    const items: unknown[] = [];
    const s = new JsonItemSplitter((x) => items.push(x));
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
        s.write(bytes.subarray(from, cut));
        from = cut;
    }
    return { items, envelope: s.end() };
}

const TRICKY = {
    total: 4,
    note: 'a "data": [1] that is only text, with } and ] and \\',
    data: [
        { volid: 'pbs:backup/vm/100/2026-11-20T01:07:00Z', notes: 'Ünïcödé ✓ {not: "json"} [x]', verification: { state: 'ok', upid: 'UPID:pbs:…' } },
        { nested: [[1, 2], { data: [3] }], escaped: 'quote \\" backslash \\\\ end' },
        'a string element, with a comma',
        -12.5e3,
        true,
        null,
        [],
        {},
    ],
    after: { data: ['not the list'] },
};

describe('JsonItemSplitter', () => {
    it('hands over each element of data, and the envelope with data emptied', () => {
        const text = JSON.stringify(TRICKY);
        const { items, envelope } = split(text);
        expect(items).toEqual(TRICKY.data);
        expect(envelope).toEqual({ ...TRICKY, data: [] });
    });

    it('gives the same result wherever the chunks are cut, inside multi-byte characters too', () => {
        const text = JSON.stringify(TRICKY, null, 2);
        const length = Buffer.byteLength(text);
        // Seeded, so a failing cut can be reproduced.
        const random = createPrng(42).next;
        for (let round = 0; round < 300; round++) {
            const cuts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * length)))].sort((a, b) => a - b);
            expect(split(text, cuts), `cuts ${cuts.join(',')}`).toEqual({ items: TRICKY.data, envelope: { ...TRICKY, data: [] } });
        }
        // Every single byte its own chunk.
        expect(split(text, Array.from({ length: length - 1 }, (_, i) => i + 1)).items).toEqual(TRICKY.data);
    });

    it('streams the top-level data key wherever it stands, and only that one', () => {
        expect(split('{"total":"2","data":[{"a":1},{"b":2}]}')).toEqual({ items: [{ a: 1 }, { b: 2 }], envelope: { total: '2', data: [] } });
        expect(split('{"x":{"data":[9]},"data":[7]}')).toEqual({ items: [7], envelope: { x: { data: [9] }, data: [] } });
        expect(split('{"dataset":[1],"data":[]}')).toEqual({ items: [], envelope: { dataset: [1], data: [] } });
    });

    it('leaves a data that is not an array in the envelope', () => {
        expect(split('{"data":null}')).toEqual({ items: [], envelope: { data: null } });
        expect(split('{"data":{"children":[1]}}')).toEqual({ items: [], envelope: { data: { children: [1] } } });
    });

    it('refuses an answer cut off inside an element or the envelope', () => {
        const text = JSON.stringify({ data: [{ a: 'x' }, { b: 'y' }] });
        for (const end of [text.length - 1, text.indexOf('{"b"') + 3, 5]) {
            const s = new JsonItemSplitter(() => {});
            s.write(Buffer.from(text.slice(0, end)));
            expect(() => s.end(), `cut at ${end}`).toThrow(/ended inside/);
        }
    });

    it('raises a broken element instead of skipping it', () => {
        const s = new JsonItemSplitter(() => {});
        expect(() => s.write(Buffer.from('{"data":[{"a":tru}]}'))).toThrow();
    });
});
