// SPDX-License-Identifier: AGPL-3.0-or-later
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVzdumpCron } from '../../../src/domain/pve/vzdump-cron.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/pve-files');
const SHA = 'b2b14f574decbdba73de3fbe14324c013eba2d79';

describe('parseVzdumpCron: the §4.2 example', () => {
    const { jobs, errors } = parseVzdumpCron(readFileSync(`${dir}/vzdump.cron`, 'utf8'), SHA);

    it('has two jobs and no errors', () => {
        expect(errors).toEqual([]);
        expect(jobs).toHaveLength(2);
    });

    it('converts a weekday job to `<day> HH:MM` and keeps the vzdump options', () => {
        expect(jobs[0]).toEqual({
            id: `${SHA}:1`,
            origin: 'vzdump.cron',
            schedule: 'sat 02:00',
            enabled: true,
            selection: { all: false, vmids: [100, 101], exclude: [] },
            repeatMissed: false,
            storage: 'local',
            options: { mode: 'snapshot', quiet: '1', storage: 'local', compress: 'zstd', mailnotification: 'always' },
        });
    });

    it('converts an every-day job to `HH:MM` and reads `#vzdump` as disabled', () => {
        expect(jobs[1]).toMatchObject({
            id: `${SHA}:2`,
            schedule: '01:30',
            enabled: false,
            selection: { all: true, vmids: [], exclude: [] },
            storage: 'nfs',
            options: { all: '1', quiet: '1', storage: 'nfs', mode: 'stop' },
        });
    });
});

describe('parseVzdumpCron: other lines', () => {
    it('reads day lists, Sunday as 0 or 7, names and ranges, and a directory before vzdump', () => {
        const text = [
            '0 2 * * 1,2,3,4,5,6,0 root vzdump 100',
            '15 3 * * 7           root /usr/bin/vzdump 101 --exclude-path /tmp --exclude-path "/var/cache dir"',
            '5 4 * * mon-wed,fri  root vzdump --pool prod --prune-backups keep-last=2',
            '5 4 * * 1            root vzdump 102 --maxfiles 3',
        ].join('\n');
        const { jobs, errors } = parseVzdumpCron(text, 'x');
        expect(errors).toEqual([]);
        expect(jobs.map((j) => j.schedule)).toEqual(['02:00', 'sun 03:15', 'mon,tue,wed,fri 04:05', 'mon 04:05']);
        expect(jobs[1]?.options['exclude-path']).toBe('/tmp\n/var/cache dir');
        expect(jobs[2]).toMatchObject({ selection: { pool: 'prod', all: false }, prune: { keepLast: 2 } });
        expect(jobs[3]?.prune).toEqual({ keepLast: 3 });
    });

    it('reports malformed lines; only parsed jobs count toward the id', () => {
        const text = [
            '# comment',
            'PATH="/usr/bin"',
            '0 2 * * xyz root vzdump 100',
            '0 2 * * * nobody vzdump 100',
            'garbage',
            '0 3 * * * root vzdump 101 102,abc',
            '99 25 * * * root vzdump 103',
            '0 9999999999999999 * * * root vzdump 104',
        ].join('\n');
        const { jobs, errors } = parseVzdumpCron(text, 'h');
        expect(jobs.map((j) => j.id)).toEqual(['h:1', 'h:2', 'h:3']);
        expect(jobs[0]?.selection.vmids).toEqual([101, 102]);
        expect(errors).toEqual([
            { line: 3, message: "unable to parse day of week 'xyz'" },
            { line: 4, message: "not a vzdump job line: '0 2 * * * nobody vzdump 100'" },
            { line: 5, message: "malformed line: 'garbage'" },
            { line: 6, message: "job 'h:1': invalid guest id 'abc'" },
            { line: 7, message: "job 'h:2': start time 25:99 is out of range" },
            { line: 8, message: "job 'h:3': start time 9999999999999999:0 is out of range" },
        ]);
    });

    it('returns nothing for the header-only file every host has', () => {
        const header = '# cluster wide vzdump cron schedule\n# Automatically generated file - do not edit\n\nPATH="/usr/sbin:/usr/bin:/sbin:/bin"\n\n';
        expect(parseVzdumpCron(header, 'h')).toEqual({ jobs: [], errors: [] });
    });
});
