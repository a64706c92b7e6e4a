// SPDX-License-Identifier: AGPL-3.0-or-later
// The collector's columnar guest results: every result reads back exactly as it went in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValueList } from '../../../src/domain/snapshot/column-values.ts';
import { GuestTable, anyGuestWarnings, guestResultOf, hasGuestResult } from '../../../src/domain/snapshot/guest-table.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';
import type { GuestBackupResult } from '../../../src/domain/vzdump-log/types.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/vzdump-logs');

const plain = (over: Partial<GuestBackupResult>): GuestBackupResult => ({
    vmid: 100, type: 'qemu', name: 'web', status: 'ok', error: null,
    startedLocal: '2026-11-20 01:00:03', endedLocal: '2026-11-20 01:02:10', durationSeconds: 127, sizeBytes: 5_368_709_120,
    archive: '/mnt/pve/nfs/dump/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst', target: 'file', warnings: [], evidence: [],
    ...over,
});

describe('GuestTable', () => {
    it('reads back every guest result of every fixture log', () => {
        let rows = 0;
        for (const f of readdirSync(fixtures).filter((n) => n.endsWith('.log'))) {
            const log = parseVzdumpLog(readFileSync(join(fixtures, f), 'utf8'));
            const table = new GuestTable(log.guests);
            expect([...table], f).toEqual(log.guests);
            expect(JSON.parse(JSON.stringify(table)), f).toEqual(log.guests);
            rows += table.length;
        }
        expect(rows).toBeGreaterThan(10);
    });

    it('keeps odd values exactly: nulls, huge sizes, times vzdump did not write in its usual shape', () => {
        const odd: GuestBackupResult[] = [
            plain({ vmid: 1, name: null, type: null, target: null, startedLocal: null, endedLocal: null, durationSeconds: null, sizeBytes: null, archive: null }),
            plain({ vmid: 2, sizeBytes: 2 ** 53 - 1, durationSeconds: 0 }),
            plain({ vmid: 3, startedLocal: '2026-02-30 10:00:00' }),
            plain({ vmid: 4, endedLocal: 'Fri Nov 20 01:02:10 2026' }),
            plain({ vmid: 5, status: 'skipped', name: 'web' }),
            plain({ vmid: 6, status: 'running', type: 'lxc', target: 'pbs', archive: 'ct/6/2026-11-20T00:00:03Z' }),
            plain({ vmid: 7, status: 'failed', error: 'got timeout', evidence: [{ n: 9, text: 'ERROR: got timeout' }] }),
            plain({ vmid: 8, warnings: ['WARN: no space'] }),
            // Beyond what the 32-bit cells hold: kept whole.
            plain({ vmid: 9, startedLocal: '1969-12-31 23:59:59' }),
            plain({ vmid: 10, endedLocal: '2106-02-07 06:28:15' }),
            plain({ vmid: 11, durationSeconds: 2 ** 32 }),
            plain({ vmid: 12, durationSeconds: 1.5 }),
            // Archive times beyond them: the name is kept as text.
            plain({ vmid: 13, archive: 'vm/13/1969-07-20T20:17:40Z' }),
            plain({ vmid: 14, archive: '/dump/vzdump-qemu-14-2107_01_01-00_00_00.vma' }),
            plain({ vmid: 15, startedLocal: '2106-02-07 06:28:14', durationSeconds: 2 ** 32 - 2 }),
            // Errors, warnings and lines beside the columns: empty texts, tabs, many lines.
            plain({ vmid: 16, error: '', warnings: ['a', ''], evidence: [{ n: 1, text: '' }, { n: 2, text: 'x\ty' }, { n: 70000, text: 'INFO: Finished Backup of VM 16 (00:00:01)' }] }),
            plain({ vmid: 17, evidence: [{ n: 3, text: 'only a line' }] }),
            // A line that would not split back: kept whole.
            plain({ vmid: 18, evidence: [{ n: 4, text: 'two\nlines' }, { n: 5, text: 'z' }] }),
        ];
        const table = new GuestTable(odd);
        expect([...table]).toEqual(odd);
        expect(JSON.parse(JSON.stringify(table))).toEqual(odd);
        expect(table.map((g) => g.vmid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
        expect(table.filter((g) => g.status !== 'ok').map((g) => g.vmid)).toEqual([5, 6, 7]);
        expect(table.statusAt(5)).toBe('running');
        expect(table.vmidAt(7)).toBe(8);
    });

    it('rebuilds archive names exactly, whatever their shape', () => {
        const archives = [
            'vm/100/2026-11-20T00:00:03Z',
            'ct/100/2026-11-20T23:59:59Z',
            '/mnt/pve/nfs/dump/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst',
            '/var/lib/vz/dump/vzdump-lxc-100-2026_03_29-02_30_00.tar.zst',
            'vzdump-qemu-100-2026_11_20-01_00_03.vma',
            '/mnt/pve/nfs/dump/vzdump-qemu-100-2026_11_20-01_00_03',
            // Another guest's VMID, impossible dates, other shapes: kept as text.
            'vm/101/2026-11-20T00:00:03Z',
            '/dump/vzdump-qemu-101-2026_11_20-01_00_03.vma.zst',
            'vm/100/2026-02-30T00:00:03Z',
            '/dump/vzdump-qemu-100-2026_02_30-01_00_03.vma.zst',
            'vm/100/2026-11-20T00:00:03.5Z',
            'vm/0100/2026-11-20T00:00:03Z',
            '/dump/vzdump-qemu-0100-2026_11_20-01_00_03.vma.zst',
            'something else entirely',
            '',
        ];
        const rows = archives.map((archive) => plain({ archive, target: archive.startsWith('/') ? 'file' : 'pbs' }));
        const table = new GuestTable(rows);
        expect([...table].map((g) => g.archive)).toEqual(archives);
        expect([...table]).toEqual(rows);
    });

    it('finds a guest by VMID like an array does, and tells warnings without building rows', () => {
        const list = [plain({ vmid: 100 }), plain({ vmid: 101, status: 'failed' }), plain({ vmid: 100, name: 'second' })];
        const table = new GuestTable(list);
        for (const l of [list, table]) {
            expect(guestResultOf(l, 100)?.name).toBe('web');
            expect(guestResultOf(l, 101)?.status).toBe('failed');
            expect(guestResultOf(l, 102)).toBeUndefined();
            expect(hasGuestResult(l, 101)).toBe(true);
            expect(hasGuestResult(l, 999)).toBe(false);
            expect(anyGuestWarnings(l)).toBe(false);
            expect(l.some((g) => g.vmid === 101)).toBe(true);
            expect(l.find((g) => g.name === 'second')?.vmid).toBe(100);
        }
        expect(anyGuestWarnings(new GuestTable([...list, plain({ vmid: 5, warnings: ['WARN: x'] })]))).toBe(true);
        expect(anyGuestWarnings(new GuestTable([...list, plain({ vmid: 5, evidence: [{ n: 1, text: 'WARN: x' }] })]))).toBe(false);
    });

    it('reads names from a list shared with other tables', () => {
        const names = new ValueList<string>();
        const a = new GuestTable([plain({ vmid: 1, name: 'a' }), plain({ vmid: 2, name: 'b' })], undefined, names);
        const b = new GuestTable([plain({ vmid: 2, name: 'b' }), plain({ vmid: 3, name: 'c' }), plain({ vmid: 4, name: null })], undefined, names);
        expect(a.map((g) => g.name)).toEqual(['a', 'b']);
        expect(b.map((g) => g.name)).toEqual(['b', 'c', null]);
        // 'b' is stored once; the shared list stays open for the next table.
        expect([names.indexOf('a'), names.indexOf('b'), names.indexOf('c'), names.indexOf('d')]).toEqual([0, 1, 2, 3]);
    });

    it('builds a fresh object for a columnar row, so a caller cannot change the table', () => {
        const table = new GuestTable([plain({})]);
        const a = [...table][0] as GuestBackupResult;
        a.status = 'failed';
        expect(() => a.warnings.push('x')).toThrow(TypeError);
        expect([...table][0]?.status).toBe('ok');
    });
});
