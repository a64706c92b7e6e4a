// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Archive retention with PVE's keep-last/hourly/daily/weekly/monthly/yearly semantics
 * (pve-platform.md §8.2, the shared {@link markPrune}), per node, in the node's local time —
 * with one rule PVE does not have: the newest archive that passed verification is never removed,
 * and a node without any verified archive loses nothing (field-notes §6: retention must never
 * eat the only good copy).
 */

import type { PruneOptions } from '../model.ts';
import { markPrune } from '../pve/prune.ts';
import { isoWeek } from '../time/iso-week.ts';
import { epochToLocal } from '../time/zoned.ts';

export interface RetentionItem {
    name: string;
    node: string;
    createdAt: number;
    /** True only when the last verification of this archive passed. */
    verifiedOk: boolean;
}

export interface RetentionPlan {
    keep: string[];
    remove: string[];
    /** Per node: the archive kept because it is the newest verified one. */
    newestVerified: Record<string, string>;
    /** Nodes whose archives were all kept because none is verified. */
    unverifiedNodes: string[];
}

export function planRetention(items: readonly RetentionItem[], options: PruneOptions, timeZone: string): RetentionPlan {
    const plan: RetentionPlan = { keep: [], remove: [], newestVerified: {}, unverifiedNodes: [] };
    const byNode = new Map<string, RetentionItem[]>();
    for (const item of items) {
        const group = byNode.get(item.node);
        if (group) group.push(item);
        else byNode.set(item.node, [item]);
    }
    const toLocal = (t: number) => {
        const l = epochToLocal(t, timeZone);
        const w = isoWeek(l.year, l.month, l.day);
        return { year: l.year, month: l.month, day: l.day, hour: l.hour, isoWeek: w.week, isoWeekYear: w.year };
    };
    for (const [node, group] of [...byNode].sort(([a], [b]) => a.localeCompare(b))) {
        const verified = group.filter((i) => i.verifiedOk).sort((a, b) => b.createdAt - a.createdAt)[0];
        if (!verified) {
            plan.unverifiedNodes.push(node);
            plan.keep.push(...group.map((i) => i.name));
            continue;
        }
        plan.newestVerified[node] = verified.name;
        const marks = markPrune(
            group.map((i) => ({ id: i.name, time: i.createdAt })),
            options,
            toLocal,
        );
        for (const { item, mark } of marks) {
            if (mark === 'remove' && item.id !== verified.name) plan.remove.push(item.id);
            else plan.keep.push(item.id);
        }
    }
    plan.keep.sort();
    plan.remove.sort();
    return plan;
}
