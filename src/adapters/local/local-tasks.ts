// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * This node's vzdump task history from `/var/log/pve/tasks/` (`index.1`, `index`, `active` and the
 * per-task log files, pve-platform.md §4.6), and its job state files (§4.4).
 */

import { eachBounded } from '../../domain/each-bounded.ts';
import type { JobState, SourceError, VzdumpTask } from '../../domain/model.ts';
import { jobIdFromStateFileName, parseJobState } from '../../domain/pve/job-state.ts';
import { type TaskIndexEntry, parseActiveTasks, parseTaskIndex, taskLogPath } from '../../domain/pve/task-index.ts';
import { type GuestLogRecord, fillFromGuestLogs } from '../../domain/snapshot/guest-log-fill.ts';
import { guestLogFileInfo, parseGuestLog } from '../../domain/vzdump-log/guest-log.ts';
import { parseVzdumpLog } from '../../domain/vzdump-log/parse.ts';
import type { TaskLogCache } from '../../ports.ts';
import { readTimeZone } from './cluster-files.ts';
import type { HostFiles } from './host-files.ts';

const TASKS = '/var/log/pve/tasks';
const JOBS = '/var/lib/pve-manager/jobs';
const GUEST_LOGS = '/var/log/vzdump';
/** Task logs read at the same time. */
const LOG_READS = 32;

export interface LocalTasks {
    tasks: VzdumpTask[];
    /**
     * Start of the oldest task the index files still hold: `index` rotates into `index.1` and
     * older generations are deleted, so nothing before it can be judged.
     */
    oldest?: number;
}

function toTask(e: TaskIndexEntry, running: boolean): VzdumpTask {
    const u = e.upid;
    const task: VzdumpTask = {
        upid: u.raw,
        node: u.node,
        startTime: u.startTime,
        status: running ? 'RUNNING' : (e.status ?? 'unexpected status'),
        user: u.tokenId ? `${u.user}!${u.tokenId}` : u.user,
        id: u.id,
    };
    if (!running && e.endTime !== undefined) task.endTime = e.endTime;
    return task;
}

async function loadLog(files: HostFiles, task: VzdumpTask, cache: TaskLogCache | undefined): Promise<void> {
    const running = task.status === 'RUNNING';
    if (!running && cache) {
        const hit = await cache.get(task.upid);
        if (hit) {
            task.log = hit;
            return;
        }
    }
    const rel = taskLogPath(task.upid);
    const path = `${TASKS}/${rel}`;
    const r = rel === null ? ({ kind: 'error', message: 'not a PVE UPID' } as const) : await files.read(path);
    if (r.kind === 'missing') task.logError = `task log file ${path} is missing`;
    else if (r.kind === 'error') task.logError = r.message;
    else {
        const parsed = parseVzdumpLog(r.text, { running });
        task.log = parsed;
        if (!running) await cache?.put(task.upid, parsed).catch(() => undefined);
    }
}

/** The per-guest logs `/var/log/vzdump/<qemu|lxc>-<vmid>.log` (latest run of each guest). */
async function readGuestLogs(files: HostFiles): Promise<GuestLogRecord[]> {
    const dir = await files.list(GUEST_LOGS);
    if (dir.kind !== 'ok') return [];
    const out: GuestLogRecord[] = [];
    for (const name of dir.names) {
        if (guestLogFileInfo(name) === null) continue;
        const path = `${GUEST_LOGS}/${name}`;
        const r = await files.read(path);
        const result = r.kind === 'ok' ? parseGuestLog(r.text) : null;
        if (result) out.push({ path, result });
    }
    return out;
}

/**
 * Reads the task index files of `node` and the logs of its vzdump tasks since `historyFrom`. A task
 * whose log file is missing or unreadable gets its guests' results from their guest logs where
 * that is sound (`fillFromGuestLogs`); `timeZone` is the node's, read from its files when absent.
 */
export async function readLocalTasks(
    files: HostFiles,
    node: string,
    historyFrom: number,
    cache: TaskLogCache | undefined,
    errors: SourceError[],
    timeZone?: string,
    /**
     * Which tasks' logs to read (default all). Enriching API data every cycle needs only the logs
     * the API could not deliver; reading the rest (from the cache) each minute was wasted work.
     */
    wantLog: (upid: string) => boolean = () => true,
): Promise<LocalTasks> {
    const byUpid = new Map<string, VzdumpTask>();
    let oldest: number | undefined;
    for (const name of ['index.1', 'index', 'active']) {
        const path = `${TASKS}/${name}`;
        const r = await files.read(path);
        if (r.kind === 'missing') continue;
        if (r.kind === 'error') {
            errors.push({ what: path, node, message: r.message });
            continue;
        }
        const parsed = name === 'active' ? parseActiveTasks(r.text) : parseTaskIndex(r.text);
        if (parsed.errors.length > 0) {
            const first = parsed.errors[0];
            errors.push({ what: path, node, message: `${parsed.errors.length} unreadable line(s), e.g. line ${first?.line}: ${first?.message}` });
        }
        for (const e of parsed.entries) {
            if (name !== 'active') oldest = Math.min(oldest ?? e.upid.startTime, e.upid.startTime);
            if (e.upid.kind !== 'pve' || e.upid.type !== 'vzdump' || e.upid.node !== node || e.upid.startTime < historyFrom) continue;
            const running = 'running' in e && (e as { running: boolean }).running;
            byUpid.set(e.upid.raw, toTask(e, running));
        }
    }
    let tasks = [...byUpid.values()].sort((a, b) => a.startTime - b.startTime);
    const wanted = tasks.filter((t) => wantLog(t.upid));
    await eachBounded(wanted, LOG_READS, (t) => loadLog(files, t, cache));
    if (wanted.some((t) => t.log === undefined && t.endTime !== undefined)) {
        const guestLogs = await readGuestLogs(files);
        // Guest logs carry local times: without the node's zone they cannot be placed, so leave them.
        const unknownZone: SourceError[] = [];
        const zone = timeZone ?? (await readTimeZone(files, unknownZone));
        if (guestLogs.length > 0 && unknownZone.length === 0) tasks = fillFromGuestLogs(tasks, guestLogs, zone);
    }
    const out: LocalTasks = { tasks };
    if (oldest !== undefined) out.oldest = oldest;
    return out;
}

/** Job state files of this node; other `<type>-<id>.json` files (realm-sync, …) are skipped. */
export async function readJobStates(files: HostFiles, node: string, errors: SourceError[]): Promise<JobState[]> {
    const dir = await files.list(JOBS);
    if (dir.kind === 'missing') return [];
    if (dir.kind === 'error') {
        errors.push({ what: JOBS, node, message: dir.message });
        return [];
    }
    const states: JobState[] = [];
    for (const name of dir.names) {
        const jobId = jobIdFromStateFileName(name);
        if (jobId === null) continue;
        const path = `${JOBS}/${name}`;
        const r = await files.read(path);
        if (r.kind === 'missing') continue;
        if (r.kind === 'error') {
            errors.push({ what: path, node, message: r.message });
            continue;
        }
        const parsed = parseJobState(r.text, jobId, node);
        if (parsed.ok) states.push(parsed.state);
        else errors.push({ what: path, node, message: parsed.error });
    }
    return states;
}
