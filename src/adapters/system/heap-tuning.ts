// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's one V8 setting. After each full collection V8 lets the old generation grow to a
 * multiple of what survived, and picks that multiple (up to 4×) from how fast its collections ran
 * compared with the program: on a busy host it often chose the top, and the 10 000-guest cold
 * cycle peaked at ~365 MiB RSS instead of ~235 MiB in half of the bench runs. Capping the factor
 * at 2× made the peak ~231 MiB in every run without measurable extra CPU (1.5× cost ~30 % more
 * evaluation CPU). Set at run time, so the packaged unit keeps a plain `node` command line.
 */

import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;

/** Applies the cap; call before the first cycle. A Node without the flag just keeps its default. */
export function capHeapGrowth(): void {
    try {
        setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    } catch {
        // never fatal: only the memory peak depends on it
    }
}
