// SPDX-License-Identifier: AGPL-3.0-or-later
// The plugin's daemon client (plugin/api.ts) over real HTTP on 127.0.0.1 against the fake daemon:
// the ticket goes in `Authorization: PVEAuthCookie=…`, failures get the kind the tab explains.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, readTicket, resolveBaseUrl } from '../../plugin/api.ts';
import type { ReportResponse, WhoAmIResponse } from '../../src/contract/http-api.ts';
import { ADMIN_TICKET, type FakeBackend, READER_TICKET, startFakeBackend } from './fake-backend.ts';

let backend: FakeBackend;
beforeAll(async () => {
    backend = await startFakeBackend();
});
afterAll(() => backend.stop());

const client = (ticket: string | undefined, baseUrl = backend.url) => createClient({ fetch: (u, i) => fetch(u, i), baseUrl, ticket: () => ticket });

async function failure(p: Promise<unknown>): Promise<ApiError> {
    try {
        await p;
    } catch (e) {
        if (e instanceof ApiError) return e;
        throw e;
    }
    throw new Error('expected a failure');
}

describe('daemon client', () => {
    it('sends the ticket and reads the report', async () => {
        const who = await client(READER_TICKET).get<WhoAmIResponse>('/whoami');
        expect(who).toEqual({ user: 'auditor@pve', canModify: false });
        const res = await client(ADMIN_TICKET).get<ReportResponse>('/report');
        expect(res.report?.counts).toEqual(backend.report.counts);
        expect(backend.requests).toContain('GET /api/v1/report root@pam');
    });

    it('tells refused credentials, missing privileges, bad input and absent endpoints apart', async () => {
        expect((await failure(client(undefined).get('/report'))).kind).toBe('unauthorized');
        expect((await failure(client('PVE:x@pam:00000000::bad').get('/report'))).kind).toBe('unauthorized');
        const forbidden = await failure(client(READER_TICKET).post('/check'));
        expect(forbidden.kind).toBe('forbidden');
        expect(forbidden.message).toContain('Sys.Modify');
        const bad = await failure(client(ADMIN_TICKET).put('/settings', { settings: { intervalSeconds: 5 } }));
        expect(bad).toMatchObject({ kind: 'bad-request', status: 400, message: 'intervalSeconds: must be an integer of at least 60' });
        expect((await failure(client(ADMIN_TICKET).get('/guests/424242'))).kind).toBe('not-found');
    });

    it('calls a closed port unreachable, naming the URL', async () => {
        const server = createServer();
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const { port } = server.address() as AddressInfo;
        await new Promise<void>((r) => server.close(() => r()));
        const e = await failure(client(ADMIN_TICKET, `http://127.0.0.1:${port}`).get('/report'));
        expect(e.kind).toBe('unreachable');
        expect(e.url).toBe(`http://127.0.0.1:${port}/api/v1/report`);
    });

    it('finds the daemon: global, then localStorage, then the same host on port 8009', () => {
        const location = { protocol: 'https:', hostname: 'pve1.example.com' };
        const storage = (v: string | null) => ({ getItem: () => v });
        expect(resolveBaseUrl({ location })).toBe('https://pve1.example.com:8009');
        expect(resolveBaseUrl({ location: { protocol: 'https:', hostname: 'fe80::1' } })).toBe('https://[fe80::1]:8009');
        expect(resolveBaseUrl({ location, storage: storage('https://other:9000/') })).toBe('https://other:9000');
        expect(resolveBaseUrl({ location, storage: storage('https://other:9000'), override: 'https://global:1' })).toBe('https://global:1');
        expect(resolveBaseUrl({ location, storage: storage('javascript:alert(1)') })).toBe('https://pve1.example.com:8009');
        const throwing = { getItem: () => { throw new Error('denied'); } };
        expect(resolveBaseUrl({ location, storage: throwing })).toBe('https://pve1.example.com:8009');
    });

    it('reads the ticket from the PVEAuthCookie cookie', () => {
        expect(readTicket(`a=1; PVEAuthCookie=${encodeURIComponent(ADMIN_TICKET)}; b=2`)).toBe(ADMIN_TICKET);
        expect(readTicket('PVEAuthCookieX=1')).toBeUndefined();
        expect(readTicket('PVEAuthCookie=%E0%A4%A')).toBe('%E0%A4%A');
    });
});
