// SPDX-License-Identifier: AGPL-3.0-or-later
// Notification policy scenarios: new (grouped), reminder, recovery, silence, maintenance window.
import { describe, expect, it } from 'vitest';
import { activeMaintenance } from '../../../src/domain/alerts/maintenance.ts';
import { type AlertState, DEFAULT_ALERT_SETTINGS, EMPTY_ALERT_STATE, decideAlerts } from '../../../src/domain/alerts/policy.ts';
import type { Problem } from '../../../src/domain/model.ts';

const failed = (vmid: number, name: string): Problem => ({
    code: 'backup-failed', severity: 'critical', vmid, guestName: name, job: 'nightly', node: 'pve1', message: `${name} failed`, evidence: {},
});
const offline: Problem = { code: 'source-unreachable', severity: 'unknown', node: 'pve2', message: 'pve2 offline', evidence: {} };
const s = DEFAULT_ALERT_SETTINGS;
const T0 = 1_795_000_000;

function run(cycles: { at: number; problems: Problem[]; quiet?: boolean }[], settings = s) {
    let state: AlertState = EMPTY_ALERT_STATE;
    const out: { at: number; kind: string; vmids: (number | string | undefined)[] }[] = [];
    for (const c of cycles) {
        const d = decideAlerts(state, c.problems, c.at, settings, { quiet: c.quiet ?? false, cluster: 'prod' });
        state = d.state;
        for (const b of d.batches) out.push({ at: c.at, kind: b.kind, vmids: b.items.map((i) => i.problem.vmid ?? i.problem.node) });
    }
    return out;
}

describe('alert policy', () => {
    it('tells new problems once, grouped per cycle, and never tells success', () => {
        const msgs = run([
            { at: T0, problems: [] },
            { at: T0 + 60, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
            { at: T0 + 120, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
            { at: T0 + 180, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
        ]);
        expect(msgs).toEqual([{ at: T0 + 60, kind: 'problem', vmids: [101, 100] }]);
    });

    it('reminds while a problem persists, once per reminder interval', () => {
        const cycles = [0, 3600, 24 * 3600 - 60, 24 * 3600, 25 * 3600, 48 * 3600].map((dt) => ({ at: T0 + dt, problems: [failed(100, 'web01')] }));
        expect(run(cycles).map((m) => `${m.kind}@${m.at - T0}`)).toEqual(['problem@0', `reminder@${24 * 3600}`, `reminder@${48 * 3600}`]);
    });

    it('sends one recovery, only after the problem stayed away for the recovery delay (no flapping)', () => {
        const msgs = run([
            { at: T0, problems: [failed(100, 'web01')] },
            { at: T0 + 60, problems: [] },
            { at: T0 + 120, problems: [failed(100, 'web01')] },
            { at: T0 + 180, problems: [] },
            { at: T0 + 240, problems: [] },
            { at: T0 + 300, problems: [] },
            { at: T0 + 360, problems: [] },
        ]);
        expect(msgs.map((m) => `${m.kind}@${m.at - T0}`)).toEqual(['problem@0', 'recovery@300']);
    });

    it('holds back unknown (unreachable) problems until they persist, and forgets blips silently', () => {
        const blip = run([
            { at: T0, problems: [offline] },
            { at: T0 + 60, problems: [] },
            { at: T0 + 600, problems: [] },
        ]);
        expect(blip).toEqual([]);
        const lasting = run([0, 60, 240, 300, 360].map((dt) => ({ at: T0 + dt, problems: [offline] })));
        expect(lasting.map((m) => `${m.kind}@${m.at - T0}`)).toEqual(['problem@300']);
    });

    it('silences hold messages for matching problems until they expire', () => {
        const settings = { ...s, silences: [{ vmid: 100, until: T0 + 3600 }] };
        const msgs = run(
            [
                { at: T0, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
                { at: T0 + 1800, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
                { at: T0 + 3600, problems: [failed(100, 'web01'), failed(101, 'dns01')] },
            ],
            settings,
        );
        expect(msgs).toEqual([
            { at: T0, kind: 'problem', vmids: [101] },
            { at: T0 + 3600, kind: 'problem', vmids: [100] },
        ]);
        // A silence naming nothing silences nothing.
        expect(run([{ at: T0, problems: [failed(100, 'web01')] }], { ...s, silences: [{}] })).toHaveLength(1);
    });

    it('maintenance windows send nothing, forget nothing, and tell what remains afterwards', () => {
        const msgs = run([
            { at: T0, problems: [failed(100, 'web01')], quiet: true },
            { at: T0 + 60, problems: [failed(100, 'web01'), failed(101, 'dns01')], quiet: true },
            { at: T0 + 120, problems: [failed(101, 'dns01')], quiet: false },
        ]);
        expect(msgs).toEqual([{ at: T0 + 120, kind: 'problem', vmids: [101] }]);
    });

    it('escalation from warning to critical is told again', () => {
        const warn: Problem = { ...failed(100, 'web01'), code: 'backup-missed', severity: 'warning' };
        const crit: Problem = { ...warn, severity: 'critical' };
        expect(run([{ at: T0, problems: [warn] }, { at: T0 + 60, problems: [crit] }]).map((m) => m.kind)).toEqual(['problem', 'problem']);
    });

    it('maintenance window: active between its start and start + duration, in the node time zone', () => {
        const w = [{ schedule: 'sun 02:00', durationMinutes: 120 }];
        const sun0230 = Date.parse('2026-11-22T02:30:00+01:00') / 1000;
        expect(activeMaintenance(w, sun0230, 'Europe/Berlin')).toBe(w[0]);
        expect(activeMaintenance(w, sun0230 + 2 * 3600, 'Europe/Berlin')).toBeNull();
        expect(activeMaintenance([{ schedule: 'bogus', durationMinutes: 60 }], sun0230, 'UTC')).toBeNull();
    });
});
