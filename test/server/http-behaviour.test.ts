// SPDX-License-Identifier: AGPL-3.0-or-later
// The server's HTTP behaviour: CORS for the GUI origin only, bad input (JSON, size, names, paths),
// errors mapped to statuses, /metrics in both modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/server/api-server.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { type Calls, fakeDaemon } from './fake-daemon.ts';
import { GUI_ORIGIN, type Started, call, credentials, recordingLogger, startServer, tinySpec } from './harness.ts';
import { parseExposition } from './parse-exposition.ts';
import { scenarioReport } from './report-fixture.ts';

let sim: Simulator;
let started: Started;
let calls: Calls;
let cred: ReturnType<typeof credentials>;
const fake = fakeDaemon(scenarioReport('02-guest-failed'));

beforeAll(async () => {
    sim = await startSimulator(tinySpec());
    calls = fake.calls;
    started = await startServer({ sim, api: fake.api });
    cred = credentials(sim);
});
afterAll(async () => {
    await started?.close();
    await sim?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => call(started.server.url, path, { headers });
const asRoot = (path: string, method = 'GET', body?: string, extra: Record<string, string> = {}) =>
    call(started.server.url, path, { method, headers: { Authorization: cred.root, ...extra }, ...(body === undefined ? {} : { body }) });
const errorOf = (a: { json: unknown }) => (a.json as { error: string }).error;

describe('CORS', () => {
    it('lets the GUI origin read answers, with credentials', async () => {
        const a = await get('/api/v1/whoami', { Authorization: cred.root, Origin: GUI_ORIGIN });
        expect(a.status).toBe(200);
        expect(a.headers['access-control-allow-origin']).toBe(GUI_ORIGIN);
        expect(a.headers['access-control-allow-credentials']).toBe('true');
        expect(a.headers.vary).toBe('Origin');
    });

    it('refuses any other origin without CORS headers', async () => {
        for (const origin of ['https://evil.example', 'https://pve1.example.com:8007', 'null']) {
            const a = await get('/api/v1/whoami', { Authorization: cred.root, Origin: origin });
            expect(a.status).toBe(403);
            expect(a.headers['access-control-allow-origin']).toBeUndefined();
        }
    });

    it('answers the preflight for the GUI origin without a credential, allowing Authorization and Content-Type', async () => {
        const headers = { Origin: GUI_ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization,content-type' };
        const a = await call(started.server.url, '/api/v1/settings', { method: 'OPTIONS', headers });
        expect(a.status).toBe(204);
        expect(a.headers['access-control-allow-origin']).toBe(GUI_ORIGIN);
        expect(a.headers['access-control-allow-credentials']).toBe('true');
        expect(String(a.headers['access-control-allow-headers'])).toMatch(/Authorization/);
        expect(String(a.headers['access-control-allow-headers'])).toMatch(/Content-Type/);
        expect(String(a.headers['access-control-allow-methods'])).toMatch(/PUT/);
        const refused = await call(started.server.url, '/api/v1/settings', { method: 'OPTIONS', headers: { ...headers, Origin: 'https://evil.example' } });
        expect(refused.status).toBe(403);
        expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('rejects a configured origin that is not scheme://host[:port]', async () => {
        const o = { api: fake.api, access: { check: async () => ({ user: 'x', privileges: new Set<string>() }) }, listen: { host: '127.0.0.1', port: 0 } };
        const base = { ...o, metrics: { mode: 'token' as const }, logger: recordingLogger() };
        await expect(createApiServer({ ...base, allowedOrigins: ['https://pve1:8006/pve2'] })).rejects.toThrow(/scheme:\/\/host/);
        await expect(createApiServer({ ...base, allowedOrigins: ['pve1:8006'] })).rejects.toThrow(/allowed origin 'pve1:8006'/);
    });
});

describe('bad input', () => {
    it('answers 400 for a body that is not JSON, naming the problem', async () => {
        const a = await asRoot('/api/v1/settings', 'PUT', '{"settings": ', { 'Content-Type': 'application/json' });
        expect(a.status).toBe(400);
        expect(errorOf(a)).toMatch(/not valid JSON/);
    });

    it('answers 400 naming the field for well-formed JSON of the wrong shape', async () => {
        const cases: [string, string, string, RegExp][] = [
            ['PUT', '/api/v1/settings', '[]', /body: expected a JSON object/],
            ['PUT', '/api/v1/settings', '{"settings": 3}', /body\.settings: expected a JSON object/],
            ['PUT', '/api/v1/settings', '{"settings": {}, "secrets": {"a": 1}}', /body\.secrets\.a/],
            ['PUT', '/api/v1/settings', '{"settings": {}, "extra": 1}', /unknown field 'extra'/],
            ['POST', '/api/v1/silences', '{"reason": "x"}', /needs vmid, job or codes/],
            ['POST', '/api/v1/silences', '{"vmid": 12}', /body\.vmid/],
            ['POST', '/api/v1/silences', '{"codes": ["backup-exploded"]}', /body\.codes\[0\]/],
            ['POST', '/api/v1/silences', '{"job": "j", "durationSeconds": -5}', /body\.durationSeconds/],
            ['POST', '/api/v1/silences', '{"remote": "../x", "vmid": 100}', /body\.remote: '\.\.\/x' is not a remote name/],
            ['POST', '/api/v1/silences', '{"remote": 7, "vmid": 100}', /body\.remote/],
            ['POST', '/api/v1/notifications/test', '{"target": 5}', /body\.target/],
            ['GET', '/api/v1/guests/abc', '', /VMID 'abc'/],
            ['GET', '/api/v1/guests/99', '', /VMID '99'/],
            ['GET', '/api/v1/guests/100?remote=a%20b', '', /query parameter remote: 'a b' is not a remote name/],
            ['GET', '/api/v1/history?from=yesterday', '', /from='yesterday'/],
            ['GET', '/api/v1/history?from=200&to=100', '', /after to=100/],
        ];
        for (const [method, path, body, why] of cases) {
            const a = await asRoot(path, method, body || undefined);
            expect(a.status, `${method} ${path} ${body}`).toBe(400);
            expect(errorOf(a)).toMatch(why);
        }
        expect(calls.addSilence).toEqual([]);
    });

    it('answers 413 for a body over 64 KiB, declared or streamed', async () => {
        const big = JSON.stringify({ settings: { pad: 'x'.repeat(70 * 1024) } });
        const declared = await asRoot('/api/v1/settings', 'PUT', big);
        expect(declared.status).toBe(413);
        const streamed = await call(started.server.url, '/api/v1/settings', { method: 'PUT', body: big, chunked: true, headers: { Authorization: cred.root } });
        expect(streamed.status).toBe(413);
        expect(errorOf(streamed)).toMatch(/larger than 65536 bytes/);
        // The connection stays usable for the next request.
        expect((await asRoot('/api/v1/whoami')).status).toBe(200);
    });

    it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
        const unknown = await asRoot('/api/v1/nope');
        expect(unknown.status).toBe(404);
        expect(errorOf(unknown)).toMatch(/no such endpoint/);
        expect((await asRoot('/api/v2/report')).status).toBe(404);
        expect((await asRoot('/api/v1/report/')).status).toBe(404);
        const wrong = await asRoot('/api/v1/report', 'DELETE');
        expect(wrong.status).toBe(405);
        expect(wrong.headers.allow).toBe('GET');
        expect((await asRoot('/api/v1/settings', 'POST')).headers.allow).toBe('GET, PUT');
    });

    it('refuses archive names that could leave the archive directory (400) and never asks the daemon', async () => {
        calls.downloads.length = 0;
        calls.diffs.length = 0;
        for (const path of [
            '/api/v1/archives/..%2F..%2Fetc%2Fpasswd/download',
            '/api/v1/archives/..%2Fpve1.tar.gz/download',
            '/api/v1/archives/%2Fetc%2Fpve%2Fpriv.tar.gz/download',
            '/api/v1/archives/.hidden.tar.gz',
            '/api/v1/archives/pve1.tar.gz%00.txt/download',
            '/api/v1/archives/pve1.zip/verify',
            '/api/v1/archives/diff?a=../../etc/shadow&b=pve1.tar.gz',
            '/api/v1/archives/diff?a=pve1.tar.gz',
            '/api/v1/archives/tasks/..%2F..',
        ]) {
            const a = await asRoot(path, path.endsWith('verify') ? 'POST' : 'GET');
            expect(a.status, path).toBe(400);
        }
        // Raw dot segments are not normalised away: they match no endpoint.
        expect((await asRoot('/api/v1/archives/../../../etc/passwd')).status).toBe(404);
        expect((await asRoot('/api/v1/archives/%E0%A4%A/download')).status).toBe(400);
        expect(calls.downloads).toEqual([]);
        expect(calls.diffs).toEqual([]);
    });

    it('maps the daemon errors: ServiceError keeps its status, anything else is 500 without details', async () => {
        expect(await asRoot('/api/v1/guests/4242')).toMatchObject({ status: 404, json: { error: 'no guest 4242' } });
        expect(await asRoot('/api/v1/archives/other.tar.gz')).toMatchObject({ status: 404 });
        expect(await asRoot('/api/v1/settings', 'PUT', '{"settings": {"conflict": true}}')).toMatchObject({ status: 409, json: { error: 'the settings changed meanwhile' } });
        const crash = await asRoot('/api/v1/settings', 'PUT', '{"settings": {"crash": true}}');
        expect(crash).toMatchObject({ status: 500, json: { error: 'internal error' } });
        expect(crash.text).not.toContain('/secret/path');
        expect(started.logger.lines.some((l) => l.level === 'error' && l.message.includes('disk on fire'))).toBe(true);
    });

    it('answers 503 for archive endpoints when the daemon has no archives', async () => {
        const { archives: _none, ...withoutArchives } = fakeDaemon(scenarioReport('01-all-ok-daily')).api;
        const s = await startServer({ sim, api: withoutArchives });
        try {
            const a = await call(s.server.url, '/api/v1/archives', { headers: { Authorization: cred.root } });
            expect(a).toMatchObject({ status: 503, json: { error: expect.stringMatching(/archives are not set up/) } });
        } finally {
            await s.close();
        }
    });
});

describe('/metrics', () => {
    it('token mode: needs a credential with Sys.Audit, even from loopback', async () => {
        expect((await get('/metrics')).status).toBe(401);
        expect((await get('/metrics', { Authorization: cred.nobody })).status).toBe(403);
        const a = await get('/metrics', { Authorization: cred.auditorToken });
        expect(a.status).toBe(200);
        expect(a.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
        const { samples } = parseExposition(a.text);
        expect(samples.find((s) => s.name === 'pve_backup_health_status')).toMatchObject({ labels: { status: 'critical' }, value: 2 });
    });

    it('loopback mode: serves a loopback peer without a credential', async () => {
        const s = await startServer({ sim, api: fake.api, metrics: { mode: 'loopback' } });
        try {
            const a = await call(s.server.url, '/metrics');
            expect(a.status).toBe(200);
            expect(parseExposition(a.text).samples.length).toBeGreaterThan(10);
            // Only /metrics is opened: the API still needs credentials.
            expect((await call(s.server.url, '/api/v1/report')).status).toBe(401);
        } finally {
            await s.close();
        }
    });
});
