// SPDX-License-Identifier: AGPL-3.0-or-later
// API backups → the model's BackupItem: every field kept, one shared (frozen) object per
// verification result instead of one per snapshot.
import { describe, expect, it } from 'vitest';
import { toBackupItem } from '../../src/adapters/pve-api/to-model.ts';
import type { ApiBackup } from '../../src/adapters/pve-api/types.ts';
import type { BackupVerification } from '../../src/domain/model.ts';

const VERIFY = 'UPID:pbs:00087113:008B54E4:0000ED81:6AF6E8D4:verificationjob:pbs\\x2dstore\\x3av\\x2d1:root@pam:';

const api = (vmid: number, over: Partial<ApiBackup> = {}): ApiBackup => ({
    volid: `pbs-store:backup/vm/${vmid}/2026-11-20T01:00:03Z`,
    vmid,
    ctime: 1_795_568_403,
    format: 'pbs-vm',
    size: 5_368_709_120,
    protected: false,
    encrypted: false,
    verification: { state: 'ok', upid: VERIFY },
    ...over,
});

describe('toBackupItem', () => {
    it('keeps every field PVE gave, and only those', () => {
        const item = toBackupItem(api(100, { protected: true, notes: 'before upgrade' }), 'pbs-store');
        expect(JSON.parse(JSON.stringify(item))).toEqual({
            volid: 'pbs-store:backup/vm/100/2026-11-20T01:00:03Z', storage: 'pbs-store', vmid: 100, ctime: 1_795_568_403, type: 'qemu',
            size: 5_368_709_120, format: 'pbs-vm', protected: true, notes: 'before upgrade',
            verification: { state: 'ok', upid: VERIFY, time: 0x6af6e8d4 },
        });
        const bare = toBackupItem({ volid: 'local:backup/x.tar', vmid: 1, ctime: 1, protected: false, encrypted: false }, 'local');
        expect(JSON.parse(JSON.stringify(bare))).toEqual({ volid: 'local:backup/x.tar', storage: 'local', vmid: 1, ctime: 1 });
        expect(Object.keys(bare)).toEqual(['volid', 'storage', 'vmid', 'ctime']);
    });

    it('shares one frozen verification object per result across snapshots', () => {
        const shared = new Map<string, BackupVerification>();
        const a = toBackupItem(api(100), 'pbs-store', undefined, shared);
        const b = toBackupItem(api(101), 'pbs-store', undefined, shared);
        const failed = toBackupItem(api(102, { verification: { state: 'failed', upid: VERIFY } }), 'pbs-store', undefined, shared);
        const none = toBackupItem(api(103, { verification: { state: 'ok' } }), 'pbs-store', undefined, shared);
        expect(a.verification).toBe(b.verification);
        expect(failed.verification).toEqual({ state: 'failed', upid: VERIFY, time: 0x6af6e8d4 });
        expect(failed.verification).not.toBe(a.verification);
        expect(none.verification).toEqual({ state: 'ok' });
        expect(Object.isFrozen(a.verification)).toBe(true);
        expect(shared.size).toBe(3);
    });
});
