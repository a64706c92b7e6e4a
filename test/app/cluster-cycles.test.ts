// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon's cycle over its own cluster and the configured remotes (cluster-cycles.ts), with
// fake sources: each cluster judged on its own, a failing remote judged unknown on its last data
// without touching the others, a removed remote forgotten.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClusterState, runClusterCycles } from '../../src/app/cluster-cycles.ts';
import type { CycleSettings } from '../../src/app/daemon-types.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../src/domain/alerts/policy.ts';
import { evaluate } from '../../src/domain/health/evaluate.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/health/settings.ts';
import { EMPTY_TRACKING } from '../../src/domain/history/tracking.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import { decodeSnapshot } from '../../src/domain/snapshot/decode.ts';
import type { SnapshotSource } from '../../src/ports.ts';

function scenario(name: string): ClusterSnapshot {
    const r = decodeSnapshot(JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios', name, 'snapshot.json'), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.snapshot;
}

const NOW = Date.parse('2026-11-21T08:00:00Z') / 1000;
const SETTINGS: CycleSettings = {
    intervalSeconds: 60, historyDays: 7, evaluation: DEFAULT_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS, maintenance: [],
    language: 'en', notifiers: [], notifyAttempts: 1, notifyBackoffMs: 0, configWarnings: [],
};

class Switch implements SnapshotSource {
    constructor(
        readonly describe: string,
        public answer: ClusterSnapshot | Error,
    ) {}
    async collect(): Promise<ClusterSnapshot> {
        if (this.answer instanceof Error) throw this.answer;
        return this.answer;
    }
}

const none = { local: { tracking: EMPTY_TRACKING } as ClusterState, remotes: new Map<string, ClusterState>() };

describe('cycles over this cluster and remotes', () => {
    it('judges each cluster on its own and joins them, each remote item naming its remote', async () => {
        const mine = scenario('01-all-ok-daily');
        const theirs = scenario('02-guest-failed');
        const r = await runClusterCycles(new Switch('local', mine), [{ remote: 'dc2', source: new Switch('dc2', theirs) }], SETTINGS, NOW, none);
        const alone = (s: ClusterSnapshot) => evaluate(s, NOW, DEFAULT_SETTINGS, { explain: 'none' });
        expect(r.report.guests.filter((g) => g.remote === undefined).map((g) => [g.vmid, g.status])).toEqual(alone(mine).guests.map((g) => [g.vmid, g.status]));
        expect(r.report.guests.filter((g) => g.remote === 'dc2').map((g) => [g.vmid, g.status])).toEqual(alone(theirs).guests.map((g) => [g.vmid, g.status]));
        expect(r.report.problems.map((p) => p.remote)).toEqual(alone(theirs).problems.map(() => 'dc2'));
        expect(r.report.status).toBe(alone(theirs).status);
        expect(r.errors).toEqual([]);
        expect([...r.remotes.keys()]).toEqual(['dc2']);
        expect(r.remotes.get('dc2')?.explain?.(201)?.attempts.length).toBeGreaterThan(0);
    });

    it('judges a remote that fails on its last data as unknown, and leaves this cluster alone', async () => {
        const theirs = new Switch('https://dc2:8006', scenario('01-all-ok-daily'));
        const remotes = [{ remote: 'dc2', source: theirs }];
        const first = await runClusterCycles(new Switch('local', scenario('01-all-ok-daily')), remotes, SETTINGS, NOW, none);
        theirs.answer = new Error('connect ECONNREFUSED 192.0.2.7:8006');
        const second = await runClusterCycles(new Switch('local', scenario('01-all-ok-daily')), remotes, SETTINGS, NOW + 60, first);
        const dc2 = second.report.guests.filter((g) => g.remote === 'dc2');
        expect(dc2.length).toBe(first.report.guests.filter((g) => g.remote === 'dc2').length);
        expect(dc2.every((g) => g.status === 'unknown' || g.coverage === 'excluded')).toBe(true);
        expect(second.report.guests.filter((g) => g.remote === undefined && g.status !== 'ok')).toEqual([]);
        expect(second.report.sourceErrors).toEqual([expect.objectContaining({ remote: 'dc2', what: 'https://dc2:8006', message: 'connect ECONNREFUSED 192.0.2.7:8006' })]);
        expect(second.errors).toEqual(['remote dc2: data collection failed: connect ECONNREFUSED 192.0.2.7:8006']);
        // Its last data stays for the next cycle (nodes marked unreadable): a longer outage still lists its guests.
        expect(second.remotes.get('dc2')?.snapshot?.guests.length).toBe(first.remotes.get('dc2')?.snapshot?.guests.length);
    });

    it('forgets a remote taken out of the settings', async () => {
        const first = await runClusterCycles(new Switch('local', scenario('01-all-ok-daily')), [{ remote: 'dc2', source: new Switch('dc2', scenario('01-all-ok-daily')) }], SETTINGS, NOW, none);
        const second = await runClusterCycles(new Switch('local', scenario('01-all-ok-daily')), [], SETTINGS, NOW + 60, first);
        expect(second.remotes.size).toBe(0);
        expect(second.report.guests.some((g) => g.remote !== undefined)).toBe(false);
    });
});
