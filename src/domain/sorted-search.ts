// SPDX-License-Identifier: AGPL-3.0-or-later
/** Searches in ascending lists of starts (parts laid end to end). */

/**
 * The index of the last of `starts[0…count-1]` that is ≤ `value` (0 when none is): the part that
 * holds position `value` when part k begins at `starts[k]`.
 */
export function partAt(starts: ArrayLike<number>, count: number, value: number): number {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= value) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}
