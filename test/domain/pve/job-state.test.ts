// SPDX-License-Identifier: AGPL-3.0-or-later
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobIdFromStateFileName, parseJobState } from '../../../src/domain/pve/job-state.ts';

const file = resolve(import.meta.dirname, '../../fixtures/pve-files/vzdump-backup-7c1e2b3f-9a1d.json');

describe('parseJobState', () => {
    it('reads a stopped job with its UPID, coercing a string number', () => {
        const id = jobIdFromStateFileName(file);
        expect(id).toBe('backup-7c1e2b3f-9a1d');
        expect(parseJobState(readFileSync(file, 'utf8'), id!, 'pve1')).toEqual({
            ok: true,
            state: {
                jobId: 'backup-7c1e2b3f-9a1d',
                node: 'pve1',
                state: 'stopped',
                time: 1736038800,
                upid: 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:',
                msg: 'OK',
                updated: 1735000000,
            },
        });
    });

    it('reads a node with nothing to back up: stopped, OK, no upid (§4.4)', () => {
        const r = parseJobState('{"state":"stopped","msg":"OK","time":"1736038800"}', 'j', 'pve2');
        expect(r).toEqual({ ok: true, state: { jobId: 'j', node: 'pve2', state: 'stopped', msg: 'OK', time: 1736038800 } });
    });

    it.each([
        ['not JSON', '{"state":', 'is not valid JSON'],
        ['an array', '[]', 'is not a JSON object'],
        ['null', 'null', 'is not a JSON object'],
        ['an unknown state', '{"state":"exploded"}', "unknown state 'exploded'"],
        ['no state', '{}', "unknown state 'undefined'"],
        ['a state object with a toString key', '{"state":{"toString":1}}', "unknown state 'a value of type object'"],
    ])('reports %s', (_what, text, message) => {
        const r = parseJobState(text, 'j', 'n');
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toContain(message);
    });
});

describe('jobIdFromStateFileName', () => {
    it.each([
        ['vzdump-backup-7c1e2b3f-9a1d.json', 'backup-7c1e2b3f-9a1d'],
        ['/var/lib/pve-manager/jobs/vzdump-weekly-pbs.json', 'weekly-pbs'],
        ['realm-sync-ldap.json', null],
        ['vzdump-.json', null],
        ['vzdump-x.json.tmp', null],
    ])('%s → %s', (name, id) => {
        expect(jobIdFromStateFileName(name)).toBe(id);
    });
});
