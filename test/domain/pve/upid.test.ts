// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { formatUpid, parseUpid } from '../../../src/domain/pve/upid.ts';

const PVE = 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:';
const PBS = 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:garbage_collection::root@pam:';

describe('parseUpid', () => {
    it('parses the PVE example of §4.5', () => {
        expect(parseUpid(PVE)).toEqual({
            kind: 'pve',
            node: 'pve1',
            pid: 0x000a1b2c,
            pstart: 0x0098f3a1,
            startTime: 1736038803, // 2025-01-05 01:00:03 UTC = 02:00:03 in Berlin, scenario A
            type: 'vzdump',
            id: '',
            user: 'root@pam',
            raw: PVE,
        });
    });

    it('parses the PBS form with its extra task_id field', () => {
        const upid = parseUpid(PBS);
        expect(upid).toMatchObject({ kind: 'pbs', node: 'elsa', taskId: 0, startTime: 0x5ca78b83, type: 'garbage_collection', id: '' });
    });

    it('accepts lower-case hex and a 9-digit pstart (uptime above 497 days)', () => {
        const upid = parseUpid('UPID:pve-2:000a1b2c:10098f3a1:6779d993:vzdump:100:root@pam:');
        expect(upid).toMatchObject({ node: 'pve-2', pid: 0xa1b2c, pstart: 0x10098f3a1, startTime: 0x6779d993, id: '100' });
    });

    it('splits token tasks into user and token id', () => {
        const upid = parseUpid('UPID:pve1:00001234:00ABCDEF:6779D993:vzdump:100:monitor@pve!health:');
        expect(upid).toMatchObject({ user: 'monitor@pve', tokenId: 'health' });
    });

    it.each([
        ['no trailing colon', 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam'],
        ['no UPID prefix', 'pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:'],
        ['node starting with a dash', 'UPID:-pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:'],
        ['7-digit pid', 'UPID:pve1:00A1B2C:0098F3A1:6779D993:vzdump::root@pam:'],
        ['10-digit pstart', 'UPID:pve1:000A1B2C:10098F3A1A:6779D993:vzdump::root@pam:'],
        ['non-hex start time', 'UPID:pve1:000A1B2C:0098F3A1:6779D99G:vzdump::root@pam:'],
        ['empty type', 'UPID:pve1:000A1B2C:0098F3A1:6779D993:::root@pam:'],
        ['slash in id', 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump:a/b:root@pam:'],
        ['empty user', 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump:100::'],
        ['too many fields', 'UPID:pve1:000A1B2C:0098F3A1:00000000:00000001:6779D993:vzdump::root@pam:'],
        ['empty string', ''],
    ])('rejects %s', (_what, text) => {
        expect(parseUpid(text)).toBeNull();
    });
});

describe('formatUpid', () => {
    it('round-trips PVE and PBS UPIDs', () => {
        expect(formatUpid(parseUpid(PVE)!)).toBe(PVE);
        expect(formatUpid(parseUpid(PBS)!)).toBe(PBS);
    });

    it('writes hex upper-case and zero-padded, with the token', () => {
        const text = formatUpid({ node: 'n1', pid: 1, pstart: 2, startTime: 3, type: 'vzdump', id: '', user: 'a@pve', tokenId: 't' });
        expect(text).toBe('UPID:n1:00000001:00000002:00000003:vzdump::a@pve!t:');
        expect(formatUpid(parseUpid(text.toLowerCase().replace('upid', 'UPID'))!)).toBe(text);
    });
});
