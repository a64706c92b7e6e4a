// SPDX-License-Identifier: AGPL-3.0-or-later
// The plugin's daemon client (plugin/api.ts) over real HTTP on 127.0.0.1 against the real daemon
// (simulator behind it): the ticket goes in `Authorization: PVEAuthCookie=…`, failures get the
// kind the tab explains.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, readTicket, resolveBaseUrl } from '../../plugin/api.ts';
import type { ReportResponse, WhoAmIResponse } from '../../src/contract/http-api.ts';
import { type Backend, startBackend } from './backend.ts';

let backend: Backend;
beforeAll(async () => {
    backend = await startBackend({ allowedOrigins: [] });
});
afterAll(() => backend?.stop());

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
        expect(await client(backend.tickets.reader).get<WhoAmIResponse>('/whoami')).toEqual({ user: 'auditor@pve', canModify: false });
        expect(await client(backend.tickets.admin).get<WhoAmIResponse>('/whoami')).toEqual({ user: 'root@pam', canModify: true });
        const res = await client(backend.tickets.admin).get<ReportResponse>('/report');
        expect(res.report?.counts).toEqual(backend.report.counts);
    });

    it('tells refused credentials, missing privileges, bad input and absent endpoints apart', async () => {
        const { admin, reader, nobody } = backend.tickets;
        expect((await failure(client(undefined).get('/report'))).kind).toBe('unauthorized');
        expect((await failure(client('PVE:root@pam:6B00ED12::forged').get('/report'))).kind).toBe('unauthorized');
        const forbidden = await failure(client(reader).post('/check'));
        expect(forbidden).toMatchObject({ kind: 'forbidden', status: 403 });
        expect(forbidden.message).toContain('Sys.Modify');
        expect(await failure(client(nobody).get('/report'))).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('Sys.Audit') });
        const bad = await failure(client(admin).put('/settings', { settings: { version: 1, checkIntervalSeconds: 5 } }));
        expect(bad).toMatchObject({ kind: 'bad-request', status: 400 });
        expect(bad.message).toMatch(/^checkIntervalSeconds: /);
        expect((await failure(client(admin).get('/guests/424242'))).kind).toBe('not-found');
        expect((await failure(client(admin).get('/no-such-thing'))).kind).toBe('not-found');
    });

    it('calls a closed port unreachable, naming the URL', async () => {
        const server = createServer();
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const { port } = server.address() as AddressInfo;
        await new Promise<void>((r) => server.close(() => r()));
        const e = await failure(client(backend.tickets.admin, `http://127.0.0.1:${port}`).get('/report'));
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
        const ticket = backend.tickets.admin;
        expect(readTicket(`a=1; PVEAuthCookie=${encodeURIComponent(ticket)}; b=2`)).toBe(ticket);
        expect(readTicket('PVEAuthCookieX=1')).toBeUndefined();
        expect(readTicket('PVEAuthCookie=%E0%A4%A')).toBe('%E0%A4%A');
    });
});
