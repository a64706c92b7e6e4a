// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One simulated node's own files, written below a root directory as they lie on a PVE host
 * (pve-platform.md §4): pmxcfs status files and job configuration, the job state files, the task
 * index and task logs, and the per-guest vzdump logs — as of a clock time. Lets tests and the
 * bench run the local sources on exactly the history the API simulator serves.
 *
 *     writeHostRoot(sim.world, 'pve1', dir, sim.clock.now());
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jobIds, vzdumpCron } from './legacy-cron.ts';
import { createLocalTime } from './local-time.ts';
import type { SimJobSpec } from './spec.ts';
import { type SimTask, type World, jobEnabledAt, jobToggledAt, nodeDownAt, taskLines } from './world.ts';

export interface HostRootOptions {
    /** Which parts to write; default all. */
    parts?: ReadonlyArray<'config' | 'job-states' | 'tasks' | 'guest-logs'>;
    /** Only tasks started at or after this time go into the task index and logs. */
    tasksSince?: number;
}

export interface HostRootInfo {
    /** Task log files written (relative to the root). */
    taskLogs: string[];
    guestLogs: string[];
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

function put(root: string, path: string, text: string): void {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
}

function jobsCfg(jobs: readonly SimJobSpec[], t: number): string {
    const sections = jobs
        .filter((j) => !j.legacy)
        .map((j) => {
            const lines = [`vzdump: ${j.id}`];
            if (j.comment) lines.push(`\tcomment ${j.comment.replace(/%/g, '%25').replace(/:/g, '%3A')}`);
            lines.push(`\tschedule ${j.schedule}`);
            const opts: Record<string, string> = { enabled: jobEnabledAt(j, t) ? '1' : '0', mode: j.mode ?? 'snapshot', storage: j.storage, 'repeat-missed': j.repeatMissed ? '1' : '0' };
            if (j.all) opts.all = '1';
            if (j.vmids?.length) opts.vmid = j.vmids.join(',');
            if (j.exclude?.length) opts.exclude = j.exclude.join(',');
            if (j.pool) opts.pool = j.pool;
            if (j.node) opts.node = j.node;
            if (j.prune) opts['prune-backups'] = j.prune;
            for (const k of Object.keys(opts).sort()) lines.push(`\t${k} ${opts[k]}`);
            return `${lines.join('\n')}\n`;
        });
    return sections.join('\n');
}

function config(world: World, node: string, t: number, root: string): void {
    const { spec } = world;
    const me = spec.nodes.find((n) => n.name === node);
    const nodelist = Object.fromEntries(spec.nodes.map((n, i) => [n.name, { id: i + 1, online: nodeDownAt(n, t) ? 0 : 1, ip: n.ip ?? `192.168.100.${11 + i}` }]));
    const members: Record<string, unknown> = { nodename: node, version: 12 };
    if (spec.cluster) Object.assign(members, { cluster: { name: spec.cluster, version: 3, nodes: spec.nodes.length, quorate: 1 }, nodelist });
    put(root, 'etc/pve/.members', `${JSON.stringify(members, null, 1)}\n`);
    put(root, 'etc/timezone', `${me?.timeZone ?? 'UTC'}\n`);
    const ids = Object.fromEntries(spec.guests.map((g) => [String(g.vmid), { node: g.node, type: g.type, version: 1 }]));
    put(root, 'etc/pve/.vmlist', `${JSON.stringify({ version: 1, ids }, null, 1)}\n`);
    for (const g of spec.guests) {
        const lines = [g.type === 'qemu' ? `name: ${g.name}` : `hostname: ${g.name}`];
        if (g.tags?.length) lines.push(`tags: ${g.tags.join(';')}`);
        if (g.template) lines.push('template: 1');
        put(root, `etc/pve/nodes/${g.node}/${g.type === 'qemu' ? 'qemu-server' : 'lxc'}/${g.vmid}.conf`, `${lines.join('\n')}\n`);
    }
    put(root, 'etc/pve/jobs.cfg', jobsCfg(spec.jobs, t));
    put(root, 'etc/pve/vzdump.cron', vzdumpCron(spec.jobs.filter((j) => j.legacy)));
}

/** `/var/lib/pve-manager/jobs/vzdump-<id>.json`: the node's last run of each jobs.cfg job. */
function jobStates(world: World, node: string, t: number, root: string): void {
    const ids = jobIds(world.spec.jobs);
    for (const job of world.spec.jobs) {
        if (job.legacy || (job.node !== undefined && job.node !== node)) continue;
        const last = [...world.tasks].reverse().find((x) => x.node === node && x.jobId === job.id && x.start <= t);
        const state: Record<string, unknown> = { state: 'created' };
        if (last) {
            const running = last.end > t;
            Object.assign(state, { state: running ? 'started' : 'stopped', time: last.start, upid: last.upid });
            if (!running) state.msg = last.status;
        }
        const updated = jobToggledAt(job, t);
        if (updated !== undefined) state.updated = updated;
        state.config = { enabled: jobEnabledAt(job, t) ? 1 : 0, schedule: job.schedule };
        put(root, `var/lib/pve-manager/jobs/vzdump-${ids.get(job) ?? job.id}.json`, `${JSON.stringify(state)}\n`);
    }
}

function tasks(world: World, node: string, t: number, since: number, root: string, info: HostRootInfo): void {
    const mine = world.tasks.filter((x) => x.node === node && x.start <= t && x.start >= since);
    const finished = mine.filter((x) => x.end <= t).sort((a, b) => a.end - b.end);
    const running = mine.filter((x) => x.end > t);
    const index = finished.map((x) => `${x.upid} ${hex(x.end)} ${x.status}\n`).join('');
    put(root, 'var/log/pve/tasks/index', index);
    const active = [...running.map((x) => `${x.upid} 0\n`), ...finished.slice(-25).map((x) => `${x.upid} 1 ${hex(x.end)} ${x.status}\n`)];
    put(root, 'var/log/pve/tasks/active', active.join(''));
    for (const x of mine) {
        const rel = `var/log/pve/tasks/${hex(x.start).slice(-1)}/${x.upid}`;
        put(root, rel, taskLines(x, t).map((l) => `${l.text}\n`).join(''));
        info.taskLogs.push(rel);
    }
}

const NOT_IN_GUEST_LOG = /^INFO: (Backup started at|Backup finished at|Failed at) /;

/** `/var/log/vzdump/<type>-<vmid>.log`: each guest's latest run, with local time stamps. */
function guestLogs(world: World, node: string, t: number, root: string, info: HostRootInfo): void {
    const tz = world.spec.nodes.find((n) => n.name === node)?.timeZone ?? 'UTC';
    const lt = createLocalTime();
    const latest = new Map<number, SimTask>();
    for (const x of world.tasks) {
        if (x.node !== node || x.start > t) continue;
        for (const r of x.results) if (r.start <= t) latest.set(r.vmid, x);
    }
    for (const [vmid, task] of latest) {
        const r = task.results.find((x) => x.vmid === vmid);
        if (!r) continue;
        const lines = taskLines(task, t);
        const first = lines.findIndex((l) => l.text === `INFO: Starting Backup of VM ${vmid} (${r.type})`);
        if (first < 0) continue;
        const out: string[] = [];
        for (const l of lines.slice(first)) {
            if (!NOT_IN_GUEST_LOG.test(l.text)) out.push(`${lt.stamp(l.at, tz)} ${l.text}\n`);
            if (l.text.startsWith(`INFO: Finished Backup of VM ${vmid} `) || l.text.startsWith(`ERROR: Backup of VM ${vmid} failed`)) break;
        }
        const rel = `var/log/vzdump/${r.type}-${vmid}.log`;
        put(root, rel, out.join(''));
        info.guestLogs.push(rel);
    }
}

export function writeHostRoot(world: World, node: string, root: string, t: number, options: HostRootOptions = {}): HostRootInfo {
    if (!world.spec.nodes.some((n) => n.name === node)) throw new Error(`simulator: no node '${node}'`);
    const parts = new Set(options.parts ?? ['config', 'job-states', 'tasks', 'guest-logs']);
    const info: HostRootInfo = { taskLogs: [], guestLogs: [] };
    if (parts.has('config')) config(world, node, t, root);
    if (parts.has('job-states')) jobStates(world, node, t, root);
    if (parts.has('tasks')) tasks(world, node, t, options.tasksSince ?? world.historyFrom, root, info);
    if (parts.has('guest-logs')) guestLogs(world, node, t, root, info);
    return info;
}
