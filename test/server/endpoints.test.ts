// SPDX-License-Identifier: AGPL-3.0-or-later
// Every endpoint of the contract against the real server, with PVE played by the simulator over
// HTTPS: no, forged, expired and cookie-only credentials are 401; missing privileges 403; valid
// callers get the contract's shapes, built from a real evaluated report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestDetailResponse, JobsResponse, ReportResponse, WhoAmIResponse } from '../../src/contract/http-api.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { ARCHIVE, ARCHIVE_BYTES, type Calls, fakeDaemon } from './fake-daemon.ts';
import { type Answer, type Started, call, credentials, startServer, tinySpec } from './harness.ts';
import { parseExposition } from './parse-exposition.ts';
import { scenarioReport } from './report-fixture.ts';

let sim: Simulator;
let started: Started;
let calls: Calls;
let cred: ReturnType<typeof credentials>;
let report: HealthReport;

beforeAll(async () => {
    sim = await startSimulator(tinySpec());
    report = scenarioReport('02-guest-failed');
    const fake = fakeDaemon(report);
    calls = fake.calls;
    started = await startServer({ sim, api: fake.api });
    cred = credentials(sim);
});
afterAll(async () => {
    await started?.close();
    await sim?.stop();
});

interface Endpoint {
    method: string;
    path: string;
    need: 'read' | 'modify' | 'login';
    body?: unknown;
    status: number;
    check(a: Answer): void;
}


const ENDPOINTS: Endpoint[] = [
    {
        method: 'GET', path: '/api/v1/report', need: 'read', status: 200,
        check: (a) => {
            const r = a.json as ReportResponse;
            expect(r.daemon).toMatchObject({ version: '0.1.0', node: 'pve1', checking: false });
            expect(r.report?.status).toBe('critical');
            expect(r.report?.problems[0]?.evidence.logLines?.length).toBeGreaterThan(0);
        },
    },
    {
        method: 'GET', path: `/api/v1/guests/${201}`, need: 'read', status: 200,
        check: (a) => {
            const { guest } = a.json as GuestDetailResponse;
            expect(guest).toEqual(report.guests.find((g) => g.vmid === 201));
            expect(guest).toMatchObject({ name: 'mail01', status: 'critical', problems: ['backup-failed'] });
        },
    },
    {
        method: 'GET', path: '/api/v1/jobs', need: 'read', status: 200,
        check: (a) => expect((a.json as JobsResponse).jobs[0]).toMatchObject({ id: report.jobs[0]?.id, nextRuns: [report.jobs[0]?.nextRun] }),
    },
    { method: 'POST', path: '/api/v1/check', need: 'modify', status: 202, check: (a) => expect(a.json).toHaveProperty('started') },
    { method: 'GET', path: '/api/v1/history?from=1795000000&to=1795300000', need: 'read', status: 200, check: (a) => expect(a.json).toMatchObject({ points: [{ status: 'critical' }] }) },
    { method: 'GET', path: '/api/v1/settings', need: 'read', status: 200, check: (a) => expect(a.json).toMatchObject({ writable: true, secretsSet: ['notifications.targets.0.token'] }) },
    {
        method: 'PUT', path: '/api/v1/settings', need: 'modify', status: 200, body: { settings: { checkIntervalSeconds: 120 }, secrets: { 'notifications.targets.0.token': 's3cr3t' } },
        check: (a) => {
            expect(a.json).toMatchObject({ settings: { checkIntervalSeconds: 120 } });
            expect(a.text).not.toContain('s3cr3t');
        },
    },
    { method: 'POST', path: '/api/v1/notifications/test', need: 'modify', status: 200, body: { target: 'mail' }, check: (a) => expect(a.json).toEqual({ results: [{ target: 'mail', ok: true }] }) },
    { method: 'GET', path: '/api/v1/notifications/log', need: 'read', status: 200, check: (a) => expect(a.json).toMatchObject({ entries: [{ kind: 'problem', ok: true }] }) },
    { method: 'POST', path: '/api/v1/silences', need: 'modify', status: 200, body: { vmid: 201, durationSeconds: 3600, reason: 'disk swap' }, check: (a) => expect(a.json).toHaveProperty('schema') },
    { method: 'GET', path: '/api/v1/archives', need: 'read', status: 200, check: (a) => expect(a.json).toMatchObject({ archives: [{ name: ARCHIVE }], schedule: 'daily 03:00' }) },
    { method: 'POST', path: '/api/v1/archives', need: 'modify', status: 202, check: (a) => expect(a.json).toMatchObject({ id: 'task-1', state: 'running' }) },
    { method: 'GET', path: '/api/v1/archives/tasks/task-1', need: 'read', status: 200, check: (a) => expect(a.json).toMatchObject({ id: 'task-1', progress: 0.5 }) },
    { method: 'GET', path: `/api/v1/archives/${ARCHIVE}`, need: 'read', status: 200, check: (a) => expect(a.json).toEqual({ manifest: { node: 'pve1', files: 12 } }) },
    {
        method: 'GET', path: `/api/v1/archives/${ARCHIVE}/download`, need: 'modify', status: 200,
        check: (a) => {
            expect(a.headers['content-type']).toBe('application/octet-stream');
            expect(a.headers['content-disposition']).toBe(`attachment; filename="${ARCHIVE}"`);
            expect(Buffer.from(a.text, 'utf8').length).toBeGreaterThan(0);
            expect(Number(a.headers['content-length'])).toBe(ARCHIVE_BYTES.length);
        },
    },
    { method: 'POST', path: `/api/v1/archives/${ARCHIVE}/verify`, need: 'modify', status: 200, check: (a) => expect(a.json).toEqual({ ok: true, checked: 12, errors: [] }) },
    {
        method: 'GET', path: `/api/v1/archives/diff?a=${ARCHIVE}&b=pve1-2026-11-20T0200Z.tar.gz.age`, need: 'read', status: 200,
        check: (a) => expect(a.json).toMatchObject({ a: ARCHIVE, b: 'pve1-2026-11-20T0200Z.tar.gz.age', changed: [{ path: 'storage.cfg' }] }),
    },
    { method: 'GET', path: '/api/v1/whoami', need: 'login', status: 200, check: (a) => expect(a.json).toHaveProperty('canModify') },
    // Metrics mode `token` (the harness default); loopback mode is tested in http-behaviour.test.ts.
    {
        method: 'GET', path: '/metrics', need: 'read', status: 200,
        check: (a) => expect(parseExposition(a.text).samples.find((x) => x.name === 'pve_backup_health_guest_status' && x.labels.vmid === '201')?.value).toBe(2),
    },
];

function send(e: Endpoint, headers: Record<string, string>): Promise<Answer> {
    const h = { ...headers };
    const options: Parameters<typeof call>[2] = { method: e.method, headers: h };
    if (e.body !== undefined) {
        h['Content-Type'] = 'application/json';
        options.body = JSON.stringify(e.body);
    }
    return call(started.server.url, e.path, options);
}

const auth = (value: string) => ({ Authorization: value });

describe.each(ENDPOINTS.map((e) => [`${e.method} ${e.path.split('?')[0]}`, e] as const))('%s', (_name, e) => {
    it('refuses a caller without credential, with a forged or expired ticket, or with the ticket only in a cookie (401)', async () => {
        const answers = [
            await send(e, {}),
            await send(e, auth(cred.forged)),
            await send(e, auth(cred.expired)),
            await send(e, { Cookie: `PVEAuthCookie=${encodeURIComponent(cred.rootTicket)}` }),
            await send(e, auth('Bearer whatever')),
        ];
        for (const a of answers) {
            expect(a.status).toBe(401);
            expect(a.headers['www-authenticate']).toBeUndefined();
            expect(a.json).toEqual({ error: expect.any(String) });
        }
        expect(JSON.stringify(answers[3]?.json)).toMatch(/cookies are not accepted/);
    });

    if (e.need === 'read') {
        it('refuses a user without Sys.Audit (403) and serves an auditor', async () => {
            const denied = await send(e, auth(cred.nobody));
            expect(denied.status).toBe(403);
            expect((denied.json as { error: string }).error).toMatch(/Sys\.Audit/);
            for (const who of [cred.auditor, cred.auditorToken]) {
                const a = await send(e, auth(who));
                expect(a.status).toBe(e.status);
                e.check(a);
            }
        });
    }

    if (e.need === 'modify') {
        it('refuses an auditor ticket or token (403) and serves root and the admin token', async () => {
            for (const who of [cred.auditor, cred.auditorToken, cred.nobody]) {
                const denied = await send(e, auth(who));
                expect(denied.status).toBe(403);
                expect((denied.json as { error: string }).error).toMatch(/Sys\.Modify/);
            }
            for (const who of [cred.root, cred.adminToken]) {
                const a = await send(e, auth(who));
                expect(a.status).toBe(e.status);
                e.check(a);
            }
        });
    }

    it('sets the security headers on every answer', async () => {
        for (const a of [await send(e, {}), await send(e, auth(cred.root))]) {
            expect(a.headers['x-content-type-options']).toBe('nosniff');
            expect(a.headers['cache-control']).toBe('no-store');
        }
    });
});

describe('who is asking', () => {
    it('tells the caller who they are and whether they may change things', async () => {
        const me = async (value: string) => (await call(started.server.url, '/api/v1/whoami', { headers: auth(value) })).json as WhoAmIResponse;
        expect(await me(cred.root)).toEqual({ user: 'root@pam', canModify: true });
        expect(await me(cred.auditor)).toEqual({ user: 'auditor@pve', canModify: false });
        expect(await me(cred.adminToken)).toEqual({ user: 'root@pam!admin', canModify: true });
        // whoami needs only a valid credential: it tells nobody more than their own name.
        expect(await me(cred.nobody)).toEqual({ user: 'nobody@pve', canModify: false });
    });

    it('passes the verified user to the daemon for what it records', async () => {
        calls.updateSettings.length = 0;
        calls.addSilence.length = 0;
        const body = JSON.stringify({ settings: { a: 1 } });
        await call(started.server.url, '/api/v1/settings', { method: 'PUT', body, headers: auth(cred.adminToken) });
        await call(started.server.url, '/api/v1/silences', { method: 'POST', body: '{"job":"backup-1"}', headers: auth(cred.root) });
        expect(calls.updateSettings.map((c) => c.user)).toEqual(['root@pam!admin']);
        expect(calls.addSilence).toEqual([{ request: { job: 'backup-1' }, user: 'root@pam' }]);
        expect(calls.archivesCreated.every((u) => u === 'root@pam' || u === 'root@pam!admin')).toBe(true);
    });

    it('accepts the header forms PVE accepts: a space instead of =, and a URI-escaped ticket', async () => {
        const escaped = `PVEAuthCookie=${encodeURIComponent(cred.rootTicket)}`;
        const spaced = `PVEAuthCookie ${cred.rootTicket}`;
        const tokenSpaced = cred.adminToken.replace('PVEAPIToken=', 'PVEAPIToken ');
        for (const value of [escaped, spaced, tokenSpaced]) {
            expect((await call(started.server.url, '/api/v1/whoami', { headers: auth(value) })).status).toBe(200);
        }
    });

    it('never writes a credential to the log, and logs method, path, status, user and time', async () => {
        const text = JSON.stringify(started.logger.lines);
        const secrets = [cred.rootTicket.split('::')[1] as string, cred.adminToken.split('=').pop() as string, cred.auditorToken.split('=').pop() as string];
        for (const s of secrets) expect(text).not.toContain(s);
        const line = started.logger.lines.find((l) => l.fields?.path === '/api/v1/settings' && l.fields?.method === 'PUT' && l.fields?.status === 200);
        expect(line?.fields).toMatchObject({ user: expect.stringMatching(/^root@pam/), ms: expect.any(Number) });
        expect(line?.message).toMatch(/^PUT \/api\/v1\/settings 200 root@pam/);
    });
});
