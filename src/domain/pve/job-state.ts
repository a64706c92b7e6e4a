// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The scheduler's run state of one job on one node, `/var/lib/pve-manager/jobs/vzdump-<id>.json`
 * (pve-platform.md §4.4): the only record of "job X last ran as UPID Y with result Z".
 */

import type { JobState } from '../model.ts';
import { describeValue, toInt, toStr } from './coerce.ts';

export type ParsedJobState = { ok: true; state: JobState } | { ok: false; error: string };

const STATES: readonly JobState['state'][] = ['created', 'starting', 'started', 'stopped'];

/**
 * Parses the state file's JSON. `jobId` and `node` come from the file name and the host the file
 * was read on. Numbers and strings are read defensively; unknown fields are ignored. Never throws.
 */
export function parseJobState(text: string, jobId: string, node: string): ParsedJobState {
    let data: unknown;
    try {
        data = JSON.parse(typeof text === 'string' ? text : '');
    } catch (e) {
        return { ok: false, error: `job state of '${jobId}' is not valid JSON: ${(e as Error).message}` };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        return { ok: false, error: `job state of '${jobId}' is not a JSON object` };
    }
    const record = data as Record<string, unknown>;
    const state = toStr(record.state);
    if (state === null || !(STATES as readonly string[]).includes(state)) {
        return { ok: false, error: `job state of '${jobId}' has an unknown state '${describeValue(record.state)}'` };
    }
    const result: JobState = { jobId, node, state: state as JobState['state'] };
    const time = toInt(record.time);
    const updated = toInt(record.updated);
    const upid = toStr(record.upid);
    const msg = toStr(record.msg);
    if (time !== null) result.time = time;
    if (upid !== null && upid !== '') result.upid = upid;
    if (msg !== null) result.msg = msg;
    if (updated !== null) result.updated = updated;
    return { ok: true, state: result };
}

/** `vzdump-backup-7c1e2b3f-9a1d.json` → `backup-7c1e2b3f-9a1d`; null for other files. */
export function jobIdFromStateFileName(fileName: string): string | null {
    if (typeof fileName !== 'string') return null;
    const base = fileName.slice(fileName.lastIndexOf('/') + 1);
    const m = /^vzdump-(\S+)\.json$/.exec(base);
    return m ? (m[1] as string) : null;
}
