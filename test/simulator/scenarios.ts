// SPDX-License-Identifier: AGPL-3.0-or-later
/** Ready-made scenarios: a small demo cluster with one of each problem, and a scalable one for benches. */

import type { ScenarioSpec, SimGuestSpec, SimJobSpec, SimNodeSpec, SimTokenSpec } from './spec.ts';
import { DEFAULT_TOKEN, PVEAUDITOR_TOKEN } from './spec.ts';

/** 2026-11-21 09:00 UTC (a Saturday), the demo's "now". */
export const DEMO_START = Date.UTC(2026, 10, 21, 9, 0, 0) / 1000;

/** A token with Sys.Audit on /nodes only: reading jobs or cluster status fails with 403. */
export const LIMITED_TOKEN: SimTokenSpec = {
    id: 'limited@pve!ro',
    secret: '0badc0de-0000-4000-8000-000000000001',
    acl: [{ path: '/nodes', privs: ['Sys.Audit'] }],
};

/**
 * Three nodes in two time zones, file, NFS and PBS storages, jobs.cfg and legacy cron jobs, and
 * one planted instance of each guest problem (see the comments on the guests).
 */
export function demoScenario(overrides: Partial<ScenarioSpec> = {}): ScenarioSpec {
    const g = (vmid: number, type: 'qemu' | 'lxc', name: string, node: string, extra: Partial<SimGuestSpec> = {}): SimGuestSpec => ({
        vmid,
        type,
        name,
        node,
        ...extra,
    });
    return {
        seed: 42,
        cluster: 'demo',
        start: DEMO_START,
        historyDays: 35,
        nodes: [
            { name: 'pve1', timeZone: 'Europe/Berlin' },
            { name: 'pve2', timeZone: 'Europe/Berlin' },
            // Down for two days a week ago: old misses that must not be reported any more.
            { name: 'pve3', timeZone: 'America/New_York', outages: [{ from: DEMO_START - 9 * 86400, to: DEMO_START - 7 * 86400 }] },
        ],
        guests: [
            g(100, 'qemu', 'web01', 'pve1'),
            g(101, 'lxc', 'dns01', 'pve1'), // warnings
            g(102, 'qemu', 'mail01', 'pve1'), // failed
            g(103, 'qemu', 'db01', 'pve1', { sizeGiB: 200 }), // running long
            g(104, 'qemu', 'test01', 'pve1'), // in no job
            g(9000, 'qemu', 'tmpl-debian', 'pve1', { template: true, status: 'stopped' }),
            g(200, 'qemu', 'app01', 'pve2'), // missed (with 201)
            g(201, 'lxc', 'cache01', 'pve2'),
            g(202, 'qemu', 'build01', 'pve2'), // failing for days: failed (4 runs in a row), not stale on top
            g(203, 'qemu', 'legacy01', 'pve2'), // only in a disabled job
            g(204, 'lxc', 'lab01', 'pve2', { tags: ['nobackup', 'lab'] }),
            g(300, 'qemu', 'files01', 'pve3'), // PBS verification failed
            g(301, 'lxc', 'git01', 'pve3', { pool: 'dev' }),
            g(302, 'qemu', 'ci01', 'pve3', { pool: 'dev' }),
        ],
        storages: [
            { id: 'local', type: 'dir', totalGiB: 900, usedGiB: 410, content: ['backup', 'iso', 'vztmpl'] },
            { id: 'nfs-backup', type: 'nfs', totalGiB: 4000, usedGiB: 1800, prune: 'keep-daily=7,keep-weekly=4' },
            { id: 'pbs-store', type: 'pbs', totalGiB: 8000, usedGiB: 5100, prune: 'keep-last=14', verify: { ok: 0.95, failed: 0 } },
        ],
        jobs: [
            { id: 'backup-7c1e2b3f-9a1d', schedule: '02:00', storage: 'local', vmids: [100, 101, 102], prune: 'keep-daily=7,keep-last=3' },
            { id: 'db-nightly', schedule: '02:30', storage: 'nfs-backup', vmids: [103], node: 'pve1' },
            { id: 'pve2-daily', schedule: '03:00', storage: 'pbs-store', vmids: [200, 201] },
            { id: 'build-daily', schedule: 'mon..sun 04:00', storage: 'local', vmids: [202] },
            { id: 'old-disabled', schedule: 'sun 05:00', storage: 'nfs-backup', vmids: [203], enabled: false, comment: 'retired' },
            { id: 'files-pbs', schedule: '22:00', storage: 'pbs-store', vmids: [300] },
            { id: 'weekly-dev', schedule: 'sat 01:30', storage: 'nfs-backup', pool: 'dev' },
            { id: 'legacy-ci', schedule: 'fri 23:15', storage: 'nfs-backup', vmids: [302], legacy: true },
        ],
        rates: { fail: 0.02, warn: 0.03, miss: 0 },
        plant: [
            { kind: 'warnings', vmid: 101 },
            { kind: 'failed', vmid: 102 },
            { kind: 'running-long', vmid: 103 },
            { kind: 'missed', vmid: 200 },
            { kind: 'stale', vmid: 202 },
            { kind: 'verify-failed', vmid: 300 },
        ],
        tokens: [DEFAULT_TOKEN, LIMITED_TOKEN, PVEAUDITOR_TOKEN],
        ...overrides,
    };
}

export interface ScaleOptions {
    seed?: number;
    nodes: number;
    guestsPerNode: number;
    historyDays?: number;
    start?: number;
    rates?: ScenarioSpec['rates'];
}

/** N nodes × M guests, one daily job per node to PBS plus a weekly one to NFS: for benches. */
export function scaleScenario(o: ScaleOptions): ScenarioSpec {
    const nodes: SimNodeSpec[] = [];
    const guests: SimGuestSpec[] = [];
    const jobs: SimJobSpec[] = [];
    for (let n = 1; n <= o.nodes; n++) {
        const name = `pve${n}`;
        nodes.push({ name, timeZone: n % 3 === 0 ? 'America/New_York' : 'Europe/Berlin' });
        const vmids: number[] = [];
        for (let i = 0; i < o.guestsPerNode; i++) {
            const vmid = n * 1000 + i;
            vmids.push(vmid);
            guests.push({ vmid, type: i % 3 === 0 ? 'lxc' : 'qemu', name: `guest-${vmid}`, node: name, sizeGiB: 4 + (i % 13) });
        }
        jobs.push({ id: `daily-${name}`, schedule: `${1 + (n % 4)}:${String((n * 7) % 60).padStart(2, '0')}`, storage: 'pbs-store', vmids, node: name });
    }
    jobs.push({ id: 'weekly-all', schedule: 'sun 06:00', storage: 'nfs-backup', all: true });
    return {
        seed: o.seed ?? 7,
        cluster: 'bench',
        start: o.start ?? DEMO_START,
        historyDays: o.historyDays ?? 35,
        nodes,
        guests,
        storages: [
            { id: 'nfs-backup', type: 'nfs', totalGiB: 100_000, prune: 'keep-weekly=4' },
            { id: 'pbs-store', type: 'pbs', totalGiB: 200_000, prune: 'keep-last=14', verify: { ok: 0.9, failed: 0 } },
        ],
        jobs,
        rates: o.rates ?? { fail: 0.01, warn: 0.02, miss: 0 },
    };
}
