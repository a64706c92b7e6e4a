// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon watching its own cluster and configured remotes, over real HTTP(S) on loopback: two
// simulated clusters with the same VMIDs and node names, and a remote without its token secret.
// Every guest and problem names its remote; one guest's detail is asked for per cluster; an
// unreadable remote is unknown without hiding the others; alerts tell the clusters apart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDaemon } from '../../src/compose.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { demoScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { type WebhookReceiver, startTestDaemon, startWebhookReceiver, waitFor } from './helpers.ts';
import { DEFAULT_TOKEN } from '../simulator/spec.ts';

interface Hook {
    kind: string;
    text: string;
    problems: { code: string; vmid: number | null; remote: string | null }[];
}

let hooks: WebhookReceiver<Hook>;
let main: Simulator;
let dc2: Simulator;
let running: RunningDaemon;
let base: string;

async function api(path: string, init: RequestInit = {}) {
    const headers = { Authorization: `PVEAuthCookie=${main.issueTicket('root@pam')}`, ...(init.headers ?? {}) };
    const res = await fetch(`${base}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
    hooks = await startWebhookReceiver<Hook>();
    main = await startSimulator(demoScenario({ futureDays: 0 }), { authDelayMs: 0 });
    // Same guests and node names; one failed backup, on a guest that is fine in the main cluster.
    dc2 = await startSimulator(demoScenario({ cluster: 'dc2', futureDays: 0, rates: {}, plant: [{ kind: 'failed', vmid: 100 }] }), { authDelayMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'pbh-daemon-remotes-'));
    writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({
            version: 1,
            checkIntervalSeconds: 3600,
            notifications: { targets: [{ type: 'webhook', name: 'hook', url: hooks.url }] },
            remotes: [
                { name: 'dc2', url: dc2.url, tokenId: DEFAULT_TOKEN.id, fingerprint: dc2.fingerprint },
                { name: 'dc3', url: 'https://127.0.0.1:9', tokenId: DEFAULT_TOKEN.id, insecure: true },
            ],
        }),
    );
    writeFileSync(join(dir, 'config.secrets.json'), JSON.stringify({ version: 1, remotes: { dc2: { tokenSecret: DEFAULT_TOKEN.secret } } }), { mode: 0o600 });
    running = await startTestDaemon(dir, main);
    base = running.server.url;
}, 60_000);

afterAll(async () => {
    await running?.stop();
    await Promise.all([main?.stop(), dc2?.stop()]);
    await hooks?.close();
});

describe('daemon with remote clusters', () => {
    it('reports every cluster, each guest and problem naming its remote, and an unreadable remote as unknown', async () => {
        const report = await waitFor('first report', async () => (await api('/api/v1/report')).body.report as HealthReport | undefined, 20_000);
        const local = report.guests.filter((g) => g.remote === undefined);
        const remote = report.guests.filter((g) => g.remote === 'dc2');
        expect(local.length).toBeGreaterThan(5);
        expect(remote.map((g) => g.vmid).sort()).toEqual(local.map((g) => g.vmid).sort());
        expect(local.find((g) => g.vmid === 100)?.status).toBe('ok');
        expect(remote.find((g) => g.vmid === 100)?.status).toBe('critical');
        expect(report.problems).toEqual(expect.arrayContaining([
            expect.objectContaining({ code: 'backup-failed', vmid: 100, remote: 'dc2' }),
            expect.objectContaining({ code: 'backup-failed', vmid: 102 }),
            expect.objectContaining({ code: 'source-unreachable', severity: 'unknown', remote: 'dc3' }),
        ]));
        expect(report.problems.find((p) => p.vmid === 102 && p.code === 'backup-failed')?.remote).toBeUndefined();
        expect(report.nodes.filter((n) => n.remote === 'dc2').length).toBe(report.nodes.filter((n) => n.remote === undefined).length);
        // The daemon's warnings are set when the cycle (alerts included) is over.
        const warnings = await waitFor('cycle end', async () => {
            const d = (await api('/api/v1/report')).body.daemon as { checking: boolean; warnings: string[] };
            return d.checking ? undefined : d.warnings;
        }, 20_000);
        expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^remote dc3: data collection failed: .*remotes\.dc3\.tokenSecret/)]));
        expect(JSON.stringify(await api('/api/v1/report'))).not.toContain(DEFAULT_TOKEN.secret);
    });

    it('explains one guest per cluster and refuses an unknown remote or a malformed name', async () => {
        const mine = await api('/api/v1/guests/100');
        const theirs = await api('/api/v1/guests/100?remote=dc2');
        expect(mine.status).toBe(200);
        expect(theirs.status).toBe(200);
        const g = (r: typeof mine) => r.body.guest as HealthReport['guests'][number];
        expect(g(mine)).toMatchObject({ vmid: 100, status: 'ok' });
        expect(g(mine).remote).toBeUndefined();
        expect(g(theirs)).toMatchObject({ vmid: 100, status: 'critical', remote: 'dc2' });
        expect(g(theirs).runs.length).toBeGreaterThan(0);
        expect(g(theirs).attempts.some((a) => a.status === 'failed')).toBe(true);
        expect(g(mine).attempts.some((a) => a.status === 'failed')).toBe(false);
        expect((theirs.body.backups as unknown[]).length).toBeGreaterThan(0);
        expect((await api('/api/v1/guests/100?remote=nope')).status).toBe(404);
        expect((await api('/api/v1/guests/100?remote=a%2Fb')).status).toBe(400);
    });

    it('alerts the remote’s problem under its own name, apart from the same VMID here', async () => {
        const hook = await waitFor('first webhook', async () => hooks.received.find((h) => h.kind === 'problem'), 20_000);
        const failed = hook.problems.filter((p) => p.code === 'backup-failed');
        expect(failed).toEqual(expect.arrayContaining([expect.objectContaining({ vmid: 100, remote: 'dc2' }), expect.objectContaining({ vmid: 102, remote: null })]));
        expect(hook.text).toContain('• dc2 / web01 (VMID 100) – Backup failed');
    });
});
