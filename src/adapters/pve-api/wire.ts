// SPDX-License-Identifier: AGPL-3.0-or-later
/** PVE's wire format → the client's types: kebab-case to camelCase, every field read defensively. */

import { parsePruneOptions } from '../../domain/pve/prune-options.ts';
import { type Json, bool, contentList, isObject, num, objects, put, str, tagList, vmidList } from './coerce.ts';
import type { ApiBackup, ApiBackupJob, ApiClusterStatus, ApiIncludedGuest, ApiStorageStatus, ApiTask, ApiVmResource } from './types.ts';

export function mapClusterStatus(data: unknown): ApiClusterStatus {
    const out: ApiClusterStatus = { nodes: [] };
    for (const e of objects(data)) {
        if (e.type === 'cluster') {
            const c: NonNullable<ApiClusterStatus['cluster']> = { name: str(e.name) ?? '', quorate: bool(e.quorate) ?? false };
            put(c, 'nodes', num(e.nodes));
            put(c, 'version', num(e.version));
            out.cluster = c;
        } else if (e.type === 'node') {
            const name = str(e.name);
            if (!name) continue;
            const n: ApiClusterStatus['nodes'][number] = { name, online: bool(e.online) ?? false, local: bool(e.local) ?? false };
            put(n, 'nodeid', num(e.nodeid));
            put(n, 'ip', str(e.ip));
            out.nodes.push(n);
        }
    }
    return out;
}

export function mapVmResource(e: Json): ApiVmResource | undefined {
    const type = str(e.type);
    const vmid = num(e.vmid) ?? num(str(e.id)?.split('/')[1]);
    const node = str(e.node);
    if ((type !== 'qemu' && type !== 'lxc') || vmid === undefined || !node) return undefined;
    const r: ApiVmResource = { vmid, type, node, template: bool(e.template) ?? false, tags: tagList(e.tags) };
    put(r, 'name', str(e.name));
    put(r, 'status', str(e.status));
    put(r, 'pool', str(e.pool) || undefined);
    put(r, 'lock', str(e.lock) || undefined);
    return r;
}

function rawOptions(e: Json): Record<string, string> {
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(e)) {
        if (v === null || v === undefined) continue;
        if (isObject(v)) {
            raw[k] = Object.entries(v)
                .map(([a, b]) => `${a}=${str(b) ?? ''}`)
                .join(',');
        } else if (Array.isArray(v)) raw[k] = v.map((x) => str(x) ?? '').join(',');
        else raw[k] = str(v) ?? '';
    }
    return raw;
}

export function mapBackupJob(e: Json): ApiBackupJob {
    const exclude = vmidList(e.exclude);
    const job: ApiBackupJob = {
        id: str(e.id) ?? '',
        enabled: bool(e.enabled) ?? true,
        repeatMissed: bool(e['repeat-missed']) ?? false,
        vmids: vmidList(e.vmid),
        // `exclude` implies `all` (pve-platform.md §3.1).
        all: (bool(e.all) ?? false) || exclude.length > 0,
        exclude,
        raw: rawOptions(e),
    };
    put(job, 'type', str(e.type));
    put(job, 'schedule', str(e.schedule));
    put(job, 'comment', str(e.comment));
    put(job, 'nextRun', num(e['next-run']));
    put(job, 'pool', str(e.pool) || undefined);
    put(job, 'node', str(e.node) || undefined);
    put(job, 'storage', str(e.storage) || undefined);
    put(job, 'prune', parsePruneOptions(e['prune-backups']).prune ?? undefined);
    return job;
}

export function mapIncludedGuest(e: Json): ApiIncludedGuest {
    const t = str(e.type);
    const g: ApiIncludedGuest = {
        vmid: num(e.id) ?? 0,
        type: t === 'qemu' || t === 'lxc' ? t : 'unknown',
        volumes: objects(e.children).map((v) => {
            const vol: ApiIncludedGuest['volumes'][number] = { id: str(v.id) ?? '', volid: str(v.name) ?? '', included: bool(v.included) ?? false };
            put(vol, 'reason', str(v.reason));
            return vol;
        }),
    };
    put(g, 'name', str(e.name));
    return g;
}

export function mapTask(e: Json, node: string): ApiTask {
    const user = str(e.user) ?? '';
    const tokenid = str(e.tokenid);
    const t: ApiTask = {
        upid: str(e.upid) ?? '',
        node: str(e.node) ?? node,
        starttime: num(e.starttime) ?? 0,
        type: str(e.type) ?? '',
        id: str(e.id) ?? '',
        user: tokenid && !user.includes('!') ? `${user}!${tokenid}` : user,
    };
    put(t, 'endtime', num(e.endtime));
    put(t, 'status', str(e.status));
    return t;
}

export function mapStorageStatus(e: Json): ApiStorageStatus {
    const s: ApiStorageStatus = {
        storage: str(e.storage) ?? '',
        type: str(e.type) ?? '',
        content: contentList(e.content),
        enabled: bool(e.enabled) ?? true,
        active: bool(e.active) ?? false,
        shared: bool(e.shared) ?? false,
    };
    put(s, 'total', num(e.total));
    put(s, 'used', num(e.used));
    put(s, 'avail', num(e.avail));
    return s;
}

export function mapBackup(e: Json): ApiBackup {
    const b: ApiBackup = {
        volid: str(e.volid) ?? '',
        vmid: num(e.vmid) ?? 0,
        ctime: num(e.ctime) ?? 0,
        protected: bool(e.protected) ?? false,
        // PBS gives the key fingerprint, file storages `1`.
        encrypted: e.encrypted !== undefined && e.encrypted !== null && e.encrypted !== 0 && e.encrypted !== '0' && e.encrypted !== '',
    };
    put(b, 'format', str(e.format));
    put(b, 'size', num(e.size));
    put(b, 'notes', str(e.notes));
    put(b, 'subtype', str(e.subtype));
    if (isObject(e.verification)) {
        const v: NonNullable<ApiBackup['verification']> = { state: str(e.verification.state) ?? 'unknown' };
        put(v, 'upid', str(e.verification.upid));
        b.verification = v;
    }
    return b;
}
