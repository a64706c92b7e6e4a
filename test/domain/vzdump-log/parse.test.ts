// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { parseVzdumpCmdline } from '../../../src/domain/vzdump-log/cmdline.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';
import { formatBytes, parseSize } from '../../../src/domain/vzdump-log/sizes.ts';

const guest = (log: ReturnType<typeof parseVzdumpLog>, vmid: number) => log.guests.find((g) => g.vmid === vmid);

describe('parseVzdumpLog: input forms', () => {
    it('treats the API answer for an empty log as an empty log', () => {
        const log = parseVzdumpLog([{ n: 1, t: 'no content' }]);
        expect(log).toMatchObject({ outcome: 'unexpected', lineCount: 0, guests: [], taskLine: null });
        expect(parseVzdumpLog([{ n: 1, t: 'no content' }], { running: true }).outcome).toBe('running');
        expect(parseVzdumpLog('').lineCount).toBe(0);
        expect(parseVzdumpLog([]).outcome).toBe('unexpected');
    });

    it('keeps the API line numbers of a page that does not start at 1', () => {
        const log = parseVzdumpLog([
            { n: 51, t: 'INFO: Finished Backup of VM 100 (00:00:05)' },
            { n: 52, t: 'INFO: Backup job finished successfully' },
            { n: 53, t: 'TASK OK' },
        ]);
        expect(log.evidence.map((e) => e.n)).toEqual([52, 53]);
        expect(guest(log, 100)).toMatchObject({ status: 'ok', durationSeconds: 5, type: null, evidence: [{ n: 51 }] });
    });

    it('reads only primitive `t` values: an object could carry a throwing toString', () => {
        const items = [{ n: 1, t: { toString: 0 } }, { n: 2, t: 7 }, { n: 3, t: 'TASK OK' }] as unknown as { n: number; t: string }[];
        const log = parseVzdumpLog(items);
        expect(log).toMatchObject({ outcome: 'ok', lineCount: 3, jobError: null });
    });

    it('strips CR from lines of any form', () => {
        expect(parseVzdumpLog('TASK OK\r\n').outcome).toBe('ok');
        expect(parseVzdumpLog(['TASK OK\r']).outcome).toBe('ok');
        expect(parseVzdumpLog([{ n: 1, t: 'TASK WARNINGS: 2\r' }]).taskLine).toBe('WARNINGS: 2');
    });
});

describe('parseVzdumpLog: outcomes', () => {
    it('prefers a TASK line over the running flag', () => {
        expect(parseVzdumpLog('TASK OK', { running: true }).outcome).toBe('ok');
    });

    it('reads an interruption from `Backup job failed` when the TASK line is missing', () => {
        const log = parseVzdumpLog(['INFO: starting new backup job: vzdump 1000', 'ERROR: Backup job failed - interrupted by signal']);
        expect(log).toMatchObject({ outcome: 'interrupted', jobError: 'interrupted by signal' });
        expect(guest(log, 1000)?.status).toBe('aborted');
    });

    it('marks every named guest aborted when the job dies before the first guest', () => {
        const log = parseVzdumpLog([
            'INFO: starting new backup job: vzdump 101 102 --script /hook.sh',
            "ERROR: Backup job failed - command '/hook.sh job-start' failed: exit code 3",
            "TASK ERROR: command '/hook.sh job-start' failed: exit code 3",
        ]);
        expect(log.outcome).toBe('job-failed');
        expect(log.jobError).toBe("command '/hook.sh job-start' failed: exit code 3");
        expect(log.guests.map((g) => [g.vmid, g.status, g.error])).toEqual([
            [101, 'aborted', null],
            [102, 'aborted', null],
        ]);
        expect(log.guests[0]?.evidence.map((e) => e.n)).toEqual([1, 3]);
    });

    it('reads a killed worker: no TASK line, open guest failed, the rest aborted', () => {
        const log = parseVzdumpLog([
            'INFO: starting new backup job: vzdump 100 101',
            'INFO: Starting Backup of VM 100 (qemu)',
            'INFO: VM Name: a',
        ]);
        expect(log.outcome).toBe('unexpected');
        expect(log.guests.map((g) => [g.vmid, g.status, g.error])).toEqual([
            [100, 'failed', 'no result in log (log truncated?)'],
            [101, 'aborted', null],
        ]);
    });

    it('gives an open guest the job error when the job failed around it', () => {
        const log = parseVzdumpLog([
            'INFO: Starting Backup of VM 100 (lxc)',
            'ERROR: Backup job failed - something broke',
            'TASK ERROR: something broke',
        ]);
        expect(guest(log, 100)).toMatchObject({ status: 'failed', error: 'something broke' });
    });

    it('lists nothing as aborted while running, and never invents guests for `--all`', () => {
        const running = parseVzdumpLog(['INFO: starting new backup job: vzdump 100 101', 'INFO: Starting Backup of VM 100 (qemu)'], {
            running: true,
        });
        expect(running.guests.map((g) => [g.vmid, g.status])).toEqual([[100, 'running']]);
        const all = parseVzdumpLog(['INFO: starting new backup job: vzdump --all 1', 'TASK ERROR: interrupted by signal']);
        expect(all.guests).toEqual([]);
    });

    it('treats an unknown TASK line like PVE: not a status', () => {
        expect(parseVzdumpLog(['TASK SOMETHING']).outcome).toBe('unexpected');
    });
});

describe('parseVzdumpLog: guest details', () => {
    it('attributes warnings after a guest ended to that guest until the next one starts', () => {
        const log = parseVzdumpLog([
            'INFO: Starting Backup of VM 100 (qemu)',
            'INFO: Finished Backup of VM 100 (00:00:01)',
            'WARN: uploading backup task log failed',
            'INFO: Starting Backup of VM 101 (qemu)',
            'INFO: Finished Backup of VM 101 (00:00:01)',
            'INFO: Backup job finished successfully',
            'WARN: after the job',
            'TASK WARNINGS: 2',
        ]);
        expect(guest(log, 100)?.warnings).toEqual(['uploading backup task log failed']);
        expect(guest(log, 101)?.warnings).toEqual([]);
        expect(log.warnings).toEqual(['uploading backup task log failed', 'after the job']);
    });

    it('reads durations above 99 hours and errors without the usual dash', () => {
        const log = parseVzdumpLog(['INFO: Finished Backup of VM 100 (123:04:05)', 'ERROR: Backup of VM 101 failed']);
        expect(guest(log, 100)?.durationSeconds).toBe(123 * 3600 + 4 * 60 + 5);
        expect(guest(log, 101)?.error).toBe('unknown error');
    });

    it('keeps the openvz type as null and ignores a malformed start line', () => {
        const log = parseVzdumpLog(['INFO: Starting Backup of VM 100 (openvz)', 'INFO: Starting Backup of VM x (qemu)']);
        expect(log.guests.map((g) => [g.vmid, g.type])).toEqual([[100, null]]);
    });

    it('uses the transferred size when no archive size is logged', () => {
        const log = parseVzdumpLog([
            'INFO: Starting Backup of VM 100 (qemu)',
            "INFO: creating vzdump archive '/dump/vzdump-qemu-100.vma'",
            'INFO: transferred 2.50 GiB in <1 seconds',
        ]);
        expect(guest(log, 100)).toMatchObject({ sizeBytes: Math.round(2.5 * 1024 ** 3), archive: '/dump/vzdump-qemu-100.vma', target: 'file' });
    });
});

describe('parseVzdumpCmdline', () => {
    it('removes shell quoting as String::ShellQuote writes it', () => {
        const p = parseVzdumpCmdline("vzdump 100 --notes-template 'it'\\''s {{guestname}}' --exclude-path '/a b' --exclude-path /c");
        expect(p.options).toEqual({ 'notes-template': "it's {{guestname}}", 'exclude-path': '/a b\n/c' });
        expect(p.selection.vmids).toEqual([100]);
    });

    it('takes --key=value, -key value, flags without value and negative numbers', () => {
        const p = parseVzdumpCmdline('/usr/bin/vzdump --storage=local -mode stop --quiet --bwlimit -1 --all');
        expect(p.options).toEqual({ storage: 'local', mode: 'stop', quiet: '1', bwlimit: '-1', all: '1' });
        expect(p.quiet).toBe(true);
        expect(p.selection).toEqual({ all: true, vmids: [], exclude: [], pool: null, node: null, storage: 'local' });
    });

    it('derives all from exclude unless a pool is given', () => {
        expect(parseVzdumpCmdline('vzdump --exclude 100').selection.all).toBe(true);
        expect(parseVzdumpCmdline('vzdump --pool p --exclude 100').selection).toMatchObject({ all: false, pool: 'p' });
    });
});

describe('sizes', () => {
    it.each([
        ['4.18GB', Math.round(4.18 * 1024 ** 3)],
        ['512MB', 512 * 1024 ** 2],
        ['980KB', 980 * 1024],
        ['1.02TB', Math.round(1.02 * 1024 ** 4)],
        ['32.00 GiB', 32 * 1024 ** 3],
        ['0 B', 0],
        ['1563248640', 1563248640],
        ['12 parsecs', null],
        ['', null],
    ])('parseSize(%s)', (text, bytes) => {
        expect(parseSize(text)).toBe(bytes);
    });

    it('formats binary units', () => {
        expect(formatBytes(0)).toBe('0 B');
        expect(formatBytes(4488240824)).toBe('4.18 GiB');
        expect(formatBytes(536870912)).toBe('512 MiB');
        expect(formatBytes(15.5 * 1024)).toBe('15.5 KiB');
        expect(formatBytes(-1)).toBe('-');
    });
});
