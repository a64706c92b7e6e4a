// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Turns a scenario spec into a cluster history: every scheduled run placed by the calendar engine
 * in the node's time zone, run under the node lock one after another, with realistic task logs,
 * backups that come and go with retention, and PBS verifications.
 */

import { markPrune, utcTimeParts } from '../../src/domain/pve/prune.ts';
import { parsePruneOptions } from '../../src/domain/pve/prune-options.ts';
import { scheduleTimes } from './calendar.ts';
import { type LocalTime, createLocalTime, hex8 } from './local-time.ts';
import { type GuestOutcome, type GuestPlan, type RunPlan, renderRun } from './logs.ts';
import { type Prng, createPrng } from './prng.ts';
import type { ScenarioSpec, SimGuestSpec, SimJobSpec, SimNodeSpec, SimPlantKind, SimStorageSpec } from './spec.ts';
import { type SimBackup, type SimSlot, type SimTask, type World, jobEnabledAt, jobGuests, nodeDownAt } from './world.ts';

const LOCKWAIT = 180 * 60;
/** A plant applies to the newest slot at least this long before the start time. */
const DUE_MARGIN = 3600;

const ERRORS = [
    (g: SimGuestSpec) => `${g.type === 'qemu' ? 'VM' : 'CT'} is locked (snapshot)`,
    () => "command 'zstd -q --rsyncable --threads=1' failed: exit code 1",
    () => 'got timeout',
];

interface Ctx {
    spec: ScenarioSpec;
    world: World;
    lt: LocalTime;
    prng: Prng;
    plants: Map<number, Set<SimPlantKind>>;
    /** Live backups per `<storage>|<node or *>|<vmid>`, oldest first. */
    chains: Map<string, SimBackup[]>;
    byVolid: Map<string, SimBackup>;
    pids: Map<string, number>;
}

export interface AddRunOptions {
    node: string;
    /** Task start (epoch s). */
    at: number;
    vmids: number[];
    storage: string;
    /** One outcome for all guests, or per VMID; default ok. */
    outcome?: GuestOutcome | Record<number, GuestOutcome>;
    /** Marks it as that job's scheduled run (root@pam, `--quiet 1`). */
    jobId?: string;
    /** Default root@pam; another user makes it a GUI "Run now". */
    user?: string;
    /** A task that wrote nothing (e.g. killed at once): PVE serves `no content`. */
    emptyLog?: boolean;
}

export interface Generated {
    world: World;
    /** Adds a run (e.g. a new failed task) to the history after generation. */
    addRun(options: AddRunOptions): SimTask;
}

export function generateWorld(spec: ScenarioSpec): Generated {
    const historyFrom = spec.start - spec.historyDays * 86400;
    const horizon = spec.start + (spec.futureDays ?? 3) * 86400;
    const world: World = { spec, historyFrom, horizon, tasks: [], slots: [], backups: [], guestSize: new Map() };
    const prng = createPrng(spec.seed);
    for (const g of spec.guests) world.guestSize.set(g.vmid, g.sizeGiB ?? prng.fork(`size:${g.vmid}`).int(4, 64));
    const plants = new Map<number, Set<SimPlantKind>>();
    for (const p of spec.plant ?? []) plants.set(p.vmid, (plants.get(p.vmid) ?? new Set()).add(p.kind));
    const ctx: Ctx = { spec, world, lt: createLocalTime(), prng, plants, chains: new Map(), byVolid: new Map(), pids: new Map() };
    for (const node of spec.nodes) generateNode(ctx, node);
    const sort = () => world.tasks.sort((a, b) => a.start - b.start || a.upid.localeCompare(b.upid));
    sort();
    world.slots.sort((a, b) => a.time - b.time);
    const addRun = (o: AddRunOptions): SimTask => {
        const node = spec.nodes.find((n) => n.name === o.node);
        if (!node) throw new Error(`simulator: no node '${o.node}'`);
        const guests = o.vmids.map((id) => spec.guests.find((g) => g.vmid === id && g.node === o.node)).filter((g) => g !== undefined);
        const job: SimJobSpec = { id: o.jobId ?? 'manual', schedule: '', storage: o.storage, vmids: o.vmids };
        const pick = (g: SimGuestSpec): GuestOutcome => (typeof o.outcome === 'object' ? (o.outcome[g.vmid] ?? 'ok') : (o.outcome ?? 'ok'));
        const rp = prng.fork(`add:${o.node}:${o.at}`);
        const task = runTask(ctx, node, job, o.at, o.at, guests, rp, pick, false, o.user ?? 'root@pam');
        if (o.jobId !== undefined) task.jobId = o.jobId;
        if (o.emptyLog) {
            task.lines = [];
            task.results = [];
            task.status = 'unexpected status';
        }
        sort();
        return task;
    };
    return { world, addRun };
}

function storageOf(spec: ScenarioSpec, id: string): SimStorageSpec {
    const s = spec.storages.find((x) => x.id === id);
    if (!s) throw new Error(`simulator: job storage '${id}' is not defined`);
    return s;
}

export function isShared(s: SimStorageSpec): boolean {
    return s.shared ?? s.type !== 'dir';
}

function generateNode(ctx: Ctx, node: SimNodeSpec): void {
    const { spec, world } = ctx;
    const runs: Array<{ job: SimJobSpec; time: number; index: number; lastDue: number }> = [];
    for (const job of spec.jobs) {
        if (job.enabled === false || (job.node !== undefined && job.node !== node.name)) continue;
        const times = scheduleTimes(job.schedule, world.historyFrom, world.horizon, node.timeZone);
        let lastDue = -1;
        times.forEach((t, i) => {
            if (t + DUE_MARGIN <= spec.start) lastDue = i;
        });
        times.forEach((time, index) => {
            runs.push({ job, time, index, lastDue });
        });
    }
    runs.sort((a, b) => a.time - b.time);
    let freeAt = 0;
    for (const r of runs) {
        const slot: SimSlot = { jobId: r.job.id, node: node.name, time: r.time };
        world.slots.push(slot);
        const guests = jobGuests(r.job, spec.guests, node.name);
        const offset = r.lastDue - r.index;
        const planted = (kind: SimPlantKind, maxOffset = 0) =>
            offset >= 0 && offset <= maxOffset && guests.some((g) => ctx.plants.get(g.vmid)?.has(kind));
        const rp = ctx.prng.fork(`run:${node.name}:${r.job.id}:${r.time}`);
        if (!jobEnabledAt(r.job, r.time)) {
            slot.missed = 'disabled';
            continue;
        }
        if (nodeDownAt(node, r.time)) {
            slot.missed = 'outage';
            continue;
        }
        if (planted('missed') || rp.chance(spec.rates?.miss ?? 0)) {
            slot.missed = 'scheduler';
            continue;
        }
        if (guests.length === 0) {
            slot.empty = true;
            continue;
        }
        const start = r.time + rp.int(1, 20);
        const task = runTask(ctx, node, r.job, start, Math.max(start, freeAt), guests, rp, (g) => {
            const kinds = ctx.plants.get(g.vmid);
            if (offset === 0 && kinds?.has('running-long')) return 'running-long';
            if ((offset === 0 && kinds?.has('failed')) || (offset >= 0 && offset <= 3 && kinds?.has('stale'))) return 'failed';
            if (offset === 0 && kinds?.has('warnings')) return 'warnings';
            if (rp.chance(spec.rates?.fail ?? 0)) return 'failed';
            return rp.chance(spec.rates?.warn ?? 0) ? 'warnings' : 'ok';
        }, planted('job-failed'));
        task.jobId = r.job.id;
        task.slot = r.time;
        slot.upid = task.upid;
        freeAt = task.end;
    }
}

/** Runs one vzdump task on `node` and records its task, backups and verifications. */
function runTask(
    ctx: Ctx,
    node: SimNodeSpec,
    job: SimJobSpec,
    start: number,
    lockAt: number,
    guests: SimGuestSpec[],
    rp: Prng,
    outcome: (g: SimGuestSpec) => GuestOutcome,
    jobFailed = false,
    user = 'root@pam',
): SimTask {
    const { spec, world } = ctx;
    const storage = storageOf(spec, job.storage);
    const retention = job.prune ?? storage.prune ?? 'keep-last=7';
    const policy = parsePruneOptions(retention).prune;
    const chainKey = (vmid: number) => `${storage.id}|${isShared(storage) ? '*' : node.name}|${vmid}`;
    const prunedBy = new Map<number, string[]>();
    // PVE's own prune algorithm (pve-platform.md §8.2) in the node's local time.
    const toLocal = (t: number) => utcTimeParts(t + ctx.lt.offset(t, node.timeZone));
    const prune = (vmid: number, ctime: number): string[] => {
        if (!policy) return [];
        const live = (ctx.chains.get(chainKey(vmid)) ?? []).filter((b) => b.removedAt === undefined);
        const items = [...live.map((b) => ({ id: b.volid, time: b.ctime, protected: b.protected === true })), { id: '', time: ctime }];
        const removed = markPrune(items, policy, toLocal)
            .filter((m) => m.mark === 'remove' && m.item.id !== '')
            .map((m) => m.item.id);
        prunedBy.set(vmid, removed);
        return removed;
    };
    const plans: GuestPlan[] = guests.map((g) => {
        const plan: GuestPlan = { vmid: g.vmid, type: g.type, name: g.name, sizeGiB: world.guestSize.get(g.vmid) ?? 8, outcome: outcome(g) };
        if (plan.outcome === 'failed') plan.error = rp.pick(ERRORS)(g);
        return plan;
    });
    const listed = job.all || job.pool !== undefined ? [] : (job.vmids ?? []);
    const options: Record<string, string> = { storage: storage.id, mode: job.mode ?? 'snapshot', quiet: '1' };
    if (storage.type !== 'pbs') options.compress = 'zstd';
    if (job.prune) options['prune-backups'] = job.prune;
    if (job.node) options.node = job.node;
    if (job.all) options.all = '1';
    if (job.exclude?.length) options.exclude = job.exclude.join(',');
    if (job.pool) options.pool = job.pool;
    if (user !== 'root@pam') delete options.quiet;
    const plan: RunPlan = {
        node: node.name,
        timeZone: node.timeZone,
        start,
        lockAt,
        storage: { id: storage.id, type: storage.type },
        options,
        retention,
        prune,
        vmids: listed,
        external: listed.filter((id) => !guests.some((g) => g.vmid === id)),
        guests: plans,
    };
    if (jobFailed) plan.jobFailure = `could not activate storage '${storage.id}': storage '${storage.id}' is not online`;
    const waitedTooLong = lockAt - start > LOCKWAIT;
    const rendered = waitedTooLong
        ? lockTimeout(start)
        : renderRun(plan, ctx.lt, rp);
    const pid = (ctx.pids.get(node.name) ?? 0x1000 + rp.int(0, 0xffff)) + rp.int(1, 4000);
    ctx.pids.set(node.name, pid);
    const pstart = (start - world.historyFrom + 86400) * 100;
    const id = guests.length === 1 && !waitedTooLong && !jobFailed ? String(guests[0]?.vmid) : '';
    const upid = `UPID:${node.name}:${hex8(pid)}:${hex8(pstart)}:${hex8(start)}:vzdump:${id}:${user}:`;
    const task: SimTask = { upid, node: node.name, pid, pstart, start, end: rendered.end, id, user, status: rendered.status, lines: rendered.lines, results: rendered.results };
    world.tasks.push(task);
    for (const r of rendered.results) {
        for (const volid of prunedBy.get(r.vmid) ?? []) {
            const old = ctx.byVolid.get(volid);
            if (old && old.removedAt === undefined) old.removedAt = r.end;
        }
        if (!r.volid || !r.format) continue;
        const b: SimBackup = { volid: r.volid, storage: storage.id, node: node.name, vmid: r.vmid, type: r.type, ctime: r.start, visibleFrom: r.end, size: r.sizeBytes, format: r.format, upid };
        if (storage.type === 'pbs') verify(ctx, storage, b, rp);
        world.backups.push(b);
        ctx.byVolid.set(b.volid, b);
        const key = chainKey(r.vmid);
        const chain = ctx.chains.get(key);
        if (chain) chain.push(b);
        else ctx.chains.set(key, [b]);
    }
    return task;
}

function lockTimeout(start: number) {
    const lines = [
        { at: start, text: 'INFO: trying to get global lock - waiting...' },
        { at: start + LOCKWAIT, text: "ERROR: can't acquire lock '/var/run/vzdump.lock' - got timeout" },
    ];
    return { lines, end: start + LOCKWAIT, status: 'unexpected status', results: [] };
}

function verify(ctx: Ctx, storage: SimStorageSpec, b: SimBackup, rp: Prng): void {
    const plantedFail = ctx.plants.get(b.vmid)?.has('verify-failed') && b.visibleFrom <= ctx.spec.start - 3 * 3600;
    const rates = storage.verify ?? { ok: 0.9, failed: 0 };
    const roll = rp.next();
    let state: 'ok' | 'failed' | undefined;
    if (plantedFail) state = 'failed';
    else if (roll < rates.failed) state = 'failed';
    else if (roll < rates.failed + rates.ok) state = 'ok';
    if (!state) return;
    b.verification = { state, ...verifyRun(storage, b.visibleFrom) };
}

/** Seconds after midnight UTC of the daily PBS verify job every simulated datastore has. */
const VERIFY_AT = 5 * 3600 + 30 * 60;

/**
 * The verify job run that checks a snapshot finished at `after`: the datastore's next daily run.
 * As on a real PBS, one run checks every new snapshot, so they all carry its UPID (worker
 * `<store>:v-<job>`); its UPID is derived from the run alone, so every snapshot gets the same one.
 */
function verifyRun(storage: SimStorageSpec, after: number): { upid: string; time: number } {
    const time = (Math.floor((after - VERIFY_AT) / 86400) + 1) * 86400 + VERIFY_AT;
    const store = createPrng(0).fork(storage.id);
    const rp = store.fork(String(time));
    const job = `v-${hex8(store.int(0, 0x7fffffff)).toLowerCase()}`;
    const worker = `${storage.id.replace(/-/g, '\\x2d')}\\x3a${job.replace(/-/g, '\\x2d')}`;
    const upid = `UPID:pbs:${hex8(rp.int(0x100, 0xfffff))}:${hex8(rp.int(0x1000, 0xffffff))}:${hex8(rp.int(0, 0xffff))}:${hex8(time)}:verificationjob:${worker}:root@pam:`;
    return { upid, time };
}
