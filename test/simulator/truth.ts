// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Ground truth: which guest the evaluator must report with which problem code at a clock time,
 * derived from the generated history (not from the plant list), with PVE's rules: a slot is judged
 * once its grace is over, the newest due slot decides failed/missed/warnings, running tasks are
 * only "long" after hours. `must` entries are certain; `may` entries are judgement calls (e.g.
 * stale thresholds) an evaluator may or may not report.
 */

import type { ProblemCode } from '../../src/domain/model.ts';
import { jobIds } from './legacy-cron.ts';
import type { SimGuestSpec } from './spec.ts';
import { type SimTask, type World, backupVisible, jobGuests, nodeDownAt } from './world.ts';

export interface TruthEntry {
    code: ProblemCode;
    certainty: 'must' | 'may';
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
}

const GRACE = 1800;
const LONG = 6 * 3600;

export function computeTruth(world: World, t: number, offlineNodes: ReadonlySet<string> = new Set()): GroundTruth {
    const { spec } = world;
    const truth: GroundTruth = { at: t, entries: [], healthy: [], excluded: [] };
    const byUpid = new Map(world.tasks.map((x) => [x.upid, x]));
    const down = new Set(spec.nodes.filter((n) => offlineNodes.has(n.name) || nodeDownAt(n, t)).map((n) => n.name));
    for (const n of down) truth.entries.push({ code: 'source-unreachable', certainty: 'must', node: n, why: `node ${n} is offline` });
    for (const g of spec.guests) {
        if (g.template || (g.tags ?? []).includes('nobackup')) {
            truth.excluded.push(g.vmid);
            continue;
        }
        if (down.has(g.node)) continue;
        const before = truth.entries.length;
        judgeGuest(world, g, t, byUpid, truth.entries);
        if (truth.entries.length === before && covering(world, g).length > 0) truth.healthy.push(g.vmid);
    }
    return truth;
}

function covering(world: World, g: SimGuestSpec) {
    return world.spec.jobs.filter((j) => j.enabled !== false && jobGuests(j, world.spec.guests, g.node).some((x) => x.vmid === g.vmid));
}

function judgeGuest(world: World, g: SimGuestSpec, t: number, byUpid: Map<string, SimTask>, out: TruthEntry[]): void {
    const add = (code: ProblemCode, certainty: 'must' | 'may', why: string, job?: string) => {
        const e: TruthEntry = { code, certainty, vmid: g.vmid, node: g.node, why };
        if (job !== undefined) e.job = job;
        out.push(e);
    };
    const jobs = covering(world, g);
    const ids = jobIds(world.spec.jobs);
    if (jobs.length === 0) {
        const disabled = world.spec.jobs.filter((j) => j.enabled === false && jobGuests(j, world.spec.guests, g.node).some((x) => x.vmid === g.vmid));
        add('not-covered', 'must', disabled.length > 0 ? `only in disabled job(s) ${disabled.map((j) => j.id).join(', ')}` : 'in no backup job');
        return;
    }
    let interval = Number.POSITIVE_INFINITY;
    const good = lastGood(world, g, t);
    // A newer good backup (e.g. from another job) supersedes a failed or missed run.
    const level = (slot: number): 'must' | 'may' => (good !== undefined && good > slot ? 'may' : 'must');
    for (const job of jobs) {
        const slots = world.slots.filter((s) => s.jobId === job.id && s.node === g.node && s.time >= world.historyFrom);
        const due = slots.filter((s) => s.time + GRACE <= t);
        if (slots.length >= 2) interval = Math.min(interval, medianGap(slots.map((s) => s.time)));
        const last = due[due.length - 1];
        if (!last) continue;
        const jobId = ids.get(job) ?? job.id;
        if (last.missed) {
            add('backup-missed', level(last.time), `no run at ${iso(last.time)} (${last.missed === 'outage' ? 'node was down' : 'scheduler skipped it'})`, jobId);
            continue;
        }
        const task = last.upid ? byUpid.get(last.upid) : undefined;
        if (!task) continue;
        const r = task.results.find((x) => x.vmid === g.vmid);
        if (task.end > t) {
            const running = t - task.start;
            if (r && r.end > t && running > LONG) add('backup-running-long', 'must', `task running for ${Math.round(running / 3600)} h`, jobId);
            else if (running > 3600) add('backup-running-long', 'may', `task running for ${Math.round(running / 60)} min`, jobId);
            continue;
        }
        if (task.status === 'unexpected status') add('backup-failed', 'may', 'lock timeout: task ended without a TASK line', jobId);
        else if (!r) add('backup-failed', level(last.time), `job failed before the guest: ${task.status}`, jobId);
        else if (r.outcome === 'failed') add('backup-failed', level(last.time), `failed in ${task.upid}`, jobId);
        else if (r.outcome === 'warnings') add('backup-warnings', level(r.end), `warnings in ${task.upid}`, jobId);
    }
    const age = good === undefined ? t - world.historyFrom : t - good;
    if (Number.isFinite(interval)) {
        if (age > 3 * interval + GRACE) add('backup-stale', 'must', good === undefined ? 'no good backup in the history' : `newest good backup ${iso(good)}`);
        else if (age > interval + GRACE) add('backup-stale', 'may', `newest good backup ${good === undefined ? 'none' : iso(good)}`);
    }
    const pbs = world.backups
        .filter((b) => b.vmid === g.vmid && backupVisible(b, t) && world.spec.storages.find((s) => s.id === b.storage)?.type === 'pbs')
        .sort((a, b) => b.ctime - a.ctime);
    const verified = pbs.find((b) => b.verification !== undefined && b.verification.time <= t);
    if (verified?.verification?.state === 'failed') add('verify-failed', 'must', `verification of ${verified.volid} failed`);
}

function lastGood(world: World, g: SimGuestSpec, t: number): number | undefined {
    let best: number | undefined;
    for (const task of world.tasks) {
        if (task.start > t) break;
        for (const r of task.results) {
            if (r.vmid !== g.vmid || r.end > t || (r.outcome !== 'ok' && r.outcome !== 'warnings')) continue;
            if (best === undefined || r.end > best) best = r.end;
        }
    }
    for (const b of world.backups) {
        if (b.vmid === g.vmid && backupVisible(b, t) && (best === undefined || b.ctime > best)) best = b.ctime;
    }
    return best;
}

function medianGap(times: number[]): number {
    const gaps = times.slice(1).map((x, i) => x - (times[i] as number)).sort((a, b) => a - b);
    return gaps[gaps.length >> 1] as number;
}

function iso(t: number): string {
    return new Date(t * 1000).toISOString();
}
