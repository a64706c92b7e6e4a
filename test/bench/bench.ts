// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `make bench`: clusters of growing size from the simulator (3, 30, 100 nodes; up to 10 000
 * guests; 30 days of history), each measured in fresh child processes so CPU time and peak RSS
 * belong to one size:
 *
 * - cold cycle: the collector's first cycle (whole history window, every task log) + evaluation,
 *   with the process's peak RSS;
 * - steady state: cycles when nothing happened (the clock advanced a minute): requests and CPU
 *   (median of the cycles, and the worst);
 * - the evaluator's CPU time on the cold snapshot, three times (median: the first pays for the
 *   JIT, and single runs move by ±30 % on a shared machine);
 * - local log scan: one node's `/var/log/pve/tasks/<X>/<UPID>` read and parsed by the local source,
 *   against `grep -c 'Finished Backup'` over the same files (best of alternating rounds each).
 *
 * Prints PASS/FAIL per target; exits non-zero only when something crashed.
 *
 *     node test/bench/run.mjs [--sizes 3,30,100] [--json] [--save-snapshots <dir>]
 *     node --cpu-prof test/bench/run.mjs --evaluate <dir>/snapshot-100-nodes.json
 */

import { type ChildProcess, execFile, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../../src/domain/health/guest-checks.ts';
import { type MeasureResult, type Message, type ScanResult, type SimInfo, runRole } from './roles.ts';
import { unitEnvironment, unitNodeOptions } from './unit-options.ts';

export const SIZES = [
    { nodes: 3, guestsPerNode: 50 },
    { nodes: 30, guestsPerNode: 100 },
    { nodes: 100, guestsPerNode: 100 },
];
const DAYS = 30;
const STEADY_CYCLES = 5;
/**
 * Alternating rounds of our scan and grep, best of each: the daemon scans every cycle with a warm
 * JIT, and fewer rounds mostly measured JIT warm-up and GC pauses (10–30 ms on a shared machine).
 */
const SCAN_ROUNDS = 15;

/** The cold snapshot's evaluations (first with JIT compilation, then warm): their median. */
function coldEvaluation(m: MeasureResult): number {
    return median([m.cold.evaluateCpuMs, ...m.coldEvaluateRepeatsCpuMs]);
}
/** Cluster-wide requests of a quiet cycle: cluster status, resources, backup jobs. */
export const CONSTANT = 3;
/** The issue's targets. Its memory target is 150 MB (decimal): 143.05 MiB, compared as such. */
export const TARGETS = { steadyCpuMs: 50, coldEvaluateCpuMs: 2000, coldRssMB: 150, scanRatio: 3 };
const MB_IN_MIB = 1e6 / 2 ** 20;

export interface SizeResult {
    nodes: number;
    guests: number;
    days: number;
    sim: SimInfo;
    measure: MeasureResult;
    scan: ScanResult;
    budget: number;
    pass: { steadyRequests: boolean; steadyCpu: boolean; coldEvaluateCpu: boolean | null; coldRss: boolean | null; scan: boolean };
}

const self = fileURLToPath(import.meta.url);

/** The unit file; run.mjs says where the repository is (this file runs as a bundle elsewhere). */
const UNIT = join(process.env.PBH_BENCH_ROOT ?? process.cwd(), 'debian/pve-backup-health.service');

function child(role: string, args: unknown, heapMiB?: number): ChildProcess {
    // The measuring child runs Node as the packaged daemon does.
    const unit = readFileSync(UNIT, 'utf8');
    const execArgv = heapMiB ? [`--max-old-space-size=${heapMiB}`] : ['--expose-gc', ...unitNodeOptions(unit)];
    // The rest of the unit's environment (MALLOC_ARENA_MAX) as the daemon gets it; NODE_OPTIONS
    // went into execArgv above, next to the bench's own flags.
    const { NODE_OPTIONS: _, ...unitEnv } = heapMiB ? {} : unitEnvironment(unit);
    return fork(self, ['--bench-role', role, JSON.stringify(args)], { execArgv, env: { ...process.env, ...unitEnv }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The first message of `type` from a child; rejects when the child dies or reports an error. */
function waitFor(proc: ChildProcess, type: string): Promise<Message> {
    return new Promise((resolve, reject) => {
        const onMessage = (raw: unknown) => {
            const m = raw as Message;
            if (m.type === 'error') reject(new Error(String(m.message)));
            else if (m.type === type) {
                proc.off('message', onMessage);
                proc.off('exit', onExit);
                resolve(m);
            }
        };
        const onExit = (code: number | null) => reject(new Error(`bench child exited with ${code} before '${type}'`));
        proc.on('message', onMessage);
        proc.once('exit', onExit);
    });
}

function request(proc: ChildProcess, m: Message): Promise<Message> {
    const id = Math.floor(Math.random() * 2 ** 31);
    const reply = new Promise<Message>((resolve) => {
        const on = (raw: unknown) => {
            const r = raw as Message;
            if (r.id === id && r.type === `${m.type}:reply`) {
                proc.off('message', on);
                resolve(r);
            }
        };
        proc.on('message', on);
    });
    proc.send({ ...m, id });
    return reply;
}

async function runSize(nodes: number, guestsPerNode: number, log: (s: string) => void, saveDir?: string): Promise<SizeResult> {
    const guests = nodes * guestsPerNode;
    log(`${nodes} nodes × ${guestsPerNode} guests: generating ${DAYS} days of history…`);
    const sim = child('sim', { nodes, guestsPerNode, days: DAYS }, 8192);
    const dir = mkdtempSync(join(tmpdir(), 'pbh-bench-host-'));
    try {
        const info = (await waitFor(sim, 'ready')).info as SimInfo;
        log(`  ${info.tasks} tasks, ${info.logLines} log lines (generated in ${info.generateMs} ms); cold cycle…`);
        const saveSnapshot = saveDir === undefined ? undefined : join(saveDir, `snapshot-${nodes}-nodes.json`);
        const measure = child('measure', { info, steadyCycles: STEADY_CYCLES, ...(saveSnapshot ? { saveSnapshot } : {}) });
        // Relay the measuring child's clock requests to the simulator.
        measure.on('message', (raw) => {
            const m = raw as Message;
            if (m.type === 'advance') void request(sim, m).then((r) => measure.send({ ...r, id: m.id }));
        });
        const measured = (await waitFor(measure, 'result')).result as MeasureResult;
        if (measure.exitCode === null) await new Promise((resolve) => measure.once('exit', resolve));
        log('  local log scan…');
        await request(sim, { type: 'write-tasks', node: 'pve1', dir });
        // The simulator's large heap keeps a core busy with GC for a while: stop it before timing.
        await stop(sim);
        // The kernel may still be writing back the measuring child's ~3 800 cache files and the
        // logs just written: flush first, so that does not run during the timed rounds (at
        // 10 000 guests the ratio had come out 3.3× instead of ~2.5× in some runs; not since).
        await new Promise((resolve) => execFile('sync', resolve));
        const scan = (await waitFor(child('scan', { root: dir, node: 'pve1', historyFrom: info.now - DAYS * 86400, rounds: SCAN_ROUNDS }), 'result')).result as ScanResult;
        const budget = 2 * nodes + CONSTANT;
        const steadyCpu = median(measured.steady.map((s) => s.collectCpuMs));
        const big = guests >= 10_000;
        return {
            nodes,
            guests,
            days: DAYS,
            sim: info,
            measure: measured,
            scan,
            budget,
            pass: {
                steadyRequests: Math.max(...measured.steady.map((s) => s.requests)) <= budget,
                steadyCpu: steadyCpu <= TARGETS.steadyCpuMs,
                coldEvaluateCpu: big ? coldEvaluation(measured) <= TARGETS.coldEvaluateCpuMs : null,
                coldRss: big ? measured.coldPeakRssMiB <= TARGETS.coldRssMB * MB_IN_MIB : null,
                scan: scan.oursMs <= TARGETS.scanRatio * scan.grepMs,
            },
        };
    } finally {
        await stop(sim);
        rmSync(dir, { recursive: true, force: true });
    }
}

function stop(proc: ChildProcess): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.send({ type: 'stop' });
    });
}

const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'PASS' : 'FAIL');
const ms = (n: number) => `${Math.round(n)} ms`;

function print(r: SizeResult, out: (s: string) => void): void {
    const m = r.measure;
    const steadyReq = Math.max(...m.steady.map((s) => s.requests));
    const steadyCpu = median(m.steady.map((s) => s.collectCpuMs));
    const steadyMax = Math.max(...m.steady.map((s) => s.collectCpuMs));
    const steadyEval = m.steadyEvaluateCpuMs;
    out(`\n== ${r.nodes} nodes, ${r.guests} guests, ${r.days} days (${r.sim.tasks} tasks, ${r.sim.logLines} log lines)\n`);
    out(`cold cycle      collect ${ms(m.cold.collectCpuMs)} CPU, ${m.cold.requests} requests, ${ms(m.cold.wallMs)} wall; peak RSS ${Math.round(m.coldPeakRssMiB)} MiB (collector ${Math.round(m.cold.collectPeak.rssMiB)}, with the evaluation ${Math.round(m.cold.evaluatePeak.rssMiB)}; heap used at most ${Math.round(Math.max(m.cold.collectPeak.heapUsedMiB, m.cold.evaluatePeak.heapUsedMiB))}, external ${Math.round(m.cold.collectPeak.externalMiB)})\n`);
    out(`daemon memory   live heap after the cycles ${Math.round(m.liveHeapMiB)} MiB; peak RSS over cold and quiet cycles ${Math.round(m.peakRssMiB)} MiB\n`);
    const evals = [m.cold.evaluateCpuMs, ...m.coldEvaluateRepeatsCpuMs].map((x) => Math.round(x)).join(' / ');
    out(`evaluation      ${ms(coldEvaluation(m))} CPU median on the cold snapshot (runs ${evals} ms; ${m.cold.tasks} tasks, ${m.cold.problems} problems)   ${r.pass.coldEvaluateCpu === null ? '' : `target ≤ ${TARGETS.coldEvaluateCpuMs} ms: ${verdict(r.pass.coldEvaluateCpu)}`}\n`);
    if (r.pass.coldRss !== null) out(`cold peak RSS   ${Math.round(m.coldPeakRssMiB)} MiB = ${Math.round(m.coldPeakRssMiB / MB_IN_MIB)} MB   target ≤ ${TARGETS.coldRssMB} MB (${(TARGETS.coldRssMB * MB_IN_MIB).toFixed(1)} MiB): ${verdict(r.pass.coldRss)}\n`);
    out(`steady cycle    ${steadyReq} requests (budget 2 × ${r.nodes} + ${CONSTANT} = ${r.budget}): ${verdict(r.pass.steadyRequests)}; collect ${ms(steadyCpu)} CPU median, ${ms(steadyMax)} max (target ≤ ${TARGETS.steadyCpuMs} ms): ${verdict(r.pass.steadyCpu)}; evaluation ${ms(steadyEval)} CPU\n`);
    const s = r.scan;
    const ratio = s.oursMs / s.grepMs;
    out(
        `local log scan  ${s.files} task logs of pve1, ${(s.bytes / 2 ** 20).toFixed(1)} MiB: ours ${ms(s.oursMs)} (${(s.bytes / 2 ** 20 / (s.oursMs / 1000)).toFixed(0)} MiB/s; first pass ${ms(s.oursFirstMs)}), grep -c ${ms(s.grepMs)}: ${ratio.toFixed(1)}× grep (target ≤ ${TARGETS.scanRatio}×): ${verdict(r.pass.scan)}${s.grepCount === s.oursCount ? '' : ` [count mismatch: grep ${s.grepCount}, ours ${s.oursCount}]`}\n`,
    );
}

/**
 * `--evaluate <snapshot.json>` (saved with `--save-snapshots`): the evaluator alone on a saved
 * cold snapshot, for `node --cpu-prof test/bench/run.mjs --evaluate <file>`.
 */
async function evaluateSaved(file: string): Promise<number> {
    const { readFileSync } = await import('node:fs');
    const { evaluate } = await import('../../src/domain/health/evaluate.ts');
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as import('../../src/domain/model.ts').ClusterSnapshot;
    const c0 = process.cpuUsage();
    const report = evaluate(snapshot, snapshot.collectedAt, undefined, { explain: 'none' });
    const c = process.cpuUsage(c0);
    process.stdout.write(`evaluate: ${Math.round((c.user + c.system) / 1000)} ms CPU, ${report.guests.length} guests, ${report.problems.length} problems; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB (snapshot JSON included)\n`);
    return 0;
}

export async function runBench(argv: readonly string[]): Promise<number> {
    const e = argv.indexOf('--evaluate');
    if (e >= 0) return evaluateSaved(argv[e + 1] ?? '');
    const i = argv.indexOf('--sizes');
    const wanted = i >= 0 ? (argv[i + 1] ?? '').split(',').map(Number) : SIZES.map((s) => s.nodes);
    const json = argv.includes('--json');
    const s = argv.indexOf('--save-snapshots');
    const saveDir = s >= 0 ? argv[s + 1] : undefined;
    const out = (s: string) => process.stdout.write(s);
    const log = (s: string) => process.stderr.write(`${s}\n`);
    out(`pve-backup-health bench on ${(await import('node:os')).cpus().length} CPU(s), Node ${process.version}\n`);
    const results: SizeResult[] = [];
    try {
        for (const size of SIZES.filter((s) => wanted.includes(s.nodes))) {
            const r = await runSize(size.nodes, size.guestsPerNode, log, saveDir);
            results.push(r);
            print(r, out);
        }
    } catch (err) {
        process.stderr.write(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        return 1;
    }
    if (json) out(`${JSON.stringify(results)}\n`);
    return 0;
}

if (process.argv[2] === '--bench-role') {
    runRole(process.argv[3] ?? '', JSON.parse(process.argv[4] ?? '{}') as Record<string, unknown>).catch((err: unknown) => {
        process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        process.exit(1);
    });
}
