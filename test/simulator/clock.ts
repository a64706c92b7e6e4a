// SPDX-License-Identifier: AGPL-3.0-or-later
/** The simulator's clock: tests set and advance it; tasks appear as it passes their start and end. */

import type { Clock } from '../../src/ports.ts';

export interface SimClock extends Clock {
    set(epoch: number): void;
    advance(seconds: number): void;
}

export function createSimClock(start: number): SimClock {
    let now = start;
    return {
        now: () => now,
        set: (epoch) => {
            now = epoch;
        },
        advance: (seconds) => {
            now += seconds;
        },
    };
}
