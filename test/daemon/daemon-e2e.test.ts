// SPDX-License-Identifier: AGPL-3.0-or-later
// The whole daemon over real HTTP(S) on loopback: simulator (PVE) → collector → evaluator →
// alert policy → webhook receiver, and the HTTP API with PVE tickets. A failed scheduled backup
// is alerted by the first check after its task ended.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDaemon } from '../../src/compose.ts';
import { demoScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { type WebhookReceiver, startTestDaemon, startWebhookReceiver, waitFor } from './helpers.ts';

interface Hook {
    kind: string;
    problems: { code: string; vmid?: number }[];
}

let hooks: WebhookReceiver<Hook>;
let sim: Simulator;
let running: RunningDaemon;
let base: string;

async function api(path: string, init: RequestInit = {}, user = 'root@pam') {
    const headers = { Authorization: `PVEAuthCookie=${sim.issueTicket(user)}`, ...(init.headers ?? {}) };
    const res = await fetch(`${base}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
    hooks = await startWebhookReceiver<Hook>();
    sim = await startSimulator(demoScenario({ futureDays: 0 }), { authDelayMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'pbh-daemon-'));
    writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ version: 1, checkIntervalSeconds: 3600, notifications: { targets: [{ type: 'webhook', name: 'hook', url: hooks.url }] } }),
    );
    running = await startTestDaemon(dir, sim);
    base = running.server.url;
}, 60_000);

afterAll(async () => {
    await running?.stop();
    await sim?.stop();
    await hooks?.close();
});

describe('daemon end to end', () => {
    it('serves the report to a ticket holder and tells the planted problems once, by webhook', async () => {
        const report = await waitFor('first report', async () => {
            const r = await api('/api/v1/report');
            return r.body.report ? (r.body.report as { status: string; problems: { code: string; vmid?: number }[] }) : undefined;
        });
        expect(report.status).toBe('critical');
        expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'backup-failed', vmid: 102 })]));
        const first = await waitFor('first webhook', async () => hooks.received[0]);
        expect(first.kind).toBe('problem');
        expect(first.problems.map((p) => `${p.code}:${p.vmid ?? ''}`)).toContain('backup-failed:102');
        expect((await api('/api/v1/report', { headers: { Authorization: 'PVEAuthCookie=PVE:root@pam:00000000::forged' } })).status).toBe(401);
        expect((await api('/api/v1/check', { method: 'POST' }, 'nobody@pve')).status).toBe(403);
    });

    it('alerts a failed scheduled backup at the first check after its task ended', async () => {
        const before = hooks.received.length;
        // Next 02:00 run of the job for 100/101/102 on pve1 (Europe/Berlin): 2026-11-22 01:00 UTC.
        const slot = Date.parse('2026-11-22T01:00:00Z') / 1000;
        sim.addRun({ node: 'pve1', at: slot + 3, vmids: [100, 101, 102], storage: 'local', outcome: { 100: 'failed' }, jobId: sim.jobId('backup-7c1e2b3f-9a1d') });
        sim.clock.set(slot + 20 * 60);
        const check = await api('/api/v1/check', { method: 'POST' });
        expect(check.status).toBe(202);
        const hook = await waitFor('webhook about web01', async () => hooks.received.slice(before).find((h) => h.problems.some((p) => p.code === 'backup-failed' && p.vmid === 100)));
        expect(hook.kind).toBe('problem');
        const log = await api('/api/v1/notifications/log');
        expect((log.body.entries as { ok: boolean; target: string }[])[0]).toMatchObject({ ok: true, target: 'hook' });
    });
});
