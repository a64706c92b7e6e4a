// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Decides from one `GET /cluster/tasks` window (pve-platform.md §3.6: recent tasks of every node,
 * about 25 finished plus the running ones) which nodes' own task lists must be read this cycle.
 * The window is short, so it only proves "nothing new" while it still reaches back to what we
 * already know; otherwise, or when in doubt, the node's list is read.
 */

import type { NodeTasks } from './node-tasks.ts';
import type { ApiTask } from './types.ts';

/** Why the node's own list must be read, or undefined when the window shows nothing new. */
export function nodeListReason(state: NodeTasks, window: readonly ApiTask[] | undefined, historyFrom: number): string | undefined {
    if (state.fetchedFrom === undefined) return 'first read (history window)';
    if (historyFrom < state.fetchedFrom) return 'history window widened';
    if (window === undefined) return 'cluster task list unavailable';
    for (const t of state.tasks.values()) if (t.status === 'RUNNING') return 'running task';
    if (window.length === 0) {
        // Every node that ran a task is in the tasklist; an empty window for one that did is suspect.
        return state.tasks.size > 0 ? 'node missing from the cluster task list' : undefined;
    }
    const mark = state.mark ?? state.fetchedFrom;
    let oldest = Number.POSITIVE_INFINITY;
    for (const t of window) {
        oldest = Math.min(oldest, t.starttime);
        if (t.type === 'vzdump' && t.starttime >= historyFrom && !state.tasks.has(t.upid)) return 'new backup task';
    }
    // Tasks between our mark and the window's oldest entry may have fallen out of the window.
    if (oldest > mark) return 'cluster task list window overflowed';
    return undefined;
}

/** After a cycle that read nothing for the node: the window covered everything up to its newest entry. */
export function advanceMark(state: NodeTasks, window: readonly ApiTask[]): void {
    for (const t of window) state.mark = Math.max(state.mark ?? t.starttime, t.starttime);
}

/** The window's entries per node. */
export function byNode(window: readonly ApiTask[]): Map<string, ApiTask[]> {
    const out = new Map<string, ApiTask[]>();
    for (const t of window) {
        const list = out.get(t.node);
        if (list) list.push(t);
        else out.set(t.node, [t]);
    }
    return out;
}

/** Every task the window shows with its state: a later window with other keys means something happened. */
export function windowKeys(window: readonly ApiTask[]): Set<string> {
    return new Set(window.map((t) => `${t.upid}\u0000${t.status ?? ''}`));
}

export function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
    if (a.size !== b.size) return false;
    for (const k of a) if (!b.has(k)) return false;
    return true;
}
