// SPDX-License-Identifier: AGPL-3.0-or-later
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PveApiError } from '../../src/adapters/pve-api/errors.ts';
import { normalizeFingerprint } from '../../src/adapters/pve-api/tls.ts';
import { type TransportOptions, createTransport, tokenHeader } from '../../src/adapters/pve-api/transport.ts';
import { type LoopbackHttps, startLoopbackHttps } from './loopback-https.ts';

const TOKEN = 'monitor@pve!health=3f1c0d2e-1111-2222-3333-444455556666';
let srv: LoopbackHttps;

function reply(res: ServerResponse, status: number, reason: string, body: unknown): void {
    res.writeHead(status, reason, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
}

beforeAll(async () => {
    srv = await startLoopbackHttps();
});

afterAll(() => srv.close());

beforeEach(() => srv.reset((_req, res) => reply(res, 200, 'OK', { data: { ok: 1 } })));

function transport(extra: Partial<TransportOptions> = {}) {
    return createTransport({ baseUrl: srv.url, token: TOKEN, tls: { fingerprint: srv.certs.fingerprint }, sleep: async () => {}, ...extra });
}

async function failure(p: Promise<unknown>): Promise<PveApiError> {
    try {
        await p;
    } catch (err) {
        expect(err).toBeInstanceOf(PveApiError);
        return err as PveApiError;
    }
    throw new Error('expected the request to fail');
}

describe('transport TLS trust', () => {
    it('accepts the pinned fingerprint and sends the token', async () => {
        const t = transport();
        expect((await t.request('GET', '/version')).data).toEqual({ ok: 1 });
        expect(srv.seen[0]?.headers.authorization).toBe(`PVEAPIToken=${TOKEN}`);
        expect(srv.seen[0]?.url).toBe('/api2/json/version');
        t.close();
    });

    it('accepts the pin written in lower case without colons', async () => {
        const t = transport({ tls: { fingerprint: srv.certs.fingerprint.replace(/:/g, '').toLowerCase() } });
        await t.request('GET', '/version');
        t.close();
    });

    it('rejects a wrong pin before any request byte is sent', async () => {
        const wrong = srv.certs.fingerprint.replace(/^../, srv.certs.fingerprint.startsWith('00') ? '11' : '00');
        const t = transport({ tls: { fingerprint: wrong } });
        const err = await failure(t.request('GET', '/version'));
        expect(err.kind).toBe('tls');
        expect(err.message).toMatch(/does not match the pinned/);
        expect(srv.seen).toHaveLength(0);
        t.close();
    });

    it('verifies against a CA file', async () => {
        const t = transport({ tls: { ca: srv.certs.ca } });
        expect((await t.request('GET', '/version')).data).toEqual({ ok: 1 });
        t.close();
    });

    it('reads the CA from a file', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'pbh-ca-'));
        try {
            writeFileSync(join(dir, 'pve-root-ca.pem'), srv.certs.ca);
            const t = transport({ tls: { caFile: join(dir, 'pve-root-ca.pem') } });
            await t.request('GET', '/version');
            t.close();
            expect(() => transport({ tls: { caFile: join(dir, 'missing.pem') } })).toThrow(/cannot read the CA file/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('rejects an untrusted certificate without CA or pin', async () => {
        const t = transport({ tls: {} });
        const err = await failure(t.request('GET', '/version'));
        expect(err.kind).toBe('tls');
        expect(err.message).toMatch(/CA file or pin/);
        expect(srv.seen).toHaveLength(0);
        t.close();
    });

    it('skips verification only when insecure is asked for', async () => {
        const t = transport({ tls: { insecure: true } });
        await t.request('GET', '/version');
        t.close();
    });

    it('normalizes fingerprints and refuses malformed ones', () => {
        expect(normalizeFingerprint('ab'.repeat(32))).toBe(Array(32).fill('AB').join(':'));
        expect(normalizeFingerprint('AB:CD')).toBeUndefined();
        expect(() => transport({ tls: { fingerprint: 'zz' } })).toThrow(/invalid certificate fingerprint/);
    });

    it('validates the token format', () => {
        expect(tokenHeader(TOKEN)).toBe(`PVEAPIToken=${TOKEN}`);
        expect(() => tokenHeader('root@pam:secret')).toThrow(/user@realm!tokenid=secret/);
    });
});

describe('transport errors and retries', () => {
    it('retries a 500 with backoff, then succeeds', async () => {
        const delays: number[] = [];
        srv.handler = (_req, res, n) => (n < 3 ? reply(res, 500, 'Internal Server Error', { data: null }) : reply(res, 200, 'OK', { data: [1], total: '1' }));
        const t = transport({ sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
        const r = await t.request('GET', '/cluster/resources');
        expect(r).toEqual({ data: [1], total: 1 });
        expect(srv.seen).toHaveLength(3);
        expect(delays).toEqual([500, 1000]);
        expect(t.stats()).toEqual({ requests: 3, retries: 2, failures: 0 });
        t.close();
    });

    it('gives up after the configured retries', async () => {
        srv.handler = (_req, res) => reply(res, 503, 'Service Unavailable', { data: null });
        const t = transport({ retries: 2 });
        const err = await failure(t.request('GET', '/cluster/status'));
        expect(err.kind).toBe('http');
        expect(err.status).toBe(503);
        expect(srv.seen).toHaveLength(3);
        t.close();
    });

    it('retries a dropped connection', async () => {
        srv.handler = (req, res, n) => (n === 1 ? req.socket.destroy() : reply(res, 200, 'OK', { data: 'ok' }));
        const t = transport();
        expect((await t.request('GET', '/version')).data).toBe('ok');
        expect(srv.seen).toHaveLength(2);
        t.close();
    });

    it('does not retry 4xx', async () => {
        srv.handler = (_req, res) => reply(res, 400, 'Parameter verification failed.', { data: null, errors: { limit: 'bad' } });
        const t = transport();
        const err = await failure(t.request('GET', '/nodes/pve1/tasks'));
        expect(err.status).toBe(400);
        expect(srv.seen).toHaveLength(1);
        t.close();
    });

    it('explains a rejected token (401)', async () => {
        srv.handler = (_req, res) => reply(res, 401, 'authentication failure', { data: null });
        const t = transport();
        const err = await failure(t.request('GET', '/cluster/status'));
        expect(err.kind).toBe('auth');
        expect(err.message).toMatch(/API token rejected/);
        expect(err.message).toMatch(/token id or secret is wrong/);
        expect(srv.seen).toHaveLength(1);
        t.close();
    });

    it('names the missing privilege and path (403)', async () => {
        srv.handler = (_req, res) => reply(res, 403, 'Permission check failed (/nodes/pve1, Sys.Audit)', { data: null });
        const t = transport();
        const err = await failure(t.request('GET', '/nodes/pve1/tasks'));
        expect(err.kind).toBe('permission');
        expect(err.privilege).toBe('Sys.Audit');
        expect(err.permissionPath).toBe('/nodes/pve1');
        expect(err.message).toMatch(/lacks Sys\.Audit on \/nodes\/pve1/);
        t.close();
    });

    it('reports an offline node (595) without retrying', async () => {
        srv.handler = (_req, res) => reply(res, 595, 'No route to host', { data: null });
        const t = transport();
        const err = await failure(t.request('GET', '/nodes/pve2/tasks'));
        expect(err.kind).toBe('node-offline');
        expect(err.message).toMatch(/offline or there is no route/);
        expect(srv.seen).toHaveLength(1);
        t.close();
    });

    it('times out a request that gets no answer', async () => {
        srv.handler = () => {};
        const t = transport({ timeoutMs: 150, retries: 1 });
        const err = await failure(t.request('GET', '/cluster/status'));
        expect(err.kind).toBe('timeout');
        expect(srv.seen).toHaveLength(2);
        t.close();
    });

    it('rejects a body that is not a PVE envelope', async () => {
        srv.handler = (_req, res) => reply(res, 200, 'OK', [1, 2]);
        const t = transport();
        expect((await failure(t.request('GET', '/version'))).kind).toBe('protocol');
        t.close();
    });

    it('sends forms and can leave the token out', async () => {
        let body = '';
        srv.handler = (req, res) => {
            req.on('data', (c: Buffer) => {
                body += c.toString();
            });
            req.on('end', () => reply(res, 200, 'OK', { data: { username: 'alice@pve' } }));
        };
        const t = transport();
        await t.request('POST', '/access/ticket', { form: { username: 'alice@pve', password: 'PVE:alice@pve:1::x', privs: 'Sys.Audit' }, anonymous: true });
        expect(srv.seen[0]?.headers.authorization).toBeUndefined();
        expect(srv.seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(new URLSearchParams(body).get('password')).toBe('PVE:alice@pve:1::x');
        t.close();
    });

    it('keeps at most maxInFlight requests in flight', async () => {
        let inFlight = 0;
        let peak = 0;
        srv.handler = (_req, res) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            setTimeout(() => {
                inFlight--;
                reply(res, 200, 'OK', { data: null });
            }, 20);
        };
        const t = transport({ maxInFlight: 3 });
        await Promise.all(Array.from({ length: 10 }, () => t.request('GET', '/version')));
        expect(peak).toBeLessThanOrEqual(3);
        expect(srv.seen).toHaveLength(10);
        t.close();
    });
});
