// SPDX-License-Identifier: AGPL-3.0-or-later
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJobsCfg } from '../../../src/domain/pve/jobs-cfg.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/pve-files');

describe('parseJobsCfg: the §4.1 example', () => {
    const { jobs, errors } = parseJobsCfg(readFileSync(`${dir}/jobs.cfg`, 'utf8'));

    it('has no errors', () => {
        expect(errors).toEqual([]);
    });

    it('reads the GUI-shaped job', () => {
        expect(jobs[0]).toEqual({
            id: 'backup-7c1e2b3f-9a1d',
            origin: 'jobs.cfg',
            schedule: '02:00',
            enabled: true,
            selection: { all: false, vmids: [100, 101], exclude: [] },
            repeatMissed: false,
            storage: 'local',
            prune: { keepDaily: 7, keepLast: 3 },
            options: {
                schedule: '02:00',
                compress: 'zstd',
                enabled: '1',
                fleecing: '0',
                mode: 'snapshot',
                'notes-template': '{{guestname}}',
                'notification-mode': 'notification-system',
                'prune-backups': 'keep-daily=7,keep-last=3',
                'repeat-missed': '0',
                storage: 'local',
                vmid: '100,101',
            },
        });
    });

    it('reads the hand-made job: decoded comment, all + exclude, node', () => {
        expect(jobs[1]).toMatchObject({
            id: 'weekly-pbs',
            comment: 'Weekly: everything except templates',
            schedule: 'sun 03:00',
            enabled: true,
            selection: { all: true, vmids: [], exclude: [9000, 9001] },
            node: 'pve2',
            storage: 'pbs-store',
            repeatMissed: false,
        });
        expect(jobs[1]?.options.comment).toBe('Weekly%3A everything except templates');
        expect(jobs[1]?.prune).toBeUndefined();
    });
});

describe('parseJobsCfg: oddities', () => {
    const { jobs, errors } = parseJobsCfg(readFileSync(`${dir}/jobs-edge.cfg`, 'utf8'));
    const byId = new Map(jobs.map((j) => [j.id, j]));

    it('skips realm-sync and unknown section types, and drops a job without schedule', () => {
        expect(jobs.map((j) => j.id)).toEqual(['broken-values', 'backup-pool-1', 'duplicate-keys']);
        expect(errors).toContainEqual({
            line: 7,
            message: "job 'no-schedule': missing value for required option 'schedule' (PVE ignores this job)",
        });
    });

    it('reports broken values with job id and key, drops them, keeps the job', () => {
        const job = byId.get('broken-values');
        expect(job).toMatchObject({
            schedule: 'mon..fri 22:30',
            enabled: true,
            comment: 'Café backup 100%',
            selection: { all: false, vmids: [], exclude: [], pool: 'prod' },
        });
        expect(job?.prune).toBeUndefined();
        expect(job?.options['future-option']).toBe('some value');
        expect(Object.keys(job?.options ?? {})).not.toContain('mode');
        const messages = errors.filter((e) => e.line >= 11 && e.line <= 20);
        expect(messages).toEqual([
            { line: 14, message: "job 'broken-values': invalid value for 'enabled': 'maybe' is not a boolean" },
            { line: 15, message: "job 'broken-values': invalid value for 'vmid': invalid guest id 'abc'" },
            { line: 16, message: "job 'broken-values': invalid value for 'prune-backups': invalid value for 'keep-daily': 'x'" },
            { line: 18, message: "job 'broken-values': invalid value for 'mode': 'fast' is not one of snapshot, suspend, stop" },
            { line: 19, message: "job 'broken-values': invalid value for 'ionice': 9 is out of range 0..8" },
        ]);
    });

    it('reads pool jobs, disabled, repeat-missed, arrays, keep-all and bare boolean keys', () => {
        const job = byId.get('backup-pool-1');
        expect(job).toMatchObject({
            schedule: '*-*-01 01:00',
            enabled: false,
            repeatMissed: true,
            selection: { all: false, vmids: [], exclude: [], pool: 'prod' },
            prune: { keepAll: true },
        });
        expect(job?.options['exclude-path']).toBe('/tmp/a\n/var/cache');
        expect(job?.options.remove).toBe('1');
    });

    it('follows PVE: only an empty line ends a section, so a header right after a section is ignored', () => {
        expect(byId.has('swallowed-by-previous-section')).toBe(false);
        expect(errors).toContainEqual({
            line: 34,
            message: "section 'backup-pool-1': ignored line 'vzdump: swallowed-by-previous-section'",
        });
        expect(errors).toContainEqual({
            line: 35,
            message: "job 'backup-pool-1': duplicate attribute 'schedule' (the first value is used)",
        });
        expect(byId.get('backup-pool-1')?.schedule).toBe('*-*-01 01:00');
    });

    it('keeps the first of duplicate keys and checks node and storage names', () => {
        const job = byId.get('duplicate-keys');
        expect(job?.selection.vmids).toEqual([500]);
        expect(job?.storage).toBeUndefined();
        expect(job?.node).toBeUndefined();
        expect(errors.filter((e) => e.line >= 41).map((e) => e.line)).toEqual([41, 42, 43]);
    });
});

describe('parseJobsCfg: small cases', () => {
    it('handles empty input, CRLF and a job that selects nothing', () => {
        expect(parseJobsCfg('')).toEqual({ jobs: [], errors: [] });
        const { jobs, errors } = parseJobsCfg('vzdump: a\r\n\tschedule 01:00\r\n\tenabled 0\r\n');
        expect(jobs).toMatchObject([{ id: 'a', schedule: '01:00', enabled: false, selection: { vmids: [], all: false } }]);
        expect(errors).toEqual([{ line: 1, message: "job 'a': selects no guests (no 'vmid', 'all' or 'pool')" }]);
    });

    it('reports vmid together with all, and a repeated section id (the later wins)', () => {
        const text = 'vzdump: a\n\tschedule 01:00\n\tvmid 100\n\tall 1\n\nvzdump: a\n\tschedule 02:00\n\tvmid 101\n';
        const { jobs, errors } = parseJobsCfg(text);
        expect(jobs).toHaveLength(1);
        expect(jobs[0]?.schedule).toBe('02:00');
        expect(errors.map((e) => e.message)).toEqual([
            "job 'a': 'vmid' conflicts with 'all', 'exclude' or 'pool'",
            "job 'a': defined twice, the later section wins",
        ]);
    });

    it('treats a key named like an Object property as plain data', () => {
        const { jobs } = parseJobsCfg('vzdump: a\n\tschedule 01:00\n\tvmid 100\n\t__proto__ x\n\tconstructor y\n');
        expect(Object.getOwnPropertyDescriptor(jobs[0]?.options, '__proto__')?.value).toBe('x');
        expect(Object.getPrototypeOf(jobs[0]?.options)).toBe(Object.prototype);
    });
});
