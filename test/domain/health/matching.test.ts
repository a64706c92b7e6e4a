// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SelectionIndex, coverageOf, exclusionReason, jobSelects, notCoveredReason } from '../../../src/domain/health/coverage.ts';
import { PlacementIndex } from '../../../src/domain/health/placement.ts';
import { isScheduledTask, taskMatchesJob } from '../../../src/domain/health/task-match.ts';
import type { BackupJob, Guest, VzdumpTask } from '../../../src/domain/model.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';

const job = (over: Partial<BackupJob>): BackupJob => ({
    id: 'j', origin: 'jobs.cfg', schedule: '02:00', enabled: true, repeatMissed: false, options: {},
    selection: { all: false, vmids: [], exclude: [] }, ...over,
});
const guest = (vmid: number, node = 'pve1', over: Partial<Guest> = {}): Guest => ({ vmid, type: 'qemu', name: `g${vmid}`, node, template: false, tags: [], ...over });
const task = (cmd: string | null, user = 'root@pam'): VzdumpTask => ({
    upid: 'UPID:pve1:1:1:1:vzdump::root@pam:', node: 'pve1', startTime: 0, status: 'OK', user, id: '',
    log: parseVzdumpLog(cmd === null ? ['TASK ERROR: could not activate storage'] : [`INFO: starting new backup job: ${cmd}`, 'TASK OK']),
});

describe('selection index', () => {
    it('names exactly the pairs jobSelects names, in job and guest order', () => {
        const vmid = fc.integer({ min: 100, max: 112 });
        const sel = fc.record({ all: fc.boolean(), vmids: fc.array(vmid, { maxLength: 6 }), exclude: fc.array(vmid, { maxLength: 3 }), pool: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) });
        const jobs = fc.array(sel.map((s) => job({ selection: s.pool === undefined ? { all: s.all, vmids: s.vmids, exclude: s.exclude } : { all: s.all, vmids: s.vmids, exclude: s.exclude, pool: s.pool } })), { maxLength: 6 });
        const guests = fc.array(fc.tuple(vmid, fc.option(fc.constantFrom('a', 'b'), { nil: undefined })).map(([v, pool]) => guest(v, 'pve1', pool ? { pool } : {})), { maxLength: 12 });
        fc.assert(
            fc.property(jobs, guests, (js, gs) => {
                const index = new SelectionIndex(js, gs);
                for (const g of gs) expect(index.jobsOf(g)).toEqual(js.filter((j) => jobSelects(j, g)));
                for (const j of js) expect(index.guestsOf(j)).toEqual(gs.filter((g) => jobSelects(j, g)));
            }),
            { numRuns: 300 },
        );
    });
});

describe('coverage', () => {
    it('counts only enabled jobs that run on the guest node', () => {
        const jobs = [
            job({ id: 'off', enabled: false, selection: { all: true, vmids: [], exclude: [] } }),
            job({ id: 'pinned', node: 'pve2', selection: { all: false, vmids: [100], exclude: [] } }),
            job({ id: 'pool', selection: { all: false, vmids: [], exclude: [], pool: 'prod' } }),
        ];
        const c = coverageOf(guest(100), jobs);
        expect(c.effective).toEqual([]);
        expect(notCoveredReason(c)).toBe('only in disabled job off; only in job pinned to another node: pinned (runs only on pve2)');
        expect(coverageOf(guest(100, 'pve1', { pool: 'prod' }), jobs).effective.map((j) => j.id)).toEqual(['pool']);
        expect(coverageOf(guest(100), [job({ selection: { all: true, vmids: [], exclude: [100] } })]).effective).toEqual([]);
    });

    it('templates and the ignore tag (case-insensitive) are excluded on purpose', () => {
        expect(exclusionReason(guest(9000, 'pve1', { template: true }), 'nobackup')).toBe('template');
        expect(exclusionReason(guest(101, 'pve1', { tags: ['NoBackup'] }), 'nobackup')).toBe("tagged 'nobackup'");
        expect(exclusionReason(guest(102), 'nobackup')).toBeNull();
    });
});

describe('task to job attribution', () => {
    it('compares the logged selection and storage with the job', () => {
        const j = job({ selection: { all: false, vmids: [100, 101], exclude: [] }, storage: 'local' });
        expect(taskMatchesJob(task('vzdump 101 100 --storage local --quiet 1'), j)).toBe('yes');
        expect(taskMatchesJob(task('vzdump 100 --storage local --quiet 1'), j)).toBe('no');
        expect(taskMatchesJob(task('vzdump 100 101 --storage nfs --quiet 1'), j)).toBe('no');
        expect(taskMatchesJob(task(null), j)).toBe('unknown');
        const all = job({ selection: { all: true, vmids: [], exclude: [9000] } });
        expect(taskMatchesJob(task("vzdump --all 1 --exclude '9000' --quiet 1"), all)).toBe('yes');
        expect(taskMatchesJob(task('vzdump --all 1 --quiet 1'), all)).toBe('no');
    });

    it('scheduled runs are root@pam with --quiet 1; Run now is not', () => {
        expect(isScheduledTask(task('vzdump 100 --quiet 1'))).toBe('yes');
        expect(isScheduledTask(task('vzdump 100 --storage local'))).toBe('no');
        expect(isScheduledTask(task('vzdump 100 --quiet 1', 'admin@pve'))).toBe('no');
        expect(isScheduledTask(task(null))).toBe('unknown');
        expect(isScheduledTask({ ...task('vzdump 100'), jobId: 'j' })).toBe('yes');
    });
});

describe('placement', () => {
    it('answers where a guest with a history lived at a time; a guest without one is where it is', () => {
        const p = new PlacementIndex([guest(100, 'pve2'), guest(101)], [
            { vmid: 100, node: 'pve1', from: 100, until: 199 },
            { vmid: 100, node: 'pve2', from: 200 },
        ]);
        expect(p.nodeAt(100, 150)).toBe('pve1');
        expect(p.nodeAt(100, 250)).toBe('pve2');
        expect(p.nodeAt(100, 50)).toBe('pve1');
        // No history: the index keeps nothing for it, the caller takes the guest's own node.
        expect(p.nodeAt(101, 50)).toBeUndefined();
        expect(p.nodesOf(100)).toEqual(['pve1', 'pve2']);
        expect(p.movedGuests()).toEqual([100]);
    });
});
