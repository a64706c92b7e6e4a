// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Merges what only the host's own files know into an API snapshot: the job state files (the only
 * record of which job started which task, pve-platform.md §4.4) and, optionally, this node's task
 * history from its index files. Pure: the local adapter reads, `compose` calls this.
 */

import type { ClusterSnapshot, JobState, SourceError, VzdumpTask } from '../model.ts';

/** What the local node's files add to a snapshot. */
export interface LocalEnrichment {
    /** The node whose files were read. */
    node: string;
    jobStates: JobState[];
    /** This node's vzdump tasks from its index files, when read. */
    tasks?: VzdumpTask[];
    sourceErrors: SourceError[];
}

/**
 * Returns a new snapshot with the local node's job states (replacing earlier ones of that node),
 * `jobId` set on the tasks the states name, local tasks the API did not list (inside the
 * history window) and logs the API could not deliver. Never mutates its inputs.
 */
export function enrichWithLocal(snapshot: ClusterSnapshot, local: LocalEnrichment): ClusterSnapshot {
    const tasks = new Map<string, VzdumpTask>(snapshot.tasks.map((t) => [t.upid, { ...t }]));
    for (const lt of local.tasks ?? []) {
        if (lt.startTime < snapshot.historyFrom) continue;
        const known = tasks.get(lt.upid);
        if (!known) {
            tasks.set(lt.upid, { ...lt });
        } else if (known.log === undefined && lt.log !== undefined) {
            known.log = lt.log;
            delete known.logError;
        }
    }
    const jobStates = [...snapshot.jobStates.filter((s) => s.node !== local.node), ...local.jobStates];
    for (const state of jobStates) {
        if (state.upid === undefined) continue;
        const task = tasks.get(state.upid);
        if (task && task.jobId === undefined) task.jobId = state.jobId;
    }
    return {
        ...snapshot,
        jobStates,
        tasks: [...tasks.values()].sort((a, b) => a.startTime - b.startTime || a.upid.localeCompare(b.upid)),
        sourceErrors: [...snapshot.sourceErrors, ...local.sourceErrors],
    };
}
