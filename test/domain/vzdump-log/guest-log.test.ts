// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { guestLogFileInfo, parseGuestLog } from '../../../src/domain/vzdump-log/guest-log.ts';

const head = ['2025-01-05 02:00:03 INFO: Starting Backup of VM 100 (qemu)', '2025-01-05 02:00:03 INFO: VM Name: web01'];

describe('parseGuestLog', () => {
    it('reads a backup in progress as running, or as failed when it is not running', () => {
        expect(parseGuestLog(head, { running: true })).toMatchObject({ status: 'running', error: null, name: 'web01' });
        expect(parseGuestLog(head)).toMatchObject({ status: 'failed', error: 'no result in log (log truncated?)' });
    });

    it('keeps warnings and is null when the log names no guest', () => {
        const g = parseGuestLog([...head, '2025-01-05 02:00:04 WARN: unable to add notes - x', '2025-01-05 02:01:00 INFO: Finished Backup of VM 100 (00:00:57)']);
        expect(g).toMatchObject({ status: 'ok', warnings: ['unable to add notes - x'], endedLocal: '2025-01-05 02:01:00', durationSeconds: 57 });
        expect(parseGuestLog('')).toBeNull();
        expect(parseGuestLog('2025-01-05 02:00:03 INFO: status = running')).toBeNull();
    });

    it('reads lines without timestamps too', () => {
        expect(parseGuestLog(['INFO: Starting Backup of VM 7000 (lxc)', 'INFO: Finished Backup of VM 7000 (00:00:02)'])).toMatchObject({
            vmid: 7000,
            type: 'lxc',
            status: 'ok',
            startedLocal: null,
        });
    });
});

describe('guestLogFileInfo', () => {
    it.each([
        ['/var/log/vzdump/qemu-100.log', { type: 'qemu', vmid: 100 }],
        ['lxc-101.log', { type: 'lxc', vmid: 101 }],
        ['vzdump-qemu-100-2025_01_05-02_00_03.log', null],
        ['openvz-100.log', null],
    ])('%s', (name, info) => {
        expect(guestLogFileInfo(name)).toEqual(info);
    });
});
