// SPDX-License-Identifier: AGPL-3.0-or-later
// The collector's backups in columns: every backup reads back exactly as it went in, whatever
// its shape; lists built in chunks and joined read as one; a guest's backups are those of the
// plain grouping.
import { describe, expect, it } from 'vitest';
import { GuestBackups, backupsOfGuest } from '../../../src/domain/health/guest-backups.ts';
import type { BackupItem, BackupVerification } from '../../../src/domain/model.ts';
import { BackupLists, BackupTable, BackupTableBuilder, backupAt, backupVmidAt } from '../../../src/domain/snapshot/backup-table.ts';
import { createPrng } from '../../simulator/prng.ts';

const ok: BackupVerification = Object.freeze({ state: 'ok', upid: 'UPID:pbs:000A1B2C:0000F00D:00000000:6AF2919D:verificationjob:pbs\\x3av\\x2d1:root@pam:', time: 1794281885 });

const pbs = (vmid: number, iso: string, over: Partial<BackupItem> = {}): BackupItem => ({
    volid: `pbs-store:backup/${over.type === 'lxc' ? 'ct' : 'vm'}/${vmid}/${iso}`, storage: 'pbs-store', vmid, ctime: Date.parse(iso) / 1000,
    type: 'qemu', size: 4 * 2 ** 30, format: 'pbs-vm', verification: ok, ...over,
});
const file = (vmid: number, stamp: string, over: Partial<BackupItem> = {}): BackupItem => ({
    volid: `nfs-backup:backup/vzdump-qemu-${vmid}-${stamp}.vma.zst`, storage: 'nfs-backup', vmid, ctime: 1794200000, type: 'qemu', size: 123_456_789, format: 'vma.zst', notes: `guest-${vmid}`, ...over,
});

const SAMPLE: BackupItem[] = [
    pbs(100, '2026-11-20T01:07:00Z'),
    pbs(101, '2026-11-20T01:08:00Z', { type: 'lxc', format: 'pbs-ct', protected: true, encrypted: true }),
    pbs(102, '2026-11-20T01:09:00Z', { verification: { state: 'failed', upid: 'UPID:pbs:x' }, notes: 'before upgrade' }),
    file(100, '2026_11_20-02_07_00'),
    file(103, '2026_11_20-02_07_00', { protected: false, encrypted: false, size: 2 ** 53 - 1 }),
    // Odd ones, kept whole or stored as they are.
    { volid: 'local:backup/vzdump-qemu-104-2026_11_20-02_07_00.vma', storage: 'local', vmid: 104, ctime: 0 },
    { volid: 'local:backup/something-else.tar', storage: 'local', vmid: 105, ctime: 1 },
    { volid: 'pbs-store:backup/vm/106/2026-11-20T01:07:00Z', storage: 'pbs-store', vmid: 107, ctime: 2 },
    { volid: 'no-mark', storage: 'x', vmid: 108, ctime: 3 },
    { volid: 'pbs-store:backup/vm/109/1969-07-20T20:17:40Z', storage: 'pbs-store', vmid: 109, ctime: -14182940 },
    { ...pbs(110, '2026-11-20T01:07:00Z'), extra: 'a field the columns do not know' } as BackupItem,
    { volid: 'pbs-store:backup/vm/111/2026-11-20T01:07:00Z', storage: 'pbs-store', vmid: 111, ctime: 4, type: 'openvz' as 'qemu' },
];

describe('BackupTable', () => {
    it('reads back every backup exactly, as objects and as JSON', () => {
        const table = new BackupTable(SAMPLE);
        expect(table.length).toBe(SAMPLE.length);
        expect([...table]).toEqual(SAMPLE);
        expect(JSON.parse(JSON.stringify(table))).toEqual(JSON.parse(JSON.stringify(SAMPLE)));
        SAMPLE.forEach((b, i) => {
            expect(table.at(i)).toEqual(b);
            expect(table.vmidAt(i)).toBe(b.vmid);
        });
        expect(table.at(-1)).toBeUndefined();
        expect(table.at(SAMPLE.length)).toBeUndefined();
        // Verification results stay shared objects.
        expect(table.at(0)?.verification).toBe(ok);
        expect(table.at(1)?.verification).toBe(ok);
    });

    it('reads generated lists back exactly, whatever the VMIDs, times and fields', () => {
        const prng = createPrng(11);
        const rnd = (n: number) => prng.int(0, n - 1);
        const two = (n: number) => String(n).padStart(2, '0');
        const items: BackupItem[] = [];
        for (let i = 0; i < 2000; i++) {
            const vmid = 100 + rnd(999_999_000);
            const [y, mo, d, h, mi, s] = [1970 + rnd(130), 1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60), rnd(60)];
            const b: BackupItem =
                rnd(2) === 0
                    ? pbs(vmid, `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`, rnd(3) === 0 ? { type: 'lxc', format: 'pbs-ct' } : {})
                    : file(vmid, `${y}_${two(mo)}_${two(d)}-${two(h)}_${two(mi)}_${two(s)}`);
            if (rnd(4) === 0) delete b.size;
            if (rnd(5) === 0) b.protected = rnd(2) === 0;
            items.push(b);
        }
        expect([...new BackupTable(items)]).toEqual(items);
    });

    it('builds long lists in chunks that read as one list', () => {
        const items = Array.from({ length: 10 }, (_, i) => SAMPLE[i % SAMPLE.length] as BackupItem).map((b, i) => ({ ...b, ctime: b.ctime + i }));
        const builder = new BackupTableBuilder(3);
        for (const b of items) builder.add(b);
        const list = builder.finish();
        expect(list).toBeInstanceOf(BackupLists);
        expect(list.length).toBe(10);
        expect([...list]).toEqual(items);
        items.forEach((b, i) => {
            expect(backupAt(list, i)).toEqual(b);
            expect(backupVmidAt(list, i)).toBe(b.vmid);
        });
        const joined = new BackupLists([list, [], new BackupTable(SAMPLE), SAMPLE]);
        expect([...joined]).toEqual([...items, ...SAMPLE, ...SAMPLE]);
        expect(backupAt(joined, 10 + SAMPLE.length)).toEqual(SAMPLE[0]);
        expect(JSON.parse(JSON.stringify(joined))).toHaveLength(10 + 2 * SAMPLE.length);
        const one = new BackupTableBuilder(100);
        for (const b of SAMPLE) one.add(b);
        expect(one.finish()).toBeInstanceOf(BackupTable);
    });
});

describe('GuestBackups', () => {
    it('gives each guest its backups without repeated volume ids, and counts per storage', () => {
        // A shared storage listed by two nodes: every backup twice.
        const list = new BackupLists([new BackupTable(SAMPLE), new BackupTable(SAMPLE)]);
        const book = new GuestBackups(list);
        for (const vmid of new Set(SAMPLE.map((b) => b.vmid))) {
            expect(book.of(vmid)).toEqual(SAMPLE.filter((b) => b.vmid === vmid));
            expect(backupsOfGuest(list, vmid)).toEqual(SAMPLE.filter((b) => b.vmid === vmid));
        }
        expect(book.of(999)).toEqual([]);
        const plain = new Map<string, number>();
        for (const b of SAMPLE) plain.set(b.storage, (plain.get(b.storage) ?? 0) + 1);
        expect(new Map(book.storageCounts())).toEqual(plain);
    });
});
