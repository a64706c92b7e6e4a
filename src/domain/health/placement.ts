// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Where a guest lived at a given time. Every node runs every job for its own guests, so a guest
 * that migrated is judged against the node it was on when the run was due.
 */

import type { Guest, GuestPlacement } from '../model.ts';

export class PlacementIndex {
    /** The current node of each guest with a history (the others' node is their own `node`). */
    private readonly current = new Map<number, string>();
    private readonly history = new Map<number, GuestPlacement[]>();

    constructor(guests: readonly Guest[], placements: readonly GuestPlacement[] = []) {
        for (const p of placements) {
            let list = this.history.get(p.vmid);
            if (!list) {
                list = [];
                this.history.set(p.vmid, list);
            }
            list.push(p);
        }
        for (const list of this.history.values()) list.sort((a, b) => a.from - b.from);
        for (const g of guests) if (this.history.has(g.vmid)) this.current.set(g.vmid, g.node);
    }

    /** Guests whose node changed over time (their placement matters per run). */
    movedGuests(): number[] {
        return [...this.history.entries()].filter(([, l]) => new Set(l.map((p) => p.node)).size > 1).map(([v]) => v);
    }

    /** Every node the guest is known to have lived on (history and now). */
    nodesOf(vmid: number): string[] {
        const nodes = new Set((this.history.get(vmid) ?? []).map((p) => p.node));
        const current = this.current.get(vmid);
        if (current !== undefined) nodes.add(current);
        return [...nodes];
    }

    /**
     * The node the guest lived on at `time`; its current node when history does not say, and
     * undefined for a guest without history (its node is the guest's own).
     */
    nodeAt(vmid: number, time: number): string | undefined {
        const list = this.history.get(vmid);
        if (list && list.length > 0) {
            let best: GuestPlacement | undefined;
            for (const p of list) {
                if (p.from <= time && (p.until === undefined || time <= p.until)) best = p;
            }
            if (best) return best.node;
            // Before the first record the guest was where it was first seen.
            const first = list[0] as GuestPlacement;
            if (time < first.from) return first.node;
            // Between records (gap in our history): the last known node before `time`.
            const before = list.filter((p) => p.from <= time);
            const last = before[before.length - 1];
            if (last) return last.node;
        }
        return this.current.get(vmid);
    }
}
