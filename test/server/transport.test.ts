// SPDX-License-Identifier: AGPL-3.0-or-later
// Transport and PVE: TLS, the plain-HTTP guard, PVE unreachable (503, not 401), and how often PVE
// is asked (once per credential while fresh, never past a ticket's lifetime, never for garbage).
import { Agent } from 'node:https';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveAccessChecker } from '../../src/adapters/pve-access/access-checker.ts';
import { createApiServer } from '../../src/server/api-server.ts';
import { generateCertificates } from '../simulator/cert.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { fakeDaemon } from './fake-daemon.ts';
import { type Started, call, credentials, recordingLogger, startServer, tinySpec } from './harness.ts';
import { scenarioReport } from './report-fixture.ts';

let sim: Simulator;
let started: Started;
let cred: ReturnType<typeof credentials>;
const fake = fakeDaemon(scenarioReport('02-guest-failed'));

beforeAll(async () => {
    sim = await startSimulator(tinySpec());
    started = await startServer({ sim, api: fake.api });
    cred = credentials(sim);
});
afterAll(async () => {
    await started?.close();
    await sim?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => call(started.server.url, path, { headers });

describe('transport', () => {
    it('refuses plain HTTP on any address that is not loopback', async () => {
        const base = { api: fake.api, access: { check: async () => ({ user: 'x', privileges: new Set<string>() }) }, allowedOrigins: [], metrics: { mode: 'token' as const }, logger: recordingLogger() };
        for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'pve1.example.com']) {
            await expect(createApiServer({ ...base, listen: { host, port: 0 } })).rejects.toThrow(/plain HTTP is refused on/);
        }
    });

    it('serves HTTPS with the given certificate', async () => {
        const certs = generateCertificates('pve1');
        const s = await startServer({ sim, api: fake.api, tls: { cert: certs.cert, key: certs.key } });
        try {
            expect(s.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
            const a = await call(s.server.url, '/api/v1/whoami', { headers: { Authorization: cred.root }, ca: certs.ca });
            expect(a).toMatchObject({ status: 200, json: { user: 'root@pam', canModify: true } });
        } finally {
            await s.close();
        }
    });

    it('answers 503, not 401, when PVE cannot be reached, and says so in the log', async () => {
        const port = await freePort();
        const agent = new Agent({ ca: sim.ca });
        const logger = recordingLogger();
        const server = await createApiServer({
            api: fake.api,
            access: createPveAccessChecker({ baseUrl: `https://127.0.0.1:${port}`, agent }),
            listen: { host: '127.0.0.1', port: 0 },
            allowedOrigins: [],
            metrics: { mode: 'token' },
            logger,
        });
        try {
            const a = await call(server.url, '/api/v1/report', { headers: { Authorization: cred.root } });
            expect(a).toMatchObject({ status: 503, json: { error: expect.stringMatching(/PVE cannot verify/) } });
            expect(logger.lines.some((l) => l.level === 'warn' && /cannot be reached/.test(l.message))).toBe(true);
        } finally {
            await server.close();
            agent.destroy();
        }
    });
});

describe('asking PVE', () => {
    const permissionRequests = () => sim.requestLog.filter((r) => r.path === '/access/permissions').length;

    it('asks PVE once per credential while the answer is fresh, and again for another credential', async () => {
        const ticket = `PVEAuthCookie=${sim.issueTicket('auditor@pve')}`;
        const before = permissionRequests();
        await Promise.all(Array.from({ length: 5 }, () => get('/api/v1/report', { Authorization: ticket })));
        for (let i = 0; i < 5; i++) expect((await get('/api/v1/report', { Authorization: ticket })).status).toBe(200);
        expect(permissionRequests() - before).toBe(1);
        await get('/api/v1/report', { Authorization: `PVEAuthCookie=${sim.issueTicket('auditor@pve', undefined, sim.clock.now() - 1)}` });
        expect(permissionRequests() - before).toBe(2);
    });

    it('asks again after 60 s, and never trusts a cached ticket past its 2 h lifetime', async () => {
        const now = sim.clock.now();
        try {
            const fresh = `PVEAuthCookie=${sim.issueTicket('auditor@pve')}`;
            const old = `PVEAuthCookie=${sim.issueTicket('auditor@pve', undefined, now - 7190)}`;
            expect((await get('/api/v1/report', { Authorization: fresh })).status).toBe(200);
            expect((await get('/api/v1/report', { Authorization: old })).status).toBe(200);
            const before = permissionRequests();
            sim.clock.advance(30);
            expect((await get('/api/v1/report', { Authorization: fresh })).status).toBe(200);
            expect(permissionRequests()).toBe(before);
            // The old ticket expired 20 s ago: not served from the cache, PVE refuses it.
            expect((await get('/api/v1/report', { Authorization: old })).status).toBe(401);
            expect(permissionRequests()).toBe(before + 1);
            sim.clock.advance(31);
            expect((await get('/api/v1/report', { Authorization: fresh })).status).toBe(200);
            expect(permissionRequests()).toBe(before + 2);
        } finally {
            sim.clock.set(now);
        }
    });

    it('does not ask PVE about text that is not a ticket or token at all', async () => {
        const before = permissionRequests();
        for (const value of ['PVEAuthCookie=hello', 'PVEAPIToken=nobody', 'PVEAuthCookie=PVE:root@pam:1::a b', 'PVEAPIToken=a@pve!t=x y']) {
            expect((await get('/api/v1/report', { Authorization: value })).status).toBe(401);
        }
        expect(permissionRequests()).toBe(before);
    });
});

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address() as { port: number };
            s.close(() => resolve(port));
        });
    });
}
