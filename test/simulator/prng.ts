// SPDX-License-Identifier: AGPL-3.0-or-later
/** A small seeded PRNG (mulberry32): the same seed always gives the same cluster. */

export interface Prng {
    /** Uniform in [0, 1). */
    next(): number;
    /** Integer in [min, max]. */
    int(min: number, max: number): number;
    chance(p: number): boolean;
    pick<T>(items: readonly T[]): T;
    /** A new generator derived from this one and a label, so adding draws elsewhere does not shift it. */
    fork(label: string): Prng;
}

function hash(text: string): number {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
}

export function createPrng(seed: number): Prng {
    let state = seed >>> 0;
    const next = (): number => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return {
        next,
        int: (min, max) => min + Math.floor(next() * (max - min + 1)),
        chance: (p) => next() < p,
        pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
        fork: (label) => createPrng((seed ^ hash(label)) >>> 0),
    };
}
