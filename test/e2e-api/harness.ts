// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * End-to-end helpers: the real `check` command (in-process through `runCli`, or the built bundle
 * as a child process) against the PVE API simulator over HTTPS loopback with a pinned
 * fingerprint, and a comparison of its JSON report with the simulator's ground truth.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { allCommands } from '../../src/cli/commands/index.ts';
import { runCli } from '../../src/cli/main.ts';
import type { Simulator } from '../simulator/server.ts';
import type { GroundTruth, TruthEntry } from '../simulator/truth.ts';

export interface CheckRun {
    code: number;
    out: string;
    err: string;
    /** The parsed JSON report, when stdout held one. */
    report?: HealthReport;
}

export function iso(t: number): string {
    return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

/** An empty directory as `--host-root`, so the test host's own `/etc/pve` never leaks in. */
export function tempRoot(prefix = 'pbh-e2e-'): { dir: string; remove: () => void } {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `check --api-url … --fingerprint … --now <sim clock> --json` plus `extra`, with the token from `token`. */
export function checkArgs(sim: Simulator, hostRoot: string, extra: string[] = []): string[] {
    return ['check', '--api-url', sim.url, '--fingerprint', sim.fingerprint, '--now', iso(sim.clock.now()), '--json', '--host-root', hostRoot, ...extra];
}

function parse(out: string): HealthReport | undefined {
    try {
        return JSON.parse(out) as HealthReport;
    } catch {
        return undefined;
    }
}

/** Runs `check` in-process (no build needed). */
export async function checkInProcess(sim: Simulator, hostRoot: string, extra: string[] = [], token = sim.token): Promise<CheckRun> {
    let out = '';
    let err = '';
    const code = await runCli([...checkArgs(sim, hostRoot, extra), '--token', token], allCommands(), {
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env: {},
        now: () => sim.clock.now(),
    });
    const run: CheckRun = { code, out, err };
    const report = parse(out);
    if (report) run.report = report;
    return run;
}

/**
 * Runs the bundle as a child process, the token in the environment (as the usage advises). Async:
 * the simulator answers from this very process, so a synchronous spawn would deadlock.
 */
export function checkBundle(bundle: string, sim: Simulator, hostRoot: string, extra: string[] = []): Promise<CheckRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [bundle, ...checkArgs(sim, hostRoot, extra)], {
            env: { PATH: process.env.PATH ?? '', PVE_BACKUP_HEALTH_TOKEN: sim.token },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
            out += c.toString('utf8');
        });
        child.stderr.on('data', (c: Buffer) => {
            err += c.toString('utf8');
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
            clearTimeout(timer);
            const run: CheckRun = { code: code ?? -1, out, err };
            const report = parse(out);
            if (report) run.report = report;
            resolve(run);
        });
    });
}

type ReportProblem = HealthReport['problems'][number];

const describeEntry = (e: TruthEntry) => `${e.code}${e.vmid !== undefined ? ` vmid ${e.vmid}` : ''}${e.node ? ` on ${e.node}` : ''}${e.job ? ` job ${e.job}` : ''} (${e.why})`;
const describeProblem = (p: ReportProblem) => `${p.code} ${p.severity}${p.vmid !== undefined ? ` vmid ${p.vmid}` : ''}${p.node ? ` on ${p.node}` : ''}${p.job ? ` job ${p.job}` : ''}: ${p.message}`;

function matches(e: TruthEntry, p: ReportProblem): boolean {
    if (e.code !== p.code) return false;
    if (e.vmid !== undefined && e.vmid !== p.vmid) return false;
    if (e.vmid === undefined && p.vmid !== undefined && e.code !== 'backup-running-long') return false;
    if (e.node !== undefined && p.node !== undefined && e.node !== p.node) return false;
    if (e.job !== undefined && p.job !== undefined && e.job !== p.job) return false;
    return true;
}

/** Problems that are about jobs as configured rather than about history: not part of the truth. */
function configProblem(p: ReportProblem, disabledJobs: ReadonlySet<string>): boolean {
    return p.code === 'job-disabled' && p.job !== undefined && disabledJobs.has(p.job);
}

/**
 * Differences between a report and the ground truth, as readable lines (empty = agreement):
 * every `must` entry reported (with its severity when the truth fixes it), every reported problem
 * backed by a `must` or `may` entry, healthy guests `ok`, guests of offline nodes `unknown`.
 */
export function compareWithTruth(report: HealthReport, truth: GroundTruth, disabledJobs: ReadonlySet<string> = new Set()): string[] {
    const out: string[] = [];
    for (const e of truth.entries) {
        if (e.certainty !== 'must') continue;
        const found = report.problems.filter((p) => matches(e, p));
        if (found.length === 0) out.push(`missing: ${describeEntry(e)}`);
        else if (e.severity !== undefined && !found.some((p) => p.severity === e.severity)) {
            out.push(`severity: ${describeEntry(e)} expected ${e.severity}, got ${found.map((p) => p.severity).join('/')}`);
        }
    }
    for (const p of report.problems) {
        if (configProblem(p, disabledJobs)) continue;
        // A node-level "cannot read" note also comes per failed request of that node.
        if (p.code === 'source-unreachable' && p.vmid === undefined && truth.entries.some((e) => e.code === 'source-unreachable' && e.node === p.node)) continue;
        if (!truth.entries.some((e) => matches(e, p))) out.push(`unexpected: ${describeProblem(p)}`);
    }
    const status = new Map(report.guests.map((g) => [g.vmid, g]));
    for (const vmid of truth.healthy) {
        const g = status.get(vmid);
        if (g?.status !== 'ok') out.push(`guest ${vmid}: truth says healthy, report says ${g?.status ?? 'absent'} (${g?.problems.join(', ')})`);
    }
    for (const vmid of truth.unknown) {
        const g = status.get(vmid);
        if (g?.status !== 'unknown') out.push(`guest ${vmid}: its node is offline, report says ${g?.status ?? 'absent'}`);
    }
    for (const vmid of truth.excluded) {
        const g = status.get(vmid);
        if (g?.coverage !== 'excluded' || g.status !== 'ok') out.push(`guest ${vmid}: excluded in the truth, report says ${g?.coverage}/${g?.status}`);
    }
    return out;
}

export function codesOf(report: HealthReport, vmid: number): string[] {
    return report.problems.filter((p) => p.vmid === vmid).map((p) => p.code).sort();
}
