// SPDX-License-Identifier: AGPL-3.0-or-later
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActiveTasks, parseTaskIndex, taskLogPath, taskStatusType } from '../../../src/domain/pve/task-index.ts';
import { parseUpid } from '../../../src/domain/pve/upid.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/pve-files');

describe('parseTaskIndex', () => {
    const { entries, errors } = parseTaskIndex(readFileSync(`${dir}/index`, 'utf8'));

    it('reads UPID, end time and status of each line', () => {
        expect(entries.map((e) => [e.line, e.upid.node, e.endTime, e.status])).toEqual([
            [1, 'pve1', 0x6779da06, 'OK'],
            [2, 'pve2', 0x6779e7ad, 'job errors'],
            [3, 'pve1', 0x6779f0ff, 'WARNINGS: 1'],
            [6, 'pve1', undefined, 'unexpected status'],
            [7, 'pve1', undefined, undefined],
            [9, 'pve3', 0x677bc0f5, 'interrupted by signal'],
        ]);
        expect(entries[4]?.upid).toMatchObject({ user: 'monitor@pve', tokenId: 'health', id: '102' });
    });

    it('reports bad lines with their numbers instead of throwing', () => {
        expect(errors.map((e) => e.line)).toEqual([4, 5, 6]);
        expect(errors[1]?.message).toContain('invalid UPID');
        expect(errors[2]?.message).toContain("invalid end time 'ZZZZZZZZ'");
    });

    it('accepts CRLF and an empty file', () => {
        expect(parseTaskIndex('UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam: 6779DA06 OK\r\n').entries[0]?.status).toBe('OK');
        expect(parseTaskIndex('')).toEqual({ entries: [], errors: [] });
    });
});

describe('parseActiveTasks', () => {
    it('reads running and finished entries and the saved flag', () => {
        const { entries, errors } = parseActiveTasks(readFileSync(`${dir}/active`, 'utf8'));
        expect(entries.map((e) => [e.line, e.saved, e.running, e.endTime, e.status])).toEqual([
            [1, false, true, undefined, undefined],
            [2, true, false, 0x6779da06, 'OK'],
            [3, false, false, 0x677a0105, 'WARNINGS: 2'],
        ]);
        expect(errors).toEqual([{ line: 4, message: expect.stringContaining('unparsable active task line') }]);
    });
});

describe('taskLogPath', () => {
    it('uses the last hex digit of the start time as directory (§4.6)', () => {
        const upid = 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:';
        expect(taskLogPath(upid)).toBe(`3/${upid}`);
        expect(taskLogPath(parseUpid(upid)!)).toBe(`3/${upid}`);
        expect(taskLogPath('UPID:pve1:000a1b2c:0098f3a1:6779d99d:vzdump::root@pam:')).toMatch(/^D\//);
    });

    it('is null for PBS UPIDs and garbage', () => {
        expect(taskLogPath('UPID:elsa:00004F37:0039E469:00000000:5CA78B83:garbage_collection::root@pam:')).toBeNull();
        expect(taskLogPath('nope')).toBeNull();
    });
});

describe('taskStatusType', () => {
    it.each([
        ['OK', 'ok'],
        ['WARNINGS: 3', 'warning'],
        ['job errors', 'error'],
        ['unexpected status', 'unknown'],
        ['', 'unknown'],
        [undefined, 'unknown'],
    ] as const)('%s → %s', (status, type) => {
        expect(taskStatusType(status)).toBe(type);
    });
});
