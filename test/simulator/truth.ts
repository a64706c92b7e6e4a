// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Ground truth: which guest the evaluator must report with which problem code at a clock time,
 * derived from the generated history (not from the plant list). It follows the rules of README
 * "How verdicts are reached" and pve-platform.md, including the evaluator's "one problem per
 * cause" rules:
 *
 * - A run is judged once its grace (30 min) is over; the newest judged run of each job decides.
 * - A failed run is `backup-failed` unless a good backup of the guest started after it (a failure
 *   followed by a good backup, e.g. "Run now" or another job, no longer counts).
 * - A missed run is `backup-missed`: critical, or warning when a good backup ran after it.
 * - Warnings are `backup-warnings`, whatever came later.
 * - `backup-stale` only when no job's newest judged run failed, was missed or is still running
 *   (staleness would repeat that cause), and the newest good backup is older than the latest run
 *   the current calendar promised (its time + grace + the job's usual run time has passed).
 * - A job re-enabled after a pause sets `updated` in the job state files; an evaluator that reads
 *   them (local enrichment, `jobStatesRead`) judges no run before that time. Without them the
 *   runs of the pause are simply missed: the API cannot tell.
 * - A running task is `backup-running-long` (for the guest it is busy with) after 3 × the median
 *   duration of the job's earlier runs on that node (at least 1 h), or 6 h without history.
 *
 * `must` entries are certain; `may` entries are judgement calls near a threshold that an evaluator
 * may or may not report.
 */

import type { ProblemCode, Severity } from '../../src/domain/model.ts';
import { previousTime } from './calendar.ts';
import { jobIds } from './legacy-cron.ts';
import type { SimGuestSpec, SimJobSpec } from './spec.ts';
import { type SimTask, type World, backupVisible, jobEnabledAt, jobGuests, jobToggledAt, nodeDownAt } from './world.ts';

export interface TruthEntry {
    code: ProblemCode;
    certainty: 'must' | 'may';
    /** Set where the rules fix it (a missed run is critical unless a good backup came later). */
    severity?: Severity;
    vmid?: number;
    node?: string;
    job?: string;
    why: string;
}

export interface GroundTruth {
    at: number;
    entries: TruthEntry[];
    /** Covered guests on reachable nodes with nothing to report. */
    healthy: number[];
    /** Templates and `nobackup`-tagged guests. */
    excluded: number[];
    /** Guests on offline nodes with nothing else known: their verdict is unknown. */
    unknown: number[];
}

export interface TruthOptions {
    /** Nodes whose job state files the evaluator reads (check on a PVE node: local enrichment). */
    jobStatesRead?: ReadonlySet<string>;
    /** Start of the evaluator's history window; default the world's. */
    historyFrom?: number;
}

const GRACE = 1800;
/** A good backup may start this much before the promised run and still count (evaluator's slack). */
const START_SLACK = 120;
const LONG_DEFAULT = 6 * 3600;
const LONG_MIN = 3600;
/** Runtime margin around the running-long limit inside which the verdict is a judgement call. */
const LONG_FUZZ = 600;

interface Ctx {
    world: World;
    t: number;
    byUpid: Map<string, SimTask>;
    ids: Map<SimJobSpec, string>;
    options: TruthOptions;
    from: number;
}

export function computeTruth(world: World, t: number, offlineNodes: ReadonlySet<string> = new Set(), options: TruthOptions = {}): GroundTruth {
    const { spec } = world;
    const truth: GroundTruth = { at: t, entries: [], healthy: [], excluded: [], unknown: [] };
    const ctx: Ctx = { world, t, byUpid: new Map(world.tasks.map((x) => [x.upid, x])), ids: jobIds(spec.jobs), options, from: options.historyFrom ?? world.historyFrom };
    const down = new Set(spec.nodes.filter((n) => offlineNodes.has(n.name) || nodeDownAt(n, t)).map((n) => n.name));
    for (const n of down) truth.entries.push({ code: 'source-unreachable', certainty: 'must', severity: 'unknown', node: n, why: `node ${n} is offline` });
    for (const g of spec.guests) {
        if (g.template || (g.tags ?? []).includes('nobackup')) {
            truth.excluded.push(g.vmid);
            continue;
        }
        if (down.has(g.node)) {
            // Storage facts (a failed PBS verification) stay known; the runs of the node do not.
            const before = truth.entries.length;
            verification(ctx, g, truth.entries);
            if (truth.entries.length === before) truth.unknown.push(g.vmid);
            continue;
        }
        judgeGuest(ctx, g, truth.entries);
    }
    runningLong(ctx, down, truth.entries);
    const named = new Set(truth.entries.map((e) => e.vmid));
    for (const g of spec.guests) {
        if (!named.has(g.vmid) && !down.has(g.node) && !truth.excluded.includes(g.vmid) && covering(world, g, t).length > 0) truth.healthy.push(g.vmid);
    }
    return truth;
}

function covering(world: World, g: SimGuestSpec, t: number): SimJobSpec[] {
    return world.spec.jobs.filter((j) => jobEnabledAt(j, t) && jobGuests(j, world.spec.guests, g.node).some((x) => x.vmid === g.vmid));
}

/** The start of the window in which the evaluator judges a job's runs on a node. */
function judgedFrom(ctx: Ctx, job: SimJobSpec, node: string): number {
    const toggled = ctx.options.jobStatesRead?.has(node) ? jobToggledAt(job, ctx.t) : undefined;
    return Math.max(ctx.from, toggled ?? ctx.from);
}

function judgeGuest(ctx: Ctx, g: SimGuestSpec, out: TruthEntry[]): void {
    const { world, t } = ctx;
    const add = (e: Omit<TruthEntry, 'vmid' | 'node'>) => out.push({ ...e, vmid: g.vmid, node: g.node });
    const jobs = covering(world, g, t);
    if (jobs.length === 0) {
        const disabled = world.spec.jobs.filter((j) => !jobEnabledAt(j, t) && jobGuests(j, world.spec.guests, g.node).some((x) => x.vmid === g.vmid));
        const why = disabled.length > 0 ? `only in disabled job(s) ${disabled.map((j) => j.id).join(', ')}` : 'in no backup job';
        add({ code: 'not-covered', certainty: 'must', severity: 'warning', why });
        return;
    }
    const goodAfter = (time: number) => goodResults(ctx, g).some((r) => r.start > time);
    let suppressStale = false;
    let judged = false;
    for (const job of jobs) {
        const from = judgedFrom(ctx, job, g.node);
        // Judged: runs whose grace is over, and runs whose task has already started.
        const started = (upid: string | undefined) => upid !== undefined && (ctx.byUpid.get(upid)?.start ?? Number.POSITIVE_INFINITY) <= t;
        const due = world.slots.filter((s) => s.jobId === job.id && s.node === g.node && s.time > from && (s.time + GRACE <= t || started(s.upid)));
        const last = due[due.length - 1];
        if (!last) continue;
        judged = true;
        const jobId = ctx.ids.get(job) ?? job.id;
        if (last.missed) {
            suppressStale = true;
            const later = goodAfter(last.time);
            const why = `no run at ${iso(last.time)} (${{ outage: 'node was down', scheduler: 'scheduler skipped it', disabled: 'job was disabled' }[last.missed]})`;
            add({ code: 'backup-missed', certainty: 'must', severity: later ? 'warning' : 'critical', job: jobId, why });
            continue;
        }
        const task = last.upid ? ctx.byUpid.get(last.upid) : undefined;
        if (!task) continue;
        const r = task.results.find((x) => x.vmid === g.vmid);
        const finished = task.end <= t || (r !== undefined && r.end <= t && r.outcome !== 'running-long');
        if (!finished) {
            // Still running (or not yet at this guest): no verdict; a long run is a task-level problem.
            suppressStale = true;
            continue;
        }
        const failure =
            task.status === 'unexpected status' ? 'lock timeout: task ended without a TASK line' : !r ? `job failed before the guest: ${task.status}` : r.outcome === 'failed' ? `failed in ${task.upid}` : undefined;
        if (failure !== undefined) {
            suppressStale = true;
            if (!goodAfter(last.time)) add({ code: 'backup-failed', certainty: 'must', severity: 'critical', job: jobId, why: failure });
        } else if (r?.outcome === 'warnings') {
            add({ code: 'backup-warnings', certainty: 'must', severity: 'warning', job: jobId, why: `warnings in ${task.upid}` });
        }
    }
    if (!suppressStale) stale(ctx, g, jobs, judged, add);
    verification(ctx, g, out);
}

/** Good per-guest results that finished by t, and backups visible on storages. */
function goodResults(ctx: Ctx, g: SimGuestSpec): Array<{ start: number; end: number }> {
    const out: Array<{ start: number; end: number }> = [];
    for (const task of ctx.world.tasks) {
        if (task.start > ctx.t) break;
        for (const r of task.results) {
            if (r.vmid === g.vmid && r.end <= ctx.t && (r.outcome === 'ok' || r.outcome === 'warnings')) out.push({ start: r.start, end: r.end });
        }
    }
    return out;
}

function stale(ctx: Ctx, g: SimGuestSpec, jobs: readonly SimJobSpec[], judged: boolean, add: (e: Omit<TruthEntry, 'vmid' | 'node'>) => void): void {
    const { world, t } = ctx;
    const tz = world.spec.nodes.find((n) => n.name === g.node)?.timeZone ?? 'UTC';
    let good: number | undefined;
    for (const r of goodResults(ctx, g)) if (r.start >= ctx.from && (good === undefined || r.end > good)) good = r.end;
    for (const b of world.backups) if (b.vmid === g.vmid && backupVisible(b, t) && (good === undefined || b.ctime > good)) good = b.ctime;
    if (good === undefined && !judged) return;
    // The promised run depends on the job's usual run time: bound it by no time and the longest run.
    let early: number | undefined;
    let late: number | undefined;
    for (const job of jobs) {
        const from = judgedFrom(ctx, job, g.node);
        const runs = world.tasks.filter((x) => x.jobId === job.id && x.node === g.node && x.start > from && x.end <= t).map((x) => x.end - x.start);
        const longest = Math.max(0, ...runs);
        const a = previousTime(job.schedule, t - GRACE - longest + 1, tz);
        const b = previousTime(job.schedule, t - GRACE + 1, tz);
        if (a !== undefined && (early === undefined || a > early)) early = a;
        if (b !== undefined && (late === undefined || b > late)) late = b;
    }
    if (late === undefined) return;
    if (good === undefined) {
        if (early !== undefined && early > ctx.from) add({ code: 'backup-stale', certainty: 'must', severity: 'critical', why: `no good backup since ${iso(ctx.from)}` });
        return;
    }
    if (early !== undefined && good < early - START_SLACK) add({ code: 'backup-stale', certainty: 'must', severity: 'critical', why: `newest good backup ${iso(good)}, run due ${iso(early)}` });
    else if (good < late - START_SLACK) add({ code: 'backup-stale', certainty: 'may', why: `newest good backup ${iso(good)} just before a run that may still be in progress` });
}

/** PBS verification of the newest verified backup: a fact about a storage, not a node. */
function verification(ctx: Ctx, g: SimGuestSpec, out: TruthEntry[]): void {
    const { world, t } = ctx;
    const pbs = world.backups
        .filter((b) => b.vmid === g.vmid && backupVisible(b, t) && world.spec.storages.find((s) => s.id === b.storage)?.type === 'pbs')
        .sort((a, b) => b.ctime - a.ctime);
    const verified = pbs.find((b) => b.verification !== undefined && b.verification.time <= t);
    if (verified?.verification?.state === 'failed') out.push({ code: 'verify-failed', certainty: 'must', severity: 'critical', vmid: g.vmid, why: `verification of ${verified.volid} failed` });
}

/** Tasks running at t on reachable nodes, judged against the job's earlier run times. */
function runningLong(ctx: Ctx, down: ReadonlySet<string>, out: TruthEntry[]): void {
    const { world, t } = ctx;
    for (const task of world.tasks) {
        if (task.start > t) break;
        if (task.end <= t || down.has(task.node)) continue;
        const job = world.spec.jobs.find((j) => j.id === task.jobId);
        const history = job ? world.tasks.filter((x) => x.jobId === job.id && x.node === task.node && x.start >= ctx.from && x.end <= t).map((x) => x.end - x.start) : [];
        const limit = history.length > 0 ? Math.max(LONG_MIN, 3 * median(history)) : LONG_DEFAULT;
        const runtime = t - task.start;
        if (runtime <= limit - LONG_FUZZ) continue;
        const current = task.results.find((r) => r.start <= t && r.end > t);
        const e: TruthEntry = {
            code: 'backup-running-long',
            certainty: runtime > limit + LONG_FUZZ && job !== undefined ? 'must' : 'may',
            severity: 'warning',
            node: task.node,
            why: `task running for ${Math.round(runtime / 60)} min (limit ${Math.round(limit / 60)} min)`,
        };
        if (current) e.vmid = current.vmid;
        if (job) e.job = ctx.ids.get(job) ?? job.id;
        out.push(e);
    }
}

function median(values: readonly number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function iso(t: number): string {
    return new Date(t * 1000).toISOString();
}
