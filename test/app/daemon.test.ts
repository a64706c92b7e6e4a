// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon on a fake clock: alert within one poll, no overlapping cycles, unknown on source
// failure, failover between two daemons without repeated or lost messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Daemon } from '../../src/app/daemon.ts';
import type { CycleSettings, SettingsPort } from '../../src/app/daemon-types.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../src/domain/alerts/policy.ts';
import { evaluate } from '../../src/domain/health/evaluate.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/health/settings.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import { decodeSnapshot } from '../../src/domain/snapshot/decode.ts';
import type { CollectOptions, SnapshotSource } from '../../src/ports.ts';
import { FakeTime, MemoryCoordinator, MemoryStore, RecordingNotifier, silentLogger } from '../fakes/runtime.ts';

function scenario(name: string): ClusterSnapshot {
    const r = decodeSnapshot(JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios', name, 'snapshot.json'), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.snapshot;
}

const NOW = Date.parse('2026-11-21T08:00:00Z') / 1000;

class SwitchSource implements SnapshotSource {
    readonly describe = 'fake source';
    calls = 0;
    /** Whether each call was a requested ("Check now") one. */
    fresh: boolean[] = [];
    gate?: Promise<void>;
    constructor(public snapshot: ClusterSnapshot | Error) {}
    async collect(o: CollectOptions): Promise<ClusterSnapshot> {
        this.calls++;
        this.fresh.push(o.fresh === true);
        if (this.gate) await this.gate;
        if (this.snapshot instanceof Error) throw this.snapshot;
        return this.snapshot;
    }
}

function settingsPort(notifiers: RecordingNotifier[]): SettingsPort {
    const current: CycleSettings = {
        intervalSeconds: 60, historyDays: 7, evaluation: DEFAULT_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS, maintenance: [],
        language: 'en', notifiers, notifyAttempts: 3, notifyBackoffMs: 1000, configWarnings: [],
    };
    return {
        current: () => current,
        describe: async () => { throw new Error('unused'); },
        update: async () => { throw new Error('unused'); },
        addSilence: async () => { throw new Error('unused'); },
        silences: () => [],
    };
}

function daemon(node: string, time: FakeTime, source: SnapshotSource, coordinator: MemoryCoordinator, notifier: RecordingNotifier) {
    return new Daemon({
        node, version: 'test', timeZone: 'Europe/Berlin', clock: time, timers: time, logger: silentLogger, source,
        store: new MemoryStore(), coordinator, settings: settingsPort([notifier]),
        render: (b) => ({ subject: `${b.kind}: ${b.items.map((i) => i.problem.vmid ?? i.problem.node).join(',')}`, text: '', summary: '' }),
        renderMetrics: (r) => `status ${r?.status ?? 'none'}\n`,
    });
}

describe('daemon', () => {
    it('alerts a failed backup within one poll of its task ending, once', async () => {
        const time = new FakeTime(NOW);
        const source = new SwitchSource(scenario('01-all-ok-daily'));
        const rec = new RecordingNotifier();
        const d = daemon('pve1', time, source, new MemoryCoordinator(), rec);
        await d.start();
        await time.advance(1);
        expect(d.report().report?.status).toBe('ok');
        expect(rec.sent).toEqual([]);
        source.snapshot = scenario('02-guest-failed');
        await time.advance(60);
        expect(rec.sent.map((s) => s.message.subject)).toEqual(['problem: 201']);
        await time.advance(600);
        expect(rec.sent).toHaveLength(1);
        expect(d.report().daemon).toMatchObject({ notifier: true, lastCheck: expect.any(Number), nextCheck: expect.any(Number) });
        await d.stop();
    });

    it('never runs two cycles at once; "check now" during a cycle queues one fresh cycle after it', async () => {
        const time = new FakeTime(NOW);
        const source = new SwitchSource(scenario('01-all-ok-daily'));
        let release!: () => void;
        source.gate = new Promise((r) => {
            release = r;
        });
        const d = daemon('pve1', time, source, new MemoryCoordinator(), new RecordingNotifier());
        await d.start();
        expect(d.requestCheck()).toEqual({ started: false });
        expect(d.requestCheck()).toEqual({ started: false });
        await time.advance(300);
        expect(source.calls).toBe(1);
        release();
        await d.idle();
        expect(source.calls).toBe(2);
        expect(d.requestCheck()).toEqual({ started: true });
        await d.idle();
        expect(source.calls).toBe(3);
        await time.advance(60);
        await d.idle();
        // Requested cycles (queued or not) ask the source for fresh data; scheduled ones do not.
        expect(source.fresh).toEqual([false, true, true, false]);
        await d.stop();
    });

    it('a failing source turns the report unknown instead of keeping a stale OK', async () => {
        const time = new FakeTime(NOW);
        const source = new SwitchSource(scenario('01-all-ok-daily'));
        const d = daemon('pve1', time, source, new MemoryCoordinator(), new RecordingNotifier());
        await d.start();
        await time.advance(1);
        source.snapshot = new Error('connect ECONNREFUSED 127.0.0.1:8006');
        await time.advance(60);
        const r = d.report();
        expect(r.report?.status).toBe('unknown');
        expect(r.report?.guests.every((g) => g.status === 'unknown')).toBe(true);
        expect(r.daemon.warnings.join()).toContain('ECONNREFUSED');
        await d.stop();
    });

    it('retries a failing channel and records the failure in the log and the daemon warnings', async () => {
        const time = new FakeTime(NOW);
        const rec = new RecordingNotifier();
        rec.failTimes = 5;
        const d = daemon('pve1', time, new SwitchSource(scenario('02-guest-failed')), new MemoryCoordinator(), rec);
        await d.start();
        await time.advance(10);
        expect(rec.sent).toEqual([]);
        const log = await d.notificationLog();
        expect(log.entries[0]).toMatchObject({ ok: false, kind: 'problem', error: 'rec: receiver said 503' });
        expect(d.report().daemon.warnings.join()).toContain('notification target rec failed');
        await d.stop();
    });

    it('fails over to the next node within two intervals, without repeating what was told', async () => {
        const time = new FakeTime(NOW);
        const shared = new MemoryCoordinator();
        const recA = new RecordingNotifier('a');
        const recB = new RecordingNotifier('b');
        const sourceA = new SwitchSource(scenario('02-guest-failed'));
        const sourceB = new SwitchSource(scenario('02-guest-failed'));
        const a = daemon('pve1', time, sourceA, shared, recA);
        const b = daemon('pve2', time, sourceB, shared, recB);
        await a.start();
        await time.advance(1);
        await b.start();
        await time.advance(120);
        expect(recA.sent.map((s) => s.message.subject)).toEqual(['problem: 201']);
        expect(recB.sent).toEqual([]);
        expect(b.report().daemon.notifier).toBe(false);
        await a.stop();
        const stoppedAt = time.now();
        sourceB.snapshot = scenario('04-missed-node-down');
        for (let i = 0; i < 6 && recB.sent.length === 0; i++) await time.advance(60);
        expect(b.report().daemon.notifier).toBe(true);
        expect(time.now() - stoppedAt).toBeLessThanOrEqual(2 * 60 + 60);
        // B tells the new problems (missed 200, 201) and the recovery of 201's failure — not the old failure again.
        const subjects = recB.sent.map((s) => s.message.subject);
        expect(subjects).toContain('problem: 200,201');
        expect(subjects.filter((s) => s.startsWith('problem') && s.includes('201') && !s.includes('200'))).toEqual([]);
        await b.stop();
    });

    it('keeps no per-guest explanations in its report and explains one guest on request', async () => {
        const time = new FakeTime(NOW);
        const snapshot = scenario('02-guest-failed');
        const d = daemon('pve1', time, new SwitchSource(snapshot), new MemoryCoordinator(), new RecordingNotifier());
        await d.start();
        await time.advance(1);
        const report = d.report().report;
        expect(report?.guests.every((g) => g.runs.length === 0 && g.attempts.length === 0)).toBe(true);
        const full = evaluate(snapshot, NOW, DEFAULT_SETTINGS).guests.find((g) => g.vmid === 201);
        expect(full?.attempts.length).toBeGreaterThan(0);
        const detail = d.guest(201);
        expect(detail.guest).toEqual({ ...report?.guests.find((g) => g.vmid === 201), runs: full?.runs, attempts: full?.attempts });
        // Kept until the next check: the same explanation, not a second evaluation.
        expect(d.guest(201).guest.attempts).toBe(detail.guest.attempts);
        await time.advance(60);
        expect(d.guest(201).guest.attempts).not.toBe(detail.guest.attempts);
        expect(d.guest(201).guest.attempts).toEqual(detail.guest.attempts);
        await d.stop();
    });
});
