// SPDX-License-Identifier: AGPL-3.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/domain/health/evaluate.ts';
import { decodeSnapshot } from '../../../src/domain/snapshot/decode.ts';

const minimal = {
    version: 1,
    collectedAt: '2026-11-21T09:00:00Z',
    historyFrom: 1795000000,
    nodes: [{ name: 'pve1', online: 1, timeZone: 'Europe/Berlin' }],
    guests: [{ vmid: '100', type: 'qemu', name: 'web01', node: 'pve1', template: 0, tags: 'prod;nobackup' }],
    jobs: [{ id: 'j1', schedule: '02:00', enabled: '1', selection: { all: 0, vmids: '100,101' } }],
    tasks: [{ upid: 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:', node: 'pve1', startTime: '2026-11-21T01:00:03Z', log: 'INFO: starting new backup job: vzdump 100 --quiet 1\nTASK OK' }],
};

describe('decodeSnapshot', () => {
    it("accepts PVE's loose types (strings for numbers, 1/0 booleans, a;b tags) and RFC 3339 times", () => {
        const r = decodeSnapshot(minimal);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.snapshot.collectedAt).toBe(Date.parse('2026-11-21T09:00:00Z') / 1000);
        expect(r.snapshot.guests[0]).toMatchObject({ vmid: 100, tags: ['prod', 'nobackup'], template: false });
        expect(r.snapshot.jobs[0]?.selection.vmids).toEqual([100, 101]);
        expect(r.snapshot.tasks[0]?.status).toBe('OK');
        expect(r.snapshot.tasks[0]?.log?.outcome).toBe('ok');
    });

    it('names every bad field by its path, and keeps going after the first', () => {
        const r = decodeSnapshot({
            ...minimal,
            collectedAt: 'yesterday',
            nodes: [{ name: 'pve1', timeZone: 'Mars/Olympus' }],
            guests: [{ vmid: 5, node: 'pve1' }],
            tasks: 'none',
        });
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.errors).toEqual(
            expect.arrayContaining([
                expect.stringContaining('collectedAt: expected epoch seconds or an RFC 3339 time'),
                expect.stringContaining('nodes[0].timeZone: unknown time zone'),
                expect.stringContaining('guests[0].vmid: VMID 5 is out of range'),
                expect.stringContaining('tasks: expected an array'),
            ]),
        );
    });

    it('rejects an unknown version instead of guessing', () => {
        const r = decodeSnapshot({ ...minimal, version: 2 });
        expect(r.ok).toBe(false);
    });

    it('never throws on arbitrary JSON, and whatever it accepts can be evaluated', () => {
        fc.assert(
            fc.property(fc.jsonValue(), (v) => {
                const r = decodeSnapshot(v);
                if (r.ok) evaluate(r.snapshot, 1795000000);
            }),
            { numRuns: 500 },
        );
        const shaped = fc.record({
            version: fc.constantFrom(1, '1', undefined),
            collectedAt: fc.oneof(fc.integer(), fc.string()),
            nodes: fc.array(fc.record({ name: fc.string(), online: fc.boolean(), timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'x') })),
            guests: fc.array(fc.record({ vmid: fc.integer({ min: 90, max: 300 }), type: fc.constantFrom('qemu', 'lxc'), name: fc.string(), node: fc.constantFrom('pve1', 'pve2') })),
            jobs: fc.array(fc.record({ id: fc.string({ minLength: 1 }), schedule: fc.constantFrom('02:00', 'sat', '*/30', 'bogus', ''), selection: fc.record({ all: fc.boolean(), vmids: fc.array(fc.integer({ min: 100, max: 300 })) }) })),
            tasks: fc.array(fc.record({ upid: fc.string({ minLength: 1 }), node: fc.constantFrom('pve1', 'pve2'), startTime: fc.integer({ min: 1794000000, max: 1795000000 }), log: fc.array(fc.string()) })),
        });
        fc.assert(
            fc.property(shaped, (v) => {
                const r = decodeSnapshot(v);
                if (r.ok) expect(['ok', 'warning', 'critical', 'unknown']).toContain(evaluate(r.snapshot, 1795000000).status);
            }),
            { numRuns: 300 },
        );
    });
});
