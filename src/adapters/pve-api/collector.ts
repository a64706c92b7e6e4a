// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The PVE API SnapshotSource. It keeps what it learnt between cycles: the first cycle reads the
 * history window, later cycles only what changed (tasks since the newest seen, logs of new tasks,
 * storages every `storageIntervalSeconds`). Later cycles read one `/cluster/tasks` window and a
 * node's own task list only when that window shows something new for it, cannot vouch for it
 * (overflowed, running tasks) or failed, and the guest list only when the window changed or
 * every `guestIntervalSeconds`: when nothing happened a cycle costs 3 requests (4 every five
 * minutes) whatever the number of nodes. A node that cannot be read keeps its previous data and is marked
 * unreachable; only a failure of the cluster status (nothing readable) throws.
 *
 *     const source = createApiSnapshotSource({ transport, cache, remote: 'site-a' });
 *     const snapshot = await source.collect({ now, historyFrom: now - 35 * 86400 });
 *     source.stats().lastCycle?.requests;
 */

import type { BackupJob, ClusterSnapshot, Guest, NodeInfo, SourceError, VzdumpTask } from '../../domain/model.ts';
import type { CollectOptions, Logger, SnapshotSource, TaskLogCache } from '../../ports.ts';
import { type PveClient, createPveClient } from './client.ts';
import { PveApiError } from './errors.ts';
import { type NodeTasks, forgetBefore, loadTaskLogs, newNodeTasks, syncNodeTasks } from './node-tasks.ts';
import { createInterner } from '../../domain/snapshot/slim-log.ts';
import { checkSchedules, newScheduleCheckState, scheduleNotes } from './schedule-check.ts';
import { newStorageState, refreshStorages, storageView } from './storage-sync.ts';
import { advanceMark, byNode, nodeListReason, sameKeys, windowKeys } from './task-window.ts';
import { toBackupJob, toGuest } from './to-model.ts';
import type { PveTransport } from './transport.ts';
import type { ApiClusterStatus, ApiTask } from './types.ts';

export interface ApiSourceOptions {
    /** A transport used by this source only (its request count is the cycle cost). */
    transport: PveTransport;
    cache: TaskLogCache;
    /** Name of this cluster in multi-cluster reports; set on the snapshot and every guest. */
    remote?: string;
    logger?: Logger;
    /** Default 900 s. */
    storageIntervalSeconds?: number;
    /** How often each distinct schedule is compared with `schedule-analyze`. Default 86400 s. */
    scheduleCheckIntervalSeconds?: number;
    /** How often node time zones are re-read. Default 86400 s. */
    timeZoneIntervalSeconds?: number;
    /**
     * Longest time between two reads of the guest list (`/cluster/resources`) while the cluster
     * task window shows nothing new. Default 300 s; see `collect`.
     */
    guestIntervalSeconds?: number;
}

export interface CycleStats {
    at: number;
    requests: number;
    retries: number;
    logsFetched: number;
    logsFromCache: number;
    logsFailed: number;
}

export interface CollectorStats {
    cycles: number;
    /** Requests of every cycle so far, oldest first. */
    requestsPerCycle: number[];
    lastCycle?: CycleStats;
}

export interface ApiSnapshotSource extends SnapshotSource {
    stats(): CollectorStats;
}

interface NodeState {
    tasks: NodeTasks;
    timeZone?: string;
    timeZoneAt?: number;
    unreachable?: string;
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

export function createApiSnapshotSource(options: ApiSourceOptions): ApiSnapshotSource {
    let requests = 0;
    const counting: PveTransport = {
        baseUrl: options.transport.baseUrl,
        request: (method, path, opts) => {
            requests++;
            return options.transport.request(method, path, opts);
        },
        stats: () => options.transport.stats(),
        close: () => options.transport.close(),
    };
    const api: PveClient = createPveClient(counting);
    const storageInterval = options.storageIntervalSeconds ?? 900;
    const scheduleInterval = options.scheduleCheckIntervalSeconds ?? 86400;
    const tzInterval = options.timeZoneIntervalSeconds ?? 86400;
    const guestInterval = options.guestIntervalSeconds ?? 300;
    // When the guest list was last read, and the cluster task window at that time.
    let guestsReadAt: number | undefined;
    let guestsWindow: ReadonlySet<string> | undefined;
    const nodes = new Map<string, NodeState>();
    const storage = newStorageState();
    const schedules = newScheduleCheckState();
    // Guest names, errors, job options and backup formats/notes repeat thousands of times: one copy each.
    const intern = createInterner();
    let guests: Guest[] = [];
    let jobs: BackupJob[] = [];
    // The window's tasks as last assembled; rebuilt only after a node's task list or a log changed.
    let taskList: VzdumpTask[] | undefined;
    let cluster: ApiClusterStatus['cluster'];
    const history: CycleStats[] = [];

    const nodeState = (name: string): NodeState => {
        let s = nodes.get(name);
        if (!s) {
            s = { tasks: newNodeTasks() };
            nodes.set(name, s);
        }
        return s;
    };

    async function readNode(name: string, o: CollectOptions, errors: SourceError[], load: VzdumpTask[], windows: Promise<Map<string, ApiTask[]> | undefined>): Promise<void> {
        const s = nodeState(name);
        const all = await windows;
        const window = all === undefined ? undefined : (all.get(name) ?? []);
        try {
            if (s.timeZone === undefined || o.now - (s.timeZoneAt ?? 0) >= tzInterval) {
                s.timeZone = (await api.nodeTime(name)).timezone;
                s.timeZoneAt = o.now;
            }
            // A node that could not be read last time is read again: only its own answer clears it.
            const reason = s.unreachable !== undefined ? 'unreachable before' : nodeListReason(s.tasks, window, o.historyFrom);
            if (reason === undefined) {
                if (forgetBefore(s.tasks, o.historyFrom) > 0) taskList = undefined;
            } else {
                taskList = undefined;
                load.push(...(await syncNodeTasks(api, name, s.tasks, o.historyFrom)));
            }
            if (window !== undefined) advanceMark(s.tasks, window);
            delete s.unreachable;
        } catch (err) {
            const offline = err instanceof PveApiError && err.kind === 'node-offline';
            s.unreachable = offline ? `node offline or unreachable: ${message(err)}` : `could not read node: ${message(err)}`;
            errors.push({ what: err instanceof PveApiError ? `${err.method} ${err.path}` : `node ${name}`, node: name, message: message(err) });
        }
    }

    /**
     * The guest list is the largest answer of a quiet cycle (1.7 MB at 10 000 guests). Creating,
     * cloning, restoring, migrating, converting or destroying a guest is a task, so while the
     * cluster task window is unchanged since the last read the list is kept — re-read at least
     * every `guestIntervalSeconds` for what changes without a task (name, tags, pool).
     */
    async function readGuests(o: CollectOptions, window: readonly ApiTask[] | undefined, errors: SourceError[]): Promise<void> {
        const keys = window === undefined ? undefined : windowKeys(window);
        const recent = o.fresh !== true && guestsReadAt !== undefined && o.now - guestsReadAt < guestInterval;
        if (recent && keys !== undefined && guestsWindow !== undefined && sameKeys(keys, guestsWindow)) return;
        try {
            guests = (await api.vmResources()).map((x) => toGuest(x, options.remote));
            guestsReadAt = o.now;
            guestsWindow = keys;
        } catch (err) {
            guestsReadAt = undefined;
            errors.push({ what: 'GET /cluster/resources?type=vm', message: message(err) });
        }
    }

    async function collect(o: CollectOptions): Promise<ClusterSnapshot> {
        const before = requests;
        const retriesBefore = options.transport.stats().retries;
        const errors: SourceError[] = [];
        const abort = () => {
            if (o.signal?.aborted) throw o.signal.reason ?? new Error('collection aborted');
        };
        // Without the cluster status nothing can be read: let the caller fall back or report.
        const status = await api.clusterStatus();
        cluster = status.cluster;
        abort();
        const online = status.nodes.filter((n) => n.online).map((n) => n.name);
        for (const n of status.nodes) {
            if (n.online) continue;
            nodeState(n.name).unreachable = 'node offline (cluster status)';
            errors.push({ what: 'GET /cluster/status', node: n.name, message: `node ${n.name} is offline; its data is from the last successful read` });
        }
        const load: VzdumpTask[] = [];
        // Only worth a request once some node has its history; a failure means per-node lists for all.
        const synced = online.some((n) => nodes.get(n)?.tasks.fetchedFrom !== undefined);
        const window = synced
            ? api.clusterTasks().then(
                  (w) => w,
                  (err: unknown) => {
                      options.logger?.warn("cluster task list unavailable; reading every node's task list", { error: message(err) });
                      return undefined;
                  },
              )
            : Promise.resolve(undefined);
        const windows = window.then((w) => (w === undefined ? undefined : byNode(w)));
        await Promise.all([
            window.then((w) => readGuests(o, w, errors)),
            api.backupJobs().then(
                (r) => {
                    jobs = r.map(toBackupJob);
                },
                (err: unknown) => void errors.push({ what: 'GET /cluster/backup', message: message(err) }),
            ),
            ...online.map((name) => readNode(name, o, errors, load, windows)),
        ]);
        abort();
        const reachable = online.filter((n) => nodes.get(n)?.unreachable === undefined);
        await refreshStorages(api, reachable, storage, o.now, o.fresh ? 0 : storageInterval, intern);
        // schedule-analyze computes in the zone of the node serving the API; compare only once we know it.
        const apiNode = status.nodes.find((n) => n.local)?.name ?? reachable[0];
        const apiZone = apiNode === undefined ? undefined : nodes.get(apiNode)?.timeZone;
        const notes =
            apiZone === undefined
                ? scheduleNotes(schedules)
                : await checkSchedules(api, [...new Set(jobs.map((j) => j.schedule))], apiZone, o.now, scheduleInterval, schedules);
        abort();
        const logs = await loadTaskLogs(api, options.cache, load, options.logger, intern, o.onProgress);
        if (load.length > 0) taskList = undefined;
        if (logs.failed > 0) errors.push({ what: 'task logs', message: `${logs.failed} task log(s) could not be read; their guests are reported as unknown` });
        const cycle: CycleStats = {
            at: o.now,
            requests: requests - before,
            retries: options.transport.stats().retries - retriesBefore,
            logsFetched: logs.fetched,
            logsFromCache: logs.fromCache,
            logsFailed: logs.failed,
        };
        history.push(cycle);
        options.logger?.debug('PVE API cycle done', { ...cycle });
        return assemble(o, status, [...errors, ...storage.errors, ...notes]);
    }

    function assemble(o: CollectOptions, status: ApiClusterStatus, sourceErrors: SourceError[]): ClusterSnapshot {
        const known = [...new Set([...status.nodes.map((n) => n.name), ...nodes.keys()])];
        const fallbackZone = [...nodes.values()].find((s) => s.timeZone)?.timeZone ?? 'UTC';
        const nodeInfos: NodeInfo[] = known.map((name) => {
            const s = nodeState(name);
            const info: NodeInfo = { name, online: s.unreachable === undefined, timeZone: s.timeZone ?? fallbackZone };
            if (s.unreachable !== undefined) info.unreachable = s.unreachable;
            if (s.timeZone === undefined) sourceErrors.push({ what: `GET /nodes/${name}/time`, node: name, message: `time zone unknown, assuming ${fallbackZone}` });
            return info;
        });
        let historyFrom = o.historyFrom;
        for (const s of nodes.values()) if (s.tasks.fetchedFrom !== undefined) historyFrom = Math.max(historyFrom, s.tasks.fetchedFrom);
        if (taskList === undefined) {
            const all: VzdumpTask[] = [];
            // Copies: the node states keep updating their own task objects (running → finished).
            for (const s of nodes.values()) for (const t of s.tasks.tasks.values()) all.push({ ...t });
            all.sort((a, b) => a.startTime - b.startTime || a.upid.localeCompare(b.upid));
            taskList = all;
        }
        // Nodes not read this cycle (offline, failing) still hold tasks from before the window.
        let first = 0;
        while (first < taskList.length && (taskList[first] as VzdumpTask).startTime < o.historyFrom) first++;
        const tasks = first === 0 ? taskList : taskList.slice(first);
        const { storages, backups } = storageView(storage, known);
        const snapshot: ClusterSnapshot = {
            version: 1,
            collectedAt: o.now,
            nodes: nodeInfos,
            guests,
            jobs,
            jobStates: [],
            tasks,
            backups,
            storages,
            historyFrom,
            sourceErrors,
        };
        if (status.cluster?.name) snapshot.cluster = status.cluster.name;
        else if (cluster?.name) snapshot.cluster = cluster.name;
        if (options.remote !== undefined) snapshot.remote = options.remote;
        return snapshot;
    }

    return {
        describe: options.transport.baseUrl,
        collect,
        stats: () => {
            const out: CollectorStats = { cycles: history.length, requestsPerCycle: history.map((c) => c.requests) };
            const last = history[history.length - 1];
            if (last) out.lastCycle = { ...last };
            return out;
        },
    };
}
