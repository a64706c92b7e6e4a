// SPDX-License-Identifier: AGPL-3.0-or-later
/** Node endpoints of the simulator (proxied to the node: 595 while it is offline). */

import { hasPriv, permissionMessage, tokenUser } from './auth.ts';
import { isShared } from './generate.ts';
import { createLocalTime } from './local-time.ts';
import type { SimStorageSpec } from './spec.ts';
import { type Caller, GiB, type Query, type Route, type SimState, fail, findNode, ok, route } from './state.ts';
import { type SimTask, backupVisible, taskLines, taskRunning } from './world.ts';

function nodeTime(s: SimState, p: Query) {
    const tz = findNode(s, p.node as string)?.timeZone ?? 'UTC';
    const t = s.clock.now();
    return ok({ timezone: tz, time: t, localtime: t + createLocalTime().offset(t, tz) });
}

function guestList(type: 'qemu' | 'lxc') {
    return (s: SimState, p: Query) =>
        ok(
            s.world.spec.guests
                .filter((g) => g.node === p.node && g.type === type)
                // PVE's LXC list gives the vmid as a string, QEMU's as a number.
                .map((g) => ({ vmid: type === 'lxc' ? String(g.vmid) : g.vmid, name: g.name, status: g.status ?? 'running', template: g.template ? 1 : 0 })),
        );
}

export function taskItem(task: SimTask, t: number): Record<string, unknown> {
    const e: Record<string, unknown> = {
        upid: task.upid,
        node: task.node,
        pid: task.pid,
        pstart: task.pstart,
        starttime: task.start,
        type: 'vzdump',
        id: task.id,
        user: tokenUser(task.user),
    };
    if (task.user.includes('!')) e.tokenid = task.user.split('!')[1];
    if (taskRunning(task, t)) e.status = 'RUNNING';
    else {
        e.endtime = task.end;
        e.status = task.status;
    }
    return e;
}

function statusType(status: string): string {
    if (status === 'OK') return 'ok';
    if (/^WARNINGS: \d+$/.test(status)) return 'warning';
    return status === 'unexpected status' ? 'unknown' : 'error';
}

function tasks(s: SimState, p: Query, q: Query, caller: Caller | undefined) {
    const t = s.clock.now();
    const source = q.source ?? 'archive';
    const start = Number(q.start ?? 0);
    const limit = Number(q.limit ?? 50);
    const since = q.since === undefined ? undefined : Number(q.since);
    const until = q.until === undefined ? undefined : Number(q.until);
    const statuses = q.statusfilter?.split(/[,;\s]+/);
    const all = caller === undefined || hasPriv(caller.token.acl, `/nodes/${p.node}`, 'Sys.Audit');
    const match = (x: SimTask) =>
        x.node === p.node &&
        x.start <= t &&
        (q.typefilter === undefined || q.typefilter === 'vzdump') &&
        (q.vmid === undefined || x.id === q.vmid) &&
        (since === undefined || x.start >= since) &&
        (until === undefined || x.start <= until) &&
        (q.userfilter === undefined || x.user.toLowerCase().includes(q.userfilter.toLowerCase())) &&
        (all || tokenUser(x.user) === tokenUser(caller?.token.id ?? ''));
    const visible = s.world.tasks.filter(match);
    // Active tasks first, then the archive read backwards (newest end first).
    const active = source === 'archive' ? [] : visible.filter((x) => taskRunning(x, t)).sort((a, b) => b.start - a.start);
    const archive = source === 'active' ? [] : visible.filter((x) => !taskRunning(x, t)).sort((a, b) => b.end - a.end);
    let list = [...active, ...archive];
    if (q.errors === '1') list = list.filter((x) => taskRunning(x, t) || x.status !== 'OK');
    if (statuses) list = list.filter((x) => taskRunning(x, t) || statuses.includes(statusType(x.status)));
    const page = limit === 0 ? [] : list.slice(start, start + limit);
    return ok(
        page.map((x) => taskItem(x, t)),
        list.length === 0 ? undefined : list.length,
    );
}

function findTask(s: SimState, p: Query): SimTask | undefined {
    return s.world.tasks.find((x) => x.upid === p.upid && x.node === p.node && x.start <= s.clock.now());
}

function ownerOrAudit(caller: Caller | undefined, task: SimTask, node: string) {
    if (!caller || tokenUser(task.user) === tokenUser(caller.token.id) || hasPriv(caller.token.acl, `/nodes/${node}`, 'Sys.Audit')) return undefined;
    return fail(403, permissionMessage(`/nodes/${node}`, 'Sys.Audit'));
}

function taskLog(s: SimState, p: Query, q: Query, caller: Caller | undefined) {
    const task = findTask(s, p);
    if (!task) return fail(500, `no such task '${p.upid}'`);
    const denied = ownerOrAudit(caller, task, p.node as string);
    if (denied) return denied;
    const lines = taskLines(task, s.clock.now());
    if (q.download === '1' || q.download === 'true') {
        if (q.start !== undefined || q.limit !== undefined) return fail(400, "Parameter verification failed. download: can't be used together with 'start' or 'limit'");
        const iso = new Date(task.start * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return { data: null, file: { text: lines.map((l) => `${l.text}\n`).join(''), name: `task-${task.node}-vzdump-${iso}.log` } };
    }
    if (lines.length === 0) return ok([{ n: 1, t: 'no content' }], 1);
    const start = Number(q.start ?? 0);
    const limit = Number(q.limit ?? 50);
    const slice = limit === 0 ? lines.slice(start) : lines.slice(start, start + limit);
    return ok(
        slice.map((l, i) => ({ n: start + i + 1, t: l.text })),
        lines.length,
    );
}

function taskStatus(s: SimState, p: Query, _q: Query, caller: Caller | undefined) {
    const task = findTask(s, p);
    if (!task) return fail(500, `no such task '${p.upid}'`);
    const denied = ownerOrAudit(caller, task, p.node as string);
    if (denied) return denied;
    const item = taskItem(task, s.clock.now());
    const running = taskRunning(task, s.clock.now());
    const out: Record<string, unknown> = { ...item, status: running ? 'running' : 'stopped' };
    delete out.endtime;
    if (!running) out.exitstatus = task.status;
    return ok(out);
}

function storages(s: SimState, _p: Query, q: Query, caller: Caller | undefined) {
    const out = s.world.spec.storages
        .filter((st) => !caller || hasPriv(caller.token.acl, `/storage/${st.id}`, 'Datastore.Audit'))
        .filter((st) => q.content === undefined || (st.content ?? ['backup']).includes(q.content))
        .filter((st) => q.storage === undefined || st.id === q.storage)
        .map((st) => {
            const total = st.totalGiB * GiB;
            const used = (st.usedGiB ?? st.totalGiB * 0.4) * GiB;
            const e = { storage: st.id, type: st.type, content: (st.content ?? ['backup']).join(','), enabled: st.enabled === false ? 0 : 1 };
            return { ...e, active: 1, shared: isShared(st) ? 1 : 0, total, used, avail: total - used, used_fraction: used / total };
        });
    return ok(out.filter((e) => q.enabled !== '1' || e.enabled === 1));
}

function content(s: SimState, p: Query, q: Query, caller: Caller | undefined) {
    const st = s.world.spec.storages.find((x) => x.id === p.storage);
    if (!st) return fail(500, `storage '${p.storage}' does not exist`);
    const storagePath = `/storage/${st.id}`;
    const can = (path: string, priv: string) => !caller || hasPriv(caller.token.acl, path, priv);
    if (!can(storagePath, 'Datastore.Audit') && !can(storagePath, 'Datastore.AllocateSpace')) return fail(403, permissionMessage(storagePath, 'Datastore.Audit|Datastore.AllocateSpace'));
    const t = s.clock.now();
    if (q.content !== undefined && q.content !== 'backup') return ok([]);
    const names = new Map(s.world.spec.guests.map((g) => [g.vmid, g.name]));
    // pve-storage check_volume_access: a backup volume is listed only with Datastore.Allocate on
    // the storage, or Datastore.AllocateSpace on it plus VM.Backup on the guest. Anyone else gets
    // the list without it: HTTP 200, no error (PVEAuditor sees no backups at all).
    const listed = (vmid: number) => can(storagePath, 'Datastore.Allocate') || (can(storagePath, 'Datastore.AllocateSpace') && can(`/vms/${vmid}`, 'VM.Backup'));
    const items = s.world.backups
        .filter((bk) => bk.storage === st.id && (isShared(st) || bk.node === p.node) && backupVisible(bk, t))
        .filter((bk) => (q.vmid === undefined || String(bk.vmid) === q.vmid) && listed(bk.vmid))
        .map((bk) => {
            const e: Record<string, unknown> = { volid: bk.volid, vmid: bk.vmid, format: bk.format, size: bk.size, ctime: bk.ctime, content: 'backup', subtype: bk.type };
            const name = names.get(bk.vmid);
            if (name) e.notes = name;
            if (bk.protected) e.protected = 1;
            if (bk.verification && bk.verification.time <= t) e.verification = { state: bk.verification.state, upid: bk.verification.upid };
            return e;
        });
    return ok(items);
}

function storageEntry(st: SimStorageSpec): Record<string, unknown> {
    const e: Record<string, unknown> = { storage: st.id, type: st.type, content: (st.content ?? ['backup']).join(','), 'prune-backups': st.prune ?? 'keep-last=7', digest: 'f1e2d3c4b5a69788' };
    if (isShared(st) && st.type !== 'pbs') e.shared = 1;
    if (st.type === 'pbs') Object.assign(e, { server: '192.168.100.50', datastore: 'store1', username: 'backup@pbs' });
    return e;
}

/** `GET /storage/{id}`: PVE (pve-storage API2/Storage/Config.pm) checks Datastore.Allocate here. */
function storageConfig(s: SimState, p: Query, _q: Query, caller: Caller | undefined) {
    const st = s.world.spec.storages.find((x) => x.id === p.storage);
    if (!st) return fail(500, `storage '${p.storage}' does not exist`);
    if (caller && !hasPriv(caller.token.acl, `/storage/${st.id}`, 'Datastore.Allocate')) return fail(403, permissionMessage(`/storage/${st.id}`, 'Datastore.Allocate'));
    return ok(storageEntry(st));
}

/** `GET /storage`: every storage the caller has Datastore.Audit or Datastore.AllocateSpace on. */
function storageIndex(s: SimState, _p: Query, _q: Query, caller: Caller | undefined) {
    const visible = (st: SimStorageSpec) => !caller || ['Datastore.Audit', 'Datastore.AllocateSpace'].some((x) => hasPriv(caller.token.acl, `/storage/${st.id}`, x));
    return ok(s.world.spec.storages.filter(visible).map(storageEntry));
}

export function nodeRoutes(): Route[] {
    const proxied = { proxied: true };
    return [
        route('GET', '/nodes/{node}/time', nodeTime, proxied),
        route('GET', '/nodes/{node}/qemu', guestList('qemu'), proxied),
        route('GET', '/nodes/{node}/lxc', guestList('lxc'), proxied),
        route('GET', '/nodes/{node}/tasks', tasks, proxied),
        route('GET', '/nodes/{node}/tasks/{upid}/log', taskLog, proxied),
        route('GET', '/nodes/{node}/tasks/{upid}/status', taskStatus, proxied),
        route('GET', '/nodes/{node}/storage', storages, proxied),
        route('GET', '/nodes/{node}/storage/{storage}/content', content, proxied),
        route('GET', '/storage', storageIndex),
        route('GET', '/storage/{storage}', storageConfig),
    ];
}
