// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's one V8 setting. After each full collection V8 lets the old generation grow to a
 * multiple of what survived, and picks that multiple (up to 4×) from how fast its collections ran
 * compared with the program: on a busy host it often chose the top, and the 10 000-guest cold
 * cycle peaked at ~365 MiB RSS instead of ~235 MiB in half of the bench runs. Capped at 1.5×:
 * since the collector stopped moving parsed logs into the old space, a full collection is rare
 * and cheap, and at 2× whether one happened just before the evaluation decided ~18 MiB of the
 * peak (123 or 141 MiB in two identical runs); at 1.5× it was 122–124 MiB every run, with no
 * CPU change the bench could tell from noise. Set at run time, so the packaged unit keeps a plain
 * `node` command line (Node refuses this flag in NODE_OPTIONS).
 */

import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Applies the cap; call before the first cycle. A Node without the flag just keeps its default. */
export function capHeapGrowth(): void {
    try {
        setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    } catch {
        // never fatal: only the memory peak depends on it
    }
}
