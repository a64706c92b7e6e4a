// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { ArchiveShape, decodeArchive, encodeArchive } from '../../../src/domain/snapshot/archive-name.ts';
import { createPrng } from '../../simulator/prng.ts';

/** What a table stores of `name` (the shape and time, a file name's head and tail), read back. */
function decoded(name: string, vmid: number): string {
    const a = encodeArchive(name, vmid);
    return decodeArchive({ shape: a.shape, time: a.time, head: name.slice(0, a.headEnd), tail: name.slice(a.tailStart) }, vmid);
}

const roundTrip = (name: string, vmid: number) => (encodeArchive(name, vmid).shape === ArchiveShape.Text ? name : decoded(name, vmid));

describe('archive names as numbers', () => {
    it('stores the two shapes vzdump writes as numbers and reads them back exactly', () => {
        const cases: [string, number, ArchiveShape][] = [
            ['vm/100/2026-11-20T01:07:00Z', 100, ArchiveShape.PbsVm],
            ['ct/23001/2026-10-23T02:41:37Z', 23001, ArchiveShape.PbsCt],
            ['/mnt/pve/nfs-backup/dump/vzdump-qemu-20086-2026_11_15-07_05_07.vma.zst', 20086, ArchiveShape.File],
            ['/var/lib/vz/dump/vzdump-lxc-105-2024_02_29-23_59_59.tar.zst', 105, ArchiveShape.File],
            ['/mnt/backup/dump/vzdump-openvz-101-2016_01_01-00_00_00.tar', 101, ArchiveShape.File],
            ['/mnt/pve/x/dump/vzdump-qemu-100-2026_01_01-01_00_00', 100, ArchiveShape.File],
        ];
        for (const [name, vmid, shape] of cases) {
            const a = encodeArchive(name, vmid);
            expect(a.shape, name).toBe(shape);
            expect(decoded(name, vmid), name).toBe(name);
        }
    });

    it('keeps as text every name that would not come back identical', () => {
        const odd: [string, number][] = [
            ['vm/100/2026-11-20T01:07:00Z', 101], // another guest's VMID
            ['vm/0100/2026-11-20T01:07:00Z', 100], // leading zero
            ['vm/100/2026-02-30T01:07:00Z', 100], // no such day
            ['vm/100/2026-11-20T24:00:00Z', 100],
            ['vm/100/0099-11-20T01:07:00Z', 100], // Date.UTC maps two-digit years to 19xx
            ['vm/100/2026-11-20T01:07:00.123Z', 100],
            ['host/pve1/2026-11-20T01:07:00Z', 100],
            ['/mnt/pve/x/dump/vzdump-qemu-100-2026_13_01-01_00_00.vma', 100],
            ['/mnt/pve/x/dump/vzdump-qemu-100.vma', 100],
            ['', 100],
        ];
        for (const [name, vmid] of odd) {
            expect(encodeArchive(name, vmid).shape, name).toBe(ArchiveShape.Text);
            expect(roundTrip(name, vmid)).toBe(name);
        }
    });

    it('reads back any generated name exactly, whatever its shape', () => {
        const prng = createPrng(7);
        const rnd = (n: number) => prng.int(0, n - 1);
        const two = (n: number) => String(n).padStart(2, '0');
        for (let i = 0; i < 3000; i++) {
            const vmid = 100 + rnd(999_999_000);
            const y = 1970 + rnd(130);
            const [mo, d, h, mi, s] = [1 + rnd(13), 1 + rnd(31), rnd(25), rnd(61), rnd(61)];
            const name =
                rnd(2) === 0
                    ? `${rnd(2) ? 'vm' : 'ct'}/${vmid}/${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`
                    : `/mnt/pve/s${rnd(5)}/dump/vzdump-${rnd(2) ? 'qemu' : 'lxc'}-${vmid}-${y}_${two(mo)}_${two(d)}-${two(h)}_${two(mi)}_${two(s)}${rnd(2) ? '.vma.zst' : '.tar.gz'}`;
            expect(roundTrip(name, vmid)).toBe(name);
            expect(roundTrip(name, vmid + 1)).toBe(name);
        }
    });
});
