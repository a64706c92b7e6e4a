// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Positions (whole numbers below 2^32) grouped by a numeric key, e.g. each guest's results, in
 * two flat arrays. A 10 000-guest evaluation kept its ~520 000 positions in a Map of growing
 * arrays: ~6 MiB of heap alive for the whole evaluation, where a count pass and a fill pass need
 * a third of it, off the heap. Values keep the order in which they were given.
 */

export type Emit = (key: number, value: number) => void;

export class NumberGroups {
    private readonly slots = new Map<number, number>();
    private readonly starts: Int32Array;
    private readonly values: Uint32Array;

    /** `visit` must give the same keys in the same order each time it is called (it is called twice). */
    constructor(visit: (emit: Emit) => void) {
        const counts: number[] = [];
        visit((key) => {
            let k = this.slots.get(key);
            if (k === undefined) {
                k = counts.length;
                this.slots.set(key, k);
                counts.push(0);
            }
            counts[k] = (counts[k] as number) + 1;
        });
        this.starts = new Int32Array(counts.length + 1);
        for (let k = 0; k < counts.length; k++) this.starts[k + 1] = (this.starts[k] as number) + (counts[k] as number);
        this.values = new Uint32Array(this.starts[counts.length] as number);
        const next = this.starts.slice(0, counts.length);
        visit((key, value) => {
            if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32) throw new RangeError(`not a position: ${value}`);
            const k = this.slots.get(key) as number;
            this.values[next[k] as number] = value;
            next[k] = (next[k] as number) + 1;
        });
    }

    /** How many keys there are; each has a slot in 0…size-1 (in first-seen order). */
    get size(): number {
        return this.slots.size;
    }

    /** The slot of `key`, -1 for an unknown key. */
    slotOf(key: number): number {
        return this.slots.get(key) ?? -1;
    }

    keys(): IterableIterator<number> {
        return this.slots.keys();
    }

    /** The values of `key`, in the order they were given (empty for an unknown key). */
    of(key: number): Uint32Array {
        const k = this.slots.get(key);
        return k === undefined ? this.values.subarray(0, 0) : this.values.subarray(this.starts[k], this.starts[k + 1]);
    }
}
