// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Typed PVE API client: one function per endpoint, kebab-case mapped to camelCase, every field
 * parsed defensively (pve-platform.md §3). Paths are relative to `/api2/json`.
 *
 *     const api = createPveClient(createTransport({...}));
 *     const { items } = await api.tasks('pve1', { since: now - 86400 });
 */

import { bool, contentList, isObject, num, objects, put, str } from './coerce.ts';
import { PveApiError } from './errors.ts';
import type { PveTransport } from './transport.ts';
import type {
    ApiBackup,
    ApiBackupJob,
    ApiClusterStatus,
    ApiIncludedGuest,
    ApiNodeTime,
    ApiStorageConfig,
    ApiStorageStatus,
    ApiTask,
    ApiTaskStatus,
    ApiVmResource,
    TaskPage,
} from './types.ts';
import { mapBackup, mapBackupJob, mapClusterStatus, mapIncludedGuest, mapStorageStatus, mapTask, mapVmResource } from './wire.ts';

const seg = encodeURIComponent;

export interface TaskQuery {
    since?: number;
    until?: number;
    /** Default `vzdump`. */
    typefilter?: string;
    /** Default `all`: `archive` (PVE's default) omits running tasks. */
    source?: 'archive' | 'active' | 'all';
    vmid?: number;
    start?: number;
    /** PVE's default page is 50. */
    limit?: number;
}

export interface PveClient {
    readonly transport: PveTransport;
    clusterStatus(): Promise<ApiClusterStatus>;
    vmResources(): Promise<ApiVmResource[]>;
    nodeTime(node: string): Promise<ApiNodeTime>;
    backupJobs(): Promise<ApiBackupJob[]>;
    includedVolumes(jobId: string): Promise<ApiIncludedGuest[]>;
    /** Recent tasks cluster-wide (pmxcfs tasklist: about 25 finished plus running per node). A short window, not a history. */
    clusterTasks(): Promise<ApiTask[]>;
    /** One page of the node's task list. */
    taskPage(node: string, query?: TaskQuery): Promise<TaskPage>;
    /** Every matching task, paging until PVE's `total` is reached. */
    tasks(node: string, query?: Omit<TaskQuery, 'start'>): Promise<ApiTask[]>;
    /** The whole task log (`limit=0`); an empty log gives `[]`. */
    taskLog(node: string, upid: string): Promise<Array<{ n: number; t: string }>>;
    /**
     * The whole task log as text (`download=1`, PVE ≥ 7.3: one gzipped file instead of a JSON
     * object per line). Falls back to `taskLog` for good once a PVE rejects the parameter.
     */
    taskLogText(node: string, upid: string): Promise<string>;
    /**
     * The same text in pieces of at most 64 KiB cut after a newline, given to `sink` in order
     * once the download is complete (synchronously, so the buffer dies young): a parser never
     * needs the whole log in one string.
     */
    taskLogPieces(node: string, upid: string, sink: (piece: string) => void): Promise<void>;
    taskStatus(node: string, upid: string): Promise<ApiTaskStatus>;
    nodeStorages(node: string): Promise<ApiStorageStatus[]>;
    /** A storage's backups. */
    storageBackups(node: string, storage: string): Promise<ApiBackup[]>;
    /**
     * A storage's backups one at a time as they arrive (a PBS datastore's list is tens of
     * megabytes): `start` is called as each attempt starts — a retry after a broken answer starts
     * over — and returns where that attempt's backups go.
     */
    eachStorageBackup(node: string, storage: string, start: () => (b: ApiBackup) => void): Promise<void>;
    /** One storage's configuration. PVE requires Datastore.Allocate on it: more than PVEAuditor has. */
    storageConfig(storage: string): Promise<ApiStorageConfig>;
    /** Every storage's configuration (`GET /storage`); Datastore.Audit on a storage is enough to see it. */
    storageConfigs(): Promise<ApiStorageConfig[]>;
    /** Next calendar events as PVE computes them (in the API node's time zone). */
    scheduleAnalyze(schedule: string, starttime: number, iterations?: number): Promise<number[]>;
    /** Privileges per ACL path of the caller (or of `path` only). */
    permissions(path?: string): Promise<Record<string, Record<string, boolean>>>;
    /** Verify a user's ticket with a privilege (pve-platform.md §2.7). Throws a 401 error when it is not valid. */
    verifyTicket(username: string, ticket: string, path: string, privs: string): Promise<{ username: string }>;
}

function mapStorageConfig(o: Record<string, unknown>, fallbackId: string): ApiStorageConfig {
    const out: ApiStorageConfig = { storage: str(o.storage) ?? fallbackId, content: contentList(o.content) };
    put(out, 'type', str(o.type));
    put(out, 'shared', bool(o.shared));
    put(out, 'pruneBackups', str(o['prune-backups']));
    put(out, 'maxProtectedBackups', num(o['max-protected-backups']));
    return out;
}

const PIECE = 64 * 1024;

/**
 * A storage's backup list may take PVE long: for PBS it asks the backup server, with a 120 s
 * timeout of its own (pve-platform.md §3.7). Waiting less would turn a big datastore's slow but
 * successful listing into an error every time.
 */
export const BACKUP_LIST_TIMEOUT_MS = 130_000;

/**
 * `bytes` as UTF-8 text in pieces cut after a newline (a newline byte is never inside a UTF-8
 * sequence) or, in a longer line, at a character boundary. A 150 KB log as one string lands in
 * V8's large-object space, which only a full collection frees: 3 800 of them in a cold cycle had
 * grown the heap by hundreds of megabytes.
 */
function eachPiece(bytes: Buffer, sink: (piece: string) => void): void {
    let from = 0;
    while (from < bytes.length) {
        let to = Math.min(from + PIECE, bytes.length);
        if (to < bytes.length) {
            const nl = bytes.lastIndexOf(10, to - 1);
            if (nl >= from) to = nl + 1;
            // No newline in the piece: back off continuation bytes (10xxxxxx) to a character start.
            else while (to > from + 1 && ((bytes[to] as number) & 0xc0) === 0x80) to--;
        }
        sink(bytes.toString('utf8', from, to));
        from = to;
    }
}

/** The `[{n, t}]` lines of a task log envelope; PVE's `no content` pseudo line means none. */
function linesOf(envelope: unknown): Array<{ n: number; t: string }> {
    const d = isObject(envelope) ? envelope.data : undefined;
    const lines = objects(d).map((l) => ({ n: num(l.n) ?? 0, t: str(l.t) ?? '' }));
    if (lines.length === 1 && lines[0]?.t === 'no content') return [];
    return lines;
}

export function createPveClient(transport: PveTransport): PveClient {
    const get = async (path: string, query?: TaskQuery | Record<string, string | number | boolean | undefined>) =>
        transport.request('GET', path, query ? { query: query as Record<string, string | number | boolean | undefined> } : {});
    let download = true;

    const client: PveClient = {
        transport,
        async clusterStatus() {
            return mapClusterStatus((await get('/cluster/status')).data);
        },
        async vmResources() {
            return objects((await get('/cluster/resources', { type: 'vm' })).data)
                .map(mapVmResource)
                .filter((r): r is ApiVmResource => r !== undefined);
        },
        async nodeTime(node) {
            const d = (await get(`/nodes/${seg(node)}/time`)).data;
            const o = isObject(d) ? d : {};
            const out: ApiNodeTime = { timezone: str(o.timezone) ?? 'UTC' };
            put(out, 'time', num(o.time));
            put(out, 'localtime', num(o.localtime));
            return out;
        },
        async backupJobs() {
            return objects((await get('/cluster/backup')).data).map(mapBackupJob);
        },
        async includedVolumes(jobId) {
            const d = (await get(`/cluster/backup/${seg(jobId)}/included_volumes`)).data;
            return objects(isObject(d) ? d.children : []).map(mapIncludedGuest);
        },
        async clusterTasks() {
            return objects((await get('/cluster/tasks')).data)
                .map((t) => mapTask(t, ''))
                .filter((t) => t.upid !== '' && t.node !== '');
        },
        async taskPage(node, query = {}) {
            const q = { typefilter: 'vzdump', source: 'all', ...query };
            const r = await get(`/nodes/${seg(node)}/tasks`, q);
            const page: TaskPage = { items: objects(r.data).map((t) => mapTask(t, node)) };
            put(page, 'total', r.total);
            return page;
        },
        async tasks(node, query = {}) {
            const limit = query.limit ?? 500;
            const seen = new Map<string, ApiTask>();
            for (let start = 0; ; start += limit) {
                const page = await client.taskPage(node, { ...query, start, limit });
                // A task started between two pages shifts the list; the map drops the duplicate.
                for (const t of page.items) seen.set(t.upid, t);
                // PVE omits `total` when it is 0.
                if (page.items.length < limit || start + page.items.length >= (page.total ?? 0)) break;
            }
            return [...seen.values()];
        },
        async taskLog(node, upid) {
            return linesOf({ data: (await get(`/nodes/${seg(node)}/tasks/${seg(upid)}/log`, { limit: 0 })).data });
        },
        async taskLogText(node, upid) {
            const pieces: string[] = [];
            await client.taskLogPieces(node, upid, (piece) => pieces.push(piece));
            return pieces.join('');
        },
        async taskLogPieces(node, upid, sink) {
            if (download) {
                try {
                    const r = await transport.request('GET', `/nodes/${seg(node)}/tasks/${seg(upid)}/log`, {
                        query: { download: 1 },
                        text: true,
                        onFile: (bytes) => eachPiece(bytes, sink),
                    });
                    // A server that ignores `download` answers the usual envelope: never parse that as log text.
                    if (typeof r.data === 'string') for (const l of linesOf(JSON.parse(r.data) as unknown)) sink(`${l.t}\n`);
                    return;
                } catch (err) {
                    // PVE before 7.3 answers 400 "Parameter verification failed" for `download`.
                    if (!(err instanceof PveApiError && err.status === 400)) throw err;
                    download = false;
                }
            }
            for (const l of await client.taskLog(node, upid)) sink(`${l.t}\n`);
        },
        async taskStatus(node, upid) {
            const d = (await get(`/nodes/${seg(node)}/tasks/${seg(upid)}/status`)).data;
            const o = isObject(d) ? d : {};
            const out: ApiTaskStatus = { status: str(o.status) === 'running' ? 'running' : 'stopped' };
            put(out, 'exitstatus', str(o.exitstatus));
            put(out, 'starttime', num(o.starttime));
            return out;
        },
        async nodeStorages(node) {
            return objects((await get(`/nodes/${seg(node)}/storage`)).data).map(mapStorageStatus);
        },
        async storageBackups(node, storage) {
            let out: ApiBackup[] = [];
            await client.eachStorageBackup(node, storage, () => {
                out = [];
                return (b) => out.push(b);
            });
            return out;
        },
        async eachStorageBackup(node, storage, start) {
            await transport.request('GET', `/nodes/${seg(node)}/storage/${seg(storage)}/content`, {
                query: { content: 'backup' },
                timeoutMs: BACKUP_LIST_TIMEOUT_MS,
                eachItem: () => {
                    const sink = start();
                    return (e) => {
                        if (isObject(e)) sink(mapBackup(e));
                    };
                },
            });
        },
        async storageConfig(storage) {
            const d = (await get(`/storage/${seg(storage)}`)).data;
            return mapStorageConfig(isObject(d) ? d : {}, storage);
        },
        async storageConfigs() {
            return objects((await get('/storage')).data)
                .map((o) => mapStorageConfig(o, ''))
                .filter((c) => c.storage !== '');
        },
        async scheduleAnalyze(schedule, starttime, iterations = 10) {
            const d = (await get('/cluster/jobs/schedule-analyze', { schedule, starttime, iterations })).data;
            return objects(d)
                .map((e) => num(e.timestamp))
                .filter((t): t is number => t !== undefined);
        },
        async permissions(path) {
            const d = (await get('/access/permissions', path === undefined ? {} : { path })).data;
            const out: Record<string, Record<string, boolean>> = {};
            if (!isObject(d)) return out;
            for (const [p, privs] of Object.entries(d)) {
                if (!isObject(privs)) continue;
                out[p] = Object.fromEntries(Object.entries(privs).map(([k, v]) => [k, bool(v) ?? false]));
            }
            return out;
        },
        async verifyTicket(username, ticket, path, privs) {
            const form = { username, password: ticket, path, privs };
            const d = (await transport.request('POST', '/access/ticket', { form, anonymous: true })).data;
            return { username: (isObject(d) ? str(d.username) : undefined) ?? username };
        },
    };
    return client;
}
