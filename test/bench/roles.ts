// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The bench's child processes, one role each, so CPU time and peak RSS are those of one job:
 * `sim` serves a scaled cluster, `measure` runs the collector and the evaluator against it,
 * `scan` reads one node's task logs from disk and times `grep` over the same files.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { capHeapGrowth } from '../../src/adapters/system/heap-tuning.ts';
import { createHostFiles } from '../../src/adapters/local/host-files.ts';
import { readLocalTasks } from '../../src/adapters/local/local-tasks.ts';
import { createApiSnapshotSource } from '../../src/adapters/pve-api/collector.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import { evaluate } from '../../src/domain/health/evaluate.ts';
import type { SourceError } from '../../src/domain/model.ts';
import { writeHostRoot } from '../simulator/host-root.ts';
import { DEMO_START, scaleScenario } from '../simulator/scenarios.ts';
import { startSimulator } from '../simulator/server.ts';
import { type MemoryPeak, memoryPeak, memoryTimeline } from './memory.ts';
import { profiler } from './profile.ts';

/** A message between the bench and its children (JSON over the IPC channel). */
export type Message = { type: string; id?: number } & Record<string, unknown>;

export interface SimInfo {
    url: string;
    fingerprint: string;
    token: string;
    now: number;
    days: number;
    tasks: number;
    logLines: number;
    generateMs: number;
}

export interface MeasureResult {
    cold: {
        collectCpuMs: number;
        evaluateCpuMs: number;
        wallMs: number;
        requests: number;
        tasks: number;
        guests: number;
        problems: number;
        /** Memory while the collector ran, and at the end of the (synchronous) evaluation. */
        collectPeak: MemoryPeak;
        evaluatePeak: MemoryPeak;
    };
    /** Peak RSS of the whole process (cold cycle included), MiB: getrusage and /proc VmHWM. */
    peakRssMiB: number;
    vmHwmMiB: number | null;
    /** Peak RSS when the cold cycle (collection + evaluation) ended: what the target names. */
    coldPeakRssMiB: number;
    /** Heap in use after the cycles and a full GC (needs `--expose-gc`). */
    liveHeapMiB: number;
    /** Quiet collector cycles (the clock advanced a minute, nothing happened). */
    steady: Array<{ collectCpuMs: number; requests: number }>;
    /** The evaluator on the last quiet cycle's snapshot. */
    steadyEvaluateCpuMs: number;
    /**
     * The cold snapshot evaluated again (warm JIT, as in a running daemon): the first evaluation
     * pays for compiling the evaluator, and single runs move by ±30 % on a shared machine.
     */
    coldEvaluateRepeatsCpuMs: number[];
}

export interface ScanResult {
    files: number;
    bytes: number;
    /** Best of the rounds (warm), and the first round (cold JIT, cold page cache). */
    oursMs: number;
    oursFirstMs: number;
    oursCpuMs: number;
    grepMs: number;
    /** `Finished Backup` lines grep counted, and finished guests our parser found: must agree. */
    grepCount: number;
    oursCount: number;
}

/** The evaluation as the daemon's cycle runs it: verdicts, explanations only on request. */
const DAEMON = { explain: 'none' } as const;

const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
};

function send(m: Message): void {
    process.send?.(m);
}

/** Answers requests from the parent; `ask` sends one and waits for the reply with the same id. */
let nextId = 1;
const pending = new Map<number, (m: Message) => void>();
function ask(m: Message): Promise<Message> {
    const id = nextId++;
    return new Promise((resolve) => {
        pending.set(id, resolve);
        send({ ...m, id });
    });
}

function listen(handle: (m: Message) => Promise<void> | void): void {
    process.on('message', (raw) => {
        const m = raw as Message;
        const waiter = m.id !== undefined && m.type.endsWith(':reply') ? pending.get(m.id) : undefined;
        if (waiter && m.id !== undefined) {
            pending.delete(m.id);
            waiter(m);
            return;
        }
        Promise.resolve(handle(m)).catch((err: unknown) => {
            send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
            process.exit(1);
        });
    });
}

async function simRole(args: { nodes: number; guestsPerNode: number; days: number }): Promise<void> {
    const t0 = performance.now();
    // 14:00 UTC: every node's nightly run is over (New York nodes run until about 11:00 UTC), so
    // the steady cycles really are quiet.
    const spec = scaleScenario({ nodes: args.nodes, guestsPerNode: args.guestsPerNode, historyDays: args.days, start: DEMO_START + 5 * 3600 });
    const sim = await startSimulator(spec);
    const info: SimInfo = {
        url: sim.url,
        fingerprint: sim.fingerprint,
        token: sim.token,
        now: sim.clock.now(),
        days: args.days,
        tasks: sim.world.tasks.length,
        logLines: sim.world.tasks.reduce((n, t) => n + t.lines.length, 0),
        generateMs: Math.round(performance.now() - t0),
    };
    listen(async (m) => {
        if (m.type === 'advance') {
            sim.clock.advance(m.seconds as number);
            send({ type: 'advance:reply', id: m.id as number, now: sim.clock.now() });
        } else if (m.type === 'write-tasks') {
            const written = writeHostRoot(sim.world, m.node as string, m.dir as string, sim.clock.now(), { parts: ['tasks'], tasksSince: sim.clock.now() - args.days * 86400 });
            send({ type: 'write-tasks:reply', id: m.id as number, files: written.taskLogs.length });
        } else if (m.type === 'stop') {
            await sim.stop();
            process.exit(0);
        }
    });
    send({ type: 'ready', info });
}

async function measureRole(info: SimInfo, steadyCycles: number, saveSnapshot?: string): Promise<MeasureResult> {
    // As the daemon runs (compose-daemon.ts): the measured figures are its own.
    capHeapGrowth();
    const cacheDir = mkdtempSync(join(tmpdir(), 'pbh-bench-cache-'));
    const transport = createTransport({ baseUrl: info.url, token: info.token, tls: { fingerprint: info.fingerprint } });
    const source = createApiSnapshotSource({ transport, cache: createFileTaskLogCache({ dir: cacheDir }) });
    try {
        let now = info.now;
        const window = (t: number) => ({ now: t, historyFrom: t - info.days * 86400 });
        const coldProfile = profiler('cold');
        await coldProfile.start();
        const w0 = performance.now();
        const c0 = cpuMs();
        // PBH_BENCH_TIMELINE=1: memory every 100 ms and the collector's progress, on stderr.
        const timeline = process.env.PBH_BENCH_TIMELINE ? memoryTimeline((line) => process.stderr.write(`${line}\n`)) : undefined;
        const { value: snapshot, peak: collectPeak } = await memoryPeak(() => source.collect({ ...window(now), ...(timeline ? { onProgress: timeline.note } : {}) }));
        timeline?.stop();
        const c1 = cpuMs();
        const { value: report, peak: evaluatePeak } = await memoryPeak(() => evaluate(snapshot, now, undefined, DAEMON));
        const c2 = cpuMs();
        const coldPeakRssMiB = process.resourceUsage().maxRSS / 1024;
        await coldProfile.stop();
        // For profiling the evaluator alone: `node --cpu-prof dist/pve-backup-health.js check --snapshot <file>`.
        if (saveSnapshot) writeFileSync(saveSnapshot, JSON.stringify(snapshot));
        const cold: MeasureResult['cold'] = {
            collectCpuMs: c1 - c0,
            evaluateCpuMs: c2 - c1,
            wallMs: performance.now() - w0,
            requests: source.stats().lastCycle?.requests ?? -1,
            tasks: snapshot.tasks.length,
            guests: snapshot.guests.length,
            problems: report.problems.length,
            collectPeak,
            evaluatePeak,
        };
        // Quiet cycles back to back, so each one's CPU is the collector's own (an evaluation in
        // between would leave its garbage to the next cycle); then one evaluation of the last.
        const steady: MeasureResult['steady'] = [];
        const steadyProfile = profiler('steady');
        let last = snapshot;
        for (let i = 0; i < steadyCycles; i++) {
            now = (await ask({ type: 'advance', seconds: 60 })).now as number;
            if (i === 1) await steadyProfile.start();
            const s0 = cpuMs();
            last = await source.collect(window(now));
            steady.push({ collectCpuMs: cpuMs() - s0, requests: source.stats().lastCycle?.requests ?? -1 });
        }
        if (steadyCycles > 1) await steadyProfile.stop();
        const e0 = cpuMs();
        evaluate(last, now, undefined, DAEMON);
        const steadyEvaluateCpuMs = cpuMs() - e0;
        // The peak of the cycles themselves, before the repeated evaluations below add theirs.
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
        const peakRssMiB = process.resourceUsage().maxRSS / 1024;
        const coldEvaluateRepeatsCpuMs: number[] = [];
        for (let i = 0; i < 2; i++) {
            const r0 = cpuMs();
            evaluate(snapshot, info.now, undefined, DAEMON);
            coldEvaluateRepeatsCpuMs.push(cpuMs() - r0);
        }
        // What stays alive between cycles (the rest of the peak is garbage and parse buffers).
        (globalThis as { gc?: () => void }).gc?.();
        if (process.env.PBH_BENCH_HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.PBH_BENCH_HEAP_SNAPSHOT);
        return { cold, steady, steadyEvaluateCpuMs, coldEvaluateRepeatsCpuMs, peakRssMiB, coldPeakRssMiB, vmHwmMiB: hwm ? Number(hwm[1]) / 1024 : null, liveHeapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
    } finally {
        transport.close();
        rmSync(cacheDir, { recursive: true, force: true });
    }
}

function grepOnce(dir: string): Promise<{ ms: number; count: number }> {
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        execFile('grep', ['-rc', 'Finished Backup', dir], { maxBuffer: 64 * 2 ** 20 }, (err, stdout) => {
            const ms = performance.now() - t0;
            // grep exits 1 when nothing matched: a count of 0, not a failure.
            if (err && (err as { code?: number }).code !== 1) return reject(err);
            const count = stdout.split('\n').reduce((n, line) => n + (Number(line.slice(line.lastIndexOf(':') + 1)) || 0), 0);
            resolve({ ms, count });
        });
    });
}

async function scanRole(root: string, node: string, historyFrom: number, rounds: number): Promise<ScanResult> {
    const files = createHostFiles(root);
    const tasksDir = join(root, 'var/log/pve/tasks');
    let best = Number.POSITIVE_INFINITY;
    let first = 0;
    let bestCpu = Number.POSITIVE_INFINITY;
    let oursCount = 0;
    let fileCount = 0;
    let bytes = 0;
    let grep = Number.POSITIVE_INFINITY;
    let grepCount = 0;
    // Alternate the two so both see the same (warm) page cache; keep the best of each.
    for (let i = 0; i < rounds; i++) {
        const errors: SourceError[] = [];
        const t0 = performance.now();
        const c0 = cpuMs();
        const r = await readLocalTasks(files, node, historyFrom, undefined, errors, 'UTC');
        bestCpu = Math.min(bestCpu, cpuMs() - c0);
        if (i === 0) first = performance.now() - t0;
        best = Math.min(best, performance.now() - t0);
        if (errors.length > 0) throw new Error(`local scan: ${errors[0]?.what}: ${errors[0]?.message}`);
        oursCount = r.tasks.reduce((n, t) => n + (t.log?.guests.filter((g) => g.status === 'ok').length ?? 0), 0);
        fileCount = r.tasks.length;
        bytes = r.tasks.reduce((n, t) => n + (t.log?.lineCount ?? 0), 0);
        const g = await grepOnce(tasksDir);
        grep = Math.min(grep, g.ms);
        grepCount = g.count;
    }
    const size = await new Promise<number>((resolve) => execFile('du', ['-sb', tasksDir], (_e, out) => resolve(Number(out.split('\t')[0]) || 0)));
    return { files: fileCount, bytes: size || bytes, oursMs: best, oursFirstMs: first, oursCpuMs: bestCpu, grepMs: grep, grepCount, oursCount };
}

/** Entry of a forked child: `<bundle> --bench-role <role> <json args>`. */
export async function runRole(role: string, args: Record<string, unknown>): Promise<void> {
    if (role === 'sim') return simRole(args as { nodes: number; guestsPerNode: number; days: number });
    if (role === 'measure') {
        listen(() => undefined);
        send({ type: 'result', result: await measureRole(args.info as SimInfo, args.steadyCycles as number, args.saveSnapshot as string | undefined) });
        process.exit(0);
    }
    if (role === 'scan') {
        send({ type: 'result', result: await scanRole(args.root as string, args.node as string, args.historyFrom as number, args.rounds as number) });
        process.exit(0);
    }
    throw new Error(`unknown bench role '${role}'`);
}
