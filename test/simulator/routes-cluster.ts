// SPDX-License-Identifier: AGPL-3.0-or-later
/** Cluster-wide endpoints of the simulator: status, resources, backup jobs, schedule analysis, recent tasks. */

import { hasPriv, permissionMessage, tokenUser } from './auth.ts';
import { nextTimes } from './calendar.ts';
import { isShared } from './generate.ts';
import { jobIds } from './legacy-cron.ts';
import { perlGmtime } from './local-time.ts';
import { taskItem } from './routes-nodes.ts';
import { type Caller, GiB, type Query, type Route, type SimState, apiNode, fail, nodeOnline, ok, route } from './state.ts';
import { type SimTask, jobGuests, taskRunning } from './world.ts';

function needs(caller: Caller | undefined, path: string, priv: string) {
    return caller && !hasPriv(caller.token.acl, path, priv) ? fail(403, permissionMessage(path, priv)) : undefined;
}

const b = (v: boolean | undefined) => (v ? 1 : 0);

function clusterStatus(s: SimState, _p: Query, _q: Query, caller: Caller | undefined) {
    const denied = needs(caller, '/', 'Sys.Audit');
    if (denied) return denied;
    const { spec } = s.world;
    const online = spec.nodes.map((n) => nodeOnline(s, n));
    const out: unknown[] = [];
    if (spec.cluster) {
        const quorate = online.filter(Boolean).length * 2 > spec.nodes.length;
        out.push({ type: 'cluster', id: 'cluster', name: spec.cluster, nodes: spec.nodes.length, quorate: b(quorate), version: 7 });
    }
    spec.nodes.forEach((n, i) => {
        const ip = n.ip ?? `192.168.100.${11 + i}`;
        out.push({ type: 'node', id: `node/${n.name}`, name: n.name, online: b(online[i]), local: b(i === 0), nodeid: i + 1, ip, level: '' });
    });
    return ok(out);
}

function resources(s: SimState, _p: Query, q: Query, caller: Caller | undefined) {
    const { spec } = s.world;
    const t = s.clock.now();
    const acl = caller?.token.acl ?? [];
    const out: unknown[] = [];
    const want = (type: string) => q.type === undefined || q.type === type;
    if (want('node')) {
        for (const n of spec.nodes) {
            if (!hasPriv(acl, `/nodes/${n.name}`, 'Sys.Audit')) continue;
            out.push({ id: `node/${n.name}`, type: 'node', node: n.name, status: nodeOnline(s, n) ? 'online' : 'offline', level: '' });
        }
    }
    if (want('vm')) {
        const busy = new Set<number>();
        for (const task of s.world.tasks) {
            if (!taskRunning(task, t)) continue;
            for (const r of task.results) if (r.start <= t && r.end > t) busy.add(r.vmid);
        }
        for (const g of spec.guests) {
            if (!hasPriv(acl, `/vms/${g.vmid}`, 'VM.Audit')) continue;
            const node = spec.nodes.find((n) => n.name === g.node);
            const up = node !== undefined && nodeOnline(s, node);
            const size = (s.world.guestSize.get(g.vmid) ?? 8) * GiB;
            const e: Record<string, unknown> = {
                id: `${g.type}/${g.vmid}`,
                type: g.type,
                vmid: g.vmid,
                name: g.name,
                node: g.node,
                status: up ? (g.status ?? 'running') : 'unknown',
                template: b(g.template),
                maxdisk: size,
                disk: 0,
                maxmem: 4 * GiB,
                maxcpu: 2,
            };
            if (g.tags?.length) e.tags = g.tags.join(';');
            if (g.pool) e.pool = g.pool;
            if (busy.has(g.vmid)) e.lock = 'backup';
            out.push(e);
        }
    }
    if (want('storage')) {
        for (const n of spec.nodes) {
            for (const st of spec.storages) {
                if (!hasPriv(acl, `/storage/${st.id}`, 'Datastore.Audit')) continue;
                const e = { id: `storage/${n.name}/${st.id}`, type: 'storage', storage: st.id, node: n.name, plugintype: st.type };
                out.push({ ...e, status: nodeOnline(s, n) ? 'available' : 'unknown', content: (st.content ?? ['backup']).join(','), shared: b(isShared(st)), maxdisk: st.totalGiB * GiB, disk: (st.usedGiB ?? 0) * GiB });
            }
        }
    }
    return ok(out);
}

function backupJobs(s: SimState, _p: Query, _q: Query, caller: Caller | undefined) {
    const denied = needs(caller, '/', 'Sys.Audit');
    if (denied) return denied;
    const jobs = s.world.spec.jobs;
    const ids = jobIds(jobs);
    const tz = apiNode(s).timeZone;
    const out = [...jobs.filter((j) => j.legacy), ...jobs.filter((j) => !j.legacy)].map((j) => {
        const e: Record<string, unknown> = { id: ids.get(j), schedule: j.schedule, enabled: b(j.enabled !== false), storage: j.storage, mode: j.mode ?? 'snapshot' };
        if (j.all) e.all = 1;
        if (j.vmids?.length) e.vmid = j.vmids.join(',');
        if (j.exclude?.length) e.exclude = j.exclude.join(',');
        if (j.pool) e.pool = j.pool;
        if (j.node) e.node = j.node;
        if (j.legacy) {
            e.quiet = 1;
            return e;
        }
        Object.assign(e, { type: 'vzdump', compress: 'zstd', 'repeat-missed': b(j.repeatMissed), 'notes-template': '{{guestname}}', fleecing: { enabled: '0' } });
        if (j.comment) e.comment = j.comment;
        if (j.prune) e['prune-backups'] = Object.fromEntries(j.prune.split(',').map((kv) => kv.split('=') as [string, string]));
        const next = nextTimes(j.schedule, s.clock.now(), tz, 1)[0];
        if (next !== undefined) e['next-run'] = next;
        return e;
    });
    return ok(out);
}

function includedVolumes(s: SimState, p: Query, _q: Query, caller: Caller | undefined) {
    const denied = needs(caller, '/', 'Sys.Audit');
    if (denied) return denied;
    const ids = jobIds(s.world.spec.jobs);
    const job = s.world.spec.jobs.find((j) => ids.get(j) === p.id);
    if (!job) return fail(500, `job '${p.id}' does not exist`);
    const guests = jobGuests(job, s.world.spec.guests);
    const children: unknown[] = guests.map((g) => ({
        id: g.vmid,
        name: g.name,
        type: g.type,
        leaf: 0,
        children: [{ id: `${g.vmid}:${g.type === 'qemu' ? 'scsi0' : 'rootfs'}`, name: `local-lvm:vm-${g.vmid}-disk-0`, included: 1, reason: g.type === 'qemu' ? 'backup=yes' : 'rootfs', leaf: 1 }],
    }));
    for (const id of job.vmids ?? []) {
        if (!guests.some((g) => g.vmid === id)) children.push({ id, type: 'unknown', leaf: 1 });
    }
    return ok({ children });
}

function scheduleAnalyze(s: SimState, shift: () => number) {
    return (_s: SimState, _p: Query, q: Query) => {
        if (!q.schedule) return { status: 400, reason: 'Parameter verification failed.', data: null };
        const iterations = Math.min(100, Math.max(1, Number(q.iterations ?? 10)));
        const start = q.starttime === undefined ? s.clock.now() : Number(q.starttime);
        let times: number[];
        try {
            times = nextTimes(q.schedule, start, apiNode(s).timeZone, iterations);
        } catch (err) {
            return { status: 400, reason: 'Parameter verification failed.', data: null, errors: { schedule: String(err) } };
        }
        return ok(times.map((t) => ({ timestamp: t + shift(), utc: perlGmtime(t + shift()) })));
    };
}

/** Finished tasks each node keeps in its pmxcfs tasklist besides the running ones (pve-platform.md §3.6). */
export const CLUSTER_TASKLIST_FINISHED = 25;

/**
 * `GET /cluster/tasks`: any user; the tasklist of every node (kept in pmxcfs, so an offline node's
 * last list too), newest first. Without Sys.Audit on `/` a caller sees only its own user's tasks.
 * Running entries carry neither status nor endtime.
 */
function clusterTasks(s: SimState, _p: Query, _q: Query, caller: Caller | undefined) {
    const t = s.clock.now();
    const all = caller === undefined || hasPriv(caller.token.acl, '/', 'Sys.Audit');
    const out: SimTask[] = [];
    for (const n of s.world.spec.nodes) {
        const mine = s.world.tasks.filter((x) => x.node === n.name && x.start <= t);
        const finished = mine
            .filter((x) => !taskRunning(x, t))
            .sort((a, b) => b.end - a.end)
            .slice(0, CLUSTER_TASKLIST_FINISHED);
        out.push(...mine.filter((x) => taskRunning(x, t)), ...finished);
    }
    const visible = out.filter((x) => all || tokenUser(x.user) === tokenUser(caller?.token.id ?? ''));
    visible.sort((a, b) => b.start - a.start || a.upid.localeCompare(b.upid));
    return ok(
        visible.map((x) => {
            const e = taskItem(x, t);
            if (taskRunning(x, t)) delete e.status;
            return e;
        }),
    );
}

export function clusterRoutes(s: SimState, shift: () => number): Route[] {
    return [
        route('GET', '/version', () => ok({ version: '9.0.11', release: '9.0', repoid: '3bf5476b8a4699e2' })),
        route('GET', '/cluster/status', clusterStatus),
        route('GET', '/cluster/resources', resources),
        route('GET', '/cluster/backup', backupJobs),
        route('GET', '/cluster/backup/{id}/included_volumes', includedVolumes),
        route('GET', '/cluster/jobs/schedule-analyze', scheduleAnalyze(s, shift)),
        route('GET', '/cluster/tasks', clusterTasks),
    ];
}
