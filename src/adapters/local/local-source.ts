// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Local PVE host files as a snapshot source: the fallback when the API is unreachable, and the
 * enrichment (job states) an API snapshot gets on the host. All paths are read below `rootDir`.
 *
 *     const source = createLocalSnapshotSource({ rootDir: '/', cache });
 *     const extra = await readLocalEnrichment({ rootDir: '/' });
 *     snapshot = enrichWithLocal(snapshot, extra);   // src/domain/snapshot/merge.ts
 */

import { createHash } from 'node:crypto';
import type { BackupJob, ClusterSnapshot, Guest, NodeInfo, SourceError } from '../../domain/model.ts';
import { parseJobsCfg } from '../../domain/pve/jobs-cfg.ts';
import { parseVzdumpCron } from '../../domain/pve/vzdump-cron.ts';
import type { LocalEnrichment } from '../../domain/snapshot/merge.ts';
import type { CollectOptions, SnapshotSource, TaskLogCache } from '../../ports.ts';
import { type Members, guestConfigPath, parseGuestConfig, parseMembers, parseVmlist, readTimeZone } from './cluster-files.ts';
import { type HostFiles, createHostFiles } from './host-files.ts';
import { readJobStates, readLocalTasks } from './local-tasks.ts';

export interface LocalSourceOptions {
    /** Root prefix of the host file system. Default `/`. */
    rootDir?: string;
    /** Default: `nodename` of `/etc/pve/.members`, else `/etc/hostname`. */
    nodeName?: string;
    cache?: TaskLogCache;
    remote?: string;
}

async function localMembers(files: HostFiles, nodeName: string | undefined, errors: SourceError[]): Promise<Members> {
    const r = await files.read('/etc/pve/.members');
    if (r.kind === 'ok') {
        const m = parseMembers(r.text);
        if (typeof m !== 'string') return nodeName ? { ...m, localNode: nodeName } : m;
        errors.push({ what: '/etc/pve/.members', message: m });
    } else if (r.kind === 'error') errors.push({ what: '/etc/pve/.members', message: r.message });
    const host = await files.read('/etc/hostname');
    const name = nodeName ?? (host.kind === 'ok' ? (host.text.trim().split('.')[0] ?? '') : '');
    if (!name) throw new Error(`cannot tell the local node name: neither ${files.resolve('/etc/pve/.members')} nor /etc/hostname is readable`);
    return { localNode: name, nodes: [{ name, online: true }] };
}

async function readJobs(files: HostFiles, errors: SourceError[]): Promise<BackupJob[]> {
    const jobs: BackupJob[] = [];
    // Same order as GET /cluster/backup: legacy cron jobs first.
    const cron = await files.read('/etc/pve/vzdump.cron');
    if (cron.kind === 'ok') {
        const sha1 = createHash('sha1').update(cron.text).digest('hex');
        const parsed = parseVzdumpCron(cron.text, sha1);
        jobs.push(...parsed.jobs);
        for (const e of parsed.errors) errors.push({ what: '/etc/pve/vzdump.cron', message: `line ${e.line}: ${e.message}` });
    } else if (cron.kind === 'error') errors.push({ what: '/etc/pve/vzdump.cron', message: cron.message });
    const cfg = await files.read('/etc/pve/jobs.cfg');
    if (cfg.kind === 'ok') {
        const parsed = parseJobsCfg(cfg.text);
        jobs.push(...parsed.jobs);
        for (const e of parsed.errors) errors.push({ what: '/etc/pve/jobs.cfg', message: `line ${e.line}: ${e.message}` });
    } else if (cfg.kind === 'error') errors.push({ what: '/etc/pve/jobs.cfg', message: cfg.message });
    return jobs;
}

async function readGuests(files: HostFiles, remote: string | undefined, errors: SourceError[]): Promise<Guest[]> {
    const r = await files.read('/etc/pve/.vmlist');
    if (r.kind !== 'ok') {
        if (r.kind === 'error') errors.push({ what: '/etc/pve/.vmlist', message: r.message });
        return [];
    }
    const list = parseVmlist(r.text);
    if (typeof list === 'string') {
        errors.push({ what: '/etc/pve/.vmlist', message: list });
        return [];
    }
    return Promise.all(
        list.map(async (e) => {
            const conf = await files.read(guestConfigPath(e));
            const c = conf.kind === 'ok' ? parseGuestConfig(conf.text) : { template: false, tags: [] };
            const g: Guest = { vmid: e.vmid, type: e.type, name: c.name ?? `${e.type === 'qemu' ? 'VM' : 'CT'} ${e.vmid}`, node: e.node, template: c.template, tags: c.tags };
            if (c.lock !== undefined) g.lock = c.lock;
            if (remote !== undefined) g.remote = remote;
            return g;
        }),
    );
}

export function createLocalSnapshotSource(options: LocalSourceOptions = {}): SnapshotSource {
    const files = createHostFiles(options.rootDir ?? '/');
    return {
        describe: `local files (${files.resolve('/')})`,
        async collect(o: CollectOptions): Promise<ClusterSnapshot> {
            const errors: SourceError[] = [];
            const members = await localMembers(files, options.nodeName, errors);
            const local = members.localNode;
            const zoneErrors: SourceError[] = [];
            const timeZone = await readTimeZone(files, zoneErrors);
            errors.push(...zoneErrors);
            const [jobs, guests, jobStates, history] = await Promise.all([
                readJobs(files, errors),
                readGuests(files, options.remote, errors),
                readJobStates(files, local, errors),
                readLocalTasks(files, local, o.historyFrom, options.cache, errors, zoneErrors.length === 0 ? timeZone : undefined),
            ]);
            const nodes: NodeInfo[] = members.nodes.map((n) => {
                const info: NodeInfo = { name: n.name, online: n.online, timeZone };
                // Other nodes' task history lives on those nodes: without the API it is unknown.
                if (n.name !== local) info.unreachable = `only ${local}'s own files are readable without the API`;
                return info;
            });
            const others = nodes.filter((n) => n.unreachable).map((n) => n.name);
            if (others.length > 0) errors.push({ what: 'local files', message: `task history of ${others.join(', ')} unknown without the API; time zone of ${local} assumed for all nodes` });
            const snapshot: ClusterSnapshot = {
                version: 1,
                collectedAt: o.now,
                nodes,
                guests,
                jobs,
                jobStates,
                tasks: history.tasks,
                backups: [],
                storages: [],
                historyFrom: Math.max(o.historyFrom, history.oldest ?? o.historyFrom),
                sourceErrors: errors,
            };
            if (members.cluster) snapshot.cluster = members.cluster;
            if (options.remote !== undefined) snapshot.remote = options.remote;
            return snapshot;
        },
    };
}

export interface LocalEnrichmentOptions {
    rootDir?: string;
    nodeName?: string;
    /** Also read this node's task history (index files and logs) since this time. */
    tasksSince?: number;
    /** Of that history, read only these tasks' logs (default all). */
    wantLog?: (upid: string) => boolean;
    cache?: TaskLogCache;
}

/** Job states (and optionally task history) of the local node, for `enrichWithLocal`. */
export async function readLocalEnrichment(options: LocalEnrichmentOptions = {}): Promise<LocalEnrichment> {
    const files = createHostFiles(options.rootDir ?? '/');
    const sourceErrors: SourceError[] = [];
    const node = (await localMembers(files, options.nodeName, sourceErrors)).localNode;
    const out: LocalEnrichment = { node, jobStates: await readJobStates(files, node, sourceErrors), sourceErrors };
    if (options.tasksSince !== undefined) out.tasks = (await readLocalTasks(files, node, options.tasksSince, options.cache, sourceErrors, undefined, options.wantLog)).tasks;
    return out;
}
