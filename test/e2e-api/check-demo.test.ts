// SPDX-License-Identifier: AGPL-3.0-or-later
// `check --api-url` end to end against the simulated demo cluster (HTTPS on 127.0.0.1, pinned
// fingerprint): one planted problem of each kind, judged like the ground truth says; retries of
// 5xx answers; a rejected token; the built bundle as a child process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { type SimCertificates, generateCertificates } from '../simulator/cert.ts';
import { DEMO_START, demoScenario } from '../simulator/scenarios.ts';
import { PVEAUDITOR_TOKEN, tokenString } from '../simulator/spec.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { computeTruth } from '../simulator/truth.ts';
import { checkBundle, checkInProcess, codesOf, compareWithTruth, tempRoot } from './harness.ts';

const bundle = join(import.meta.dirname, '../../dist/pve-backup-health.js');
const spec = demoScenario();
const disabledJobs = new Set(spec.jobs.filter((j) => j.enabled === false).map((j) => j.id));
let certs: SimCertificates;
let sim: Simulator;
const root = tempRoot();
let baseline: HealthReport;

beforeAll(async () => {
    certs = generateCertificates();
    sim = await startSimulator(spec, { certs });
    const run = await checkInProcess(sim, root.dir);
    baseline = run.report as HealthReport;
});
afterAll(async () => {
    await sim.stop();
    root.remove();
});

const problem = (r: HealthReport, code: string, vmid: number) => r.problems.find((p) => p.code === code && p.vmid === vmid);
const guest = (r: HealthReport, vmid: number) => r.guests.find((g) => g.vmid === vmid);
const essence = (r: HealthReport) => r.problems.map((p) => `${p.code}|${p.severity}|${p.vmid ?? ''}|${p.job ?? ''}|${p.node ?? ''}`).sort();

describe('check --api-url against the demo cluster', () => {
    it('agrees with the simulator’s ground truth, problem by problem', () => {
        expect(baseline.checkedAt).toBe('2026-11-21T09:00:00Z');
        expect(baseline.status).toBe('critical');
        expect(compareWithTruth(baseline, computeTruth(sim.world, DEMO_START), disabledJobs)).toEqual([]);
        expect(baseline.sourceErrors).toEqual([]);
    });

    it('an auditor token (PVEAuditor privileges on /) is enough: no 403, retention settings read', () => {
        expect(sim.requestLog.filter((r) => r.status === 403).map((r) => r.path)).toEqual([]);
        expect(sim.requestLog.filter((r) => r.path.startsWith('/storage')).map((r) => `${r.path} ${r.status}`)).toEqual(['/storage 200']);
        expect(baseline.problems.some((p) => p.code === 'retention-violation')).toBe(false);
    });

    it('a token with PVEAuditor only: PVE hides backup volumes, and the report says so instead of "no backups"', async () => {
        const mark = sim.requestLog.length;
        const run = await checkInProcess(sim, root.dir, [], tokenString(PVEAUDITOR_TOKEN));
        const r = run.report as HealthReport;
        const notes = r.problems.filter((p) => p.code === 'source-unreachable').map((p) => p.message);
        for (const storage of ['local', 'nfs-backup', 'pbs-store']) {
            expect(notes.some((m) => m.includes(`lacks Datastore.AllocateSpace on /storage/${storage} and VM.Backup on /vms`))).toBe(true);
        }
        expect(sim.requestLog.slice(mark).some((x) => x.path.endsWith('/content'))).toBe(false);
        // The task history still tells failures; the PBS verification cannot be seen.
        expect(problem(r, 'backup-failed', 102)).toBeDefined();
        expect(problem(r, 'verify-failed', 300)).toBeUndefined();
    });

    it('failed: the latest run failed, with the log line that proves it', () => {
        const p = problem(baseline, 'backup-failed', 102);
        expect(p).toMatchObject({ severity: 'critical', job: 'backup-7c1e2b3f-9a1d', node: 'pve1' });
        expect(p?.message).toContain('mail01 (102)');
        expect(p?.evidence.logLines?.map((l) => l.text).join('\n')).toMatch(/ERROR: Backup of VM 102 failed - /);
        expect(guest(baseline, 102)?.status).toBe('critical');
    });

    it('failing for days: one failure streak, not stale on top', () => {
        expect(codesOf(baseline, 202)).toEqual(['backup-failed']);
        expect(problem(baseline, 'backup-failed', 202)?.message).toMatch(/4 scheduled runs in a row/);
    });

    it('a failure followed by a good backup of another job is no longer reported', () => {
        const legacy = sim.jobId('legacy-ci');
        const ci = guest(baseline, 302);
        expect(ci?.runs.find((r) => r.job === legacy)?.guestStatus).toBe('failed');
        expect(ci?.status).toBe('ok');
        expect(codesOf(baseline, 302)).toEqual([]);
    });

    it('missed: the scheduler skipped the run, both guests of the job are missed', () => {
        for (const vmid of [200, 201]) expect(problem(baseline, 'backup-missed', vmid)).toMatchObject({ severity: 'critical', job: 'pve2-daily', node: 'pve2' });
        // An outage long ago was followed by good runs: not reported any more.
        expect(baseline.problems.some((p) => p.node === 'pve3' && p.code === 'backup-missed')).toBe(false);
    });

    it('warnings, running long, PBS verification failed', () => {
        expect(problem(baseline, 'backup-warnings', 101)).toMatchObject({ severity: 'warning', job: 'backup-7c1e2b3f-9a1d' });
        expect(problem(baseline, 'backup-running-long', 103)).toMatchObject({ severity: 'warning', job: 'db-nightly', node: 'pve1' });
        expect(problem(baseline, 'verify-failed', 300)).toMatchObject({ severity: 'critical', storage: 'pbs-store' });
        expect(guest(baseline, 300)?.verify).toBe('failed');
    });

    it('not covered: in no job, or only in a disabled job; templates and nobackup are excluded', () => {
        expect(problem(baseline, 'not-covered', 104)?.message).toMatch(/in no backup job/);
        expect(problem(baseline, 'not-covered', 203)?.message).toMatch(/only in disabled job old-disabled/);
        for (const vmid of [204, 9000]) expect(guest(baseline, vmid)).toMatchObject({ coverage: 'excluded', status: 'ok' });
        expect(guest(baseline, 100)).toMatchObject({ status: 'ok', coverage: 'covered' });
    });

    it('retries 5xx answers and then reports exactly as without them', async () => {
        const mark = sim.requestLog.length;
        sim.faults.failNext('/cluster/backup', 2, 500);
        sim.faults.failNext('/nodes/pve2/tasks', 1, 503, 'Service Unavailable');
        const run = await checkInProcess(sim, root.dir);
        expect(run.code).toBe(2);
        expect(essence(run.report as HealthReport)).toEqual(essence(baseline));
        const jobLists = sim.requestLog.slice(mark).filter((r) => r.path === '/cluster/backup').map((r) => r.status);
        expect(jobLists).toEqual([500, 500, 200]);
        const pve2 = sim.requestLog.slice(mark).filter((r) => r.path === '/nodes/pve2/tasks').map((r) => r.status);
        expect(pve2).toEqual([503, 200]);
    });

    it('--cache-dir: a second run takes the parsed task logs from disk and reports the same', async () => {
        const cache = tempRoot('pbh-e2e-cache-');
        try {
            await checkInProcess(sim, root.dir, ['--cache-dir', cache.dir]);
            const mark = sim.requestLog.length;
            const again = await checkInProcess(sim, root.dir, ['--cache-dir', cache.dir]);
            const logs = sim.requestLog.slice(mark).filter((r) => r.path.endsWith('/log'));
            // Only the task still running is fetched again: its log is never cached.
            expect(logs.map((r) => decodeURIComponent(r.path))).toEqual([expect.stringMatching(/^\/nodes\/pve1\/tasks\/UPID:pve1:.*:vzdump:103:root@pam:\/log$/)]);
            expect(essence(again.report as HealthReport)).toEqual(essence(baseline));
        } finally {
            cache.remove();
        }
    });

    it('a rejected token: exit 3 (unknown) and a message saying so, no report', async () => {
        const wrong = await checkInProcess(sim, root.dir, [], 'monitor@pve!health=00000000-0000-4000-8000-000000000000');
        expect(wrong.code).toBe(3);
        expect(wrong.out).toBe('');
        expect(wrong.err).toMatch(/^UNKNOWN - /);
        expect(wrong.err).toMatch(/API token rejected \(401/);
        expect(wrong.err).not.toContain('00000000-0000-4000-8000-000000000000');
        sim.faults.rejectTokens = true;
        try {
            const revoked = await checkInProcess(sim, root.dir);
            expect(revoked.code).toBe(3);
            expect(revoked.err).toMatch(/token rejected/);
        } finally {
            sim.faults.rejectTokens = false;
        }
    });

    it('refuses a server whose certificate does not match the pinned fingerprint', async () => {
        const other = generateCertificates();
        const run = await checkInProcess({ ...sim, fingerprint: other.fingerprint }, root.dir);
        expect(run.code).toBe(3);
        expect(run.err).toMatch(/fingerprint/i);
    });

    it.skipIf(!existsSync(bundle))('the built bundle gives the same report as a child process (token from the environment)', async () => {
        const run = await checkBundle(bundle, sim, root.dir);
        expect(run.err).toBe('');
        expect(run.code).toBe(2);
        expect(essence(run.report as HealthReport)).toEqual(essence(baseline));
    });
});
