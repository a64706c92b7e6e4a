// SPDX-License-Identifier: AGPL-3.0-or-later
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_LIST_TIMEOUT_MS, createPveClient } from '../../src/adapters/pve-api/client.ts';
import { PveApiError } from '../../src/adapters/pve-api/errors.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import { type LoopbackHttps, startLoopbackHttps } from './loopback-https.ts';

const TOKEN = 'monitor@pve!health=3f1c0d2e-1111-2222-3333-444455556666';
let srv: LoopbackHttps;

beforeAll(async () => {
    srv = await startLoopbackHttps();
});
afterAll(() => srv.close());

const transport = () => createTransport({ baseUrl: srv.url, token: TOKEN, tls: { fingerprint: srv.certs.fingerprint }, sleep: async () => {} });

const ITEMS = Array.from({ length: 2000 }, (_, i) => ({ volid: `pbs-store:backup/vm/${100 + i}/2026-11-20T01:07:00Z`, vmid: String(100 + i), notes: i % 7 === 0 ? 'Grüße, "quoted" ✓' : undefined }));
const BODY = Buffer.from(JSON.stringify({ data: ITEMS, total: ITEMS.length }));

/** Writes the body in small pieces, each in its own TCP write, so the client gets many chunks. */
async function dribble(res: ServerResponse, body: Buffer, upTo = body.length): Promise<void> {
    res.writeHead(200, 'OK', { 'Content-Type': 'application/json;charset=UTF-8' });
    for (let at = 0; at < upTo; at += 997) {
        res.write(body.subarray(at, Math.min(at + 997, upTo)));
        await new Promise((r) => setImmediate(r));
    }
}

describe('transport: list elements as they arrive (eachItem)', () => {
    it('hands every element to the sink and keeps total, with data empty', async () => {
        srv.reset((_req, res) => void dribble(res, BODY).then(() => res.end()));
        const got: unknown[] = [];
        const t = transport();
        const r = await t.request('GET', '/nodes/pve1/storage/pbs-store/content', { eachItem: () => (x) => got.push(x) });
        t.close();
        expect(got).toEqual(JSON.parse(BODY.toString()).data);
        expect(r).toEqual({ data: [], total: ITEMS.length });
    });

    it('starts a fresh sink when a connection dropped halfway is retried: nothing twice', async () => {
        srv.reset((req, res, n) => {
            if (n === 1) void dribble(res, BODY, BODY.length / 2).then(() => req.socket.destroy());
            else void dribble(res, BODY).then(() => res.end());
        });
        const sinks: unknown[][] = [];
        const t = transport();
        await t.request('GET', '/x', {
            eachItem: () => {
                const mine: unknown[] = [];
                sinks.push(mine);
                return (x) => mine.push(x);
            },
        });
        t.close();
        expect(srv.seen).toHaveLength(2);
        expect(sinks).toHaveLength(2);
        expect(sinks[0]?.length).toBeGreaterThan(0);
        expect(sinks[0]?.length).toBeLessThan(ITEMS.length);
        expect(sinks[1]).toHaveLength(ITEMS.length);
    });

    it('still reports HTTP errors as such (the body is not streamed)', async () => {
        srv.reset((_req, res) => {
            res.writeHead(403, 'Permission check failed (/storage/pbs-store, Datastore.Audit)', { 'Content-Type': 'application/json' });
            res.end('{"data":null}');
        });
        const t = transport();
        const err = await t.request('GET', '/x', { eachItem: () => () => {} }).catch((e: unknown) => e);
        t.close();
        expect(err).toBeInstanceOf(PveApiError);
        expect((err as PveApiError).status).toBe(403);
        expect((err as Error).message).toMatch(/Datastore\.Audit/);
    });

    it('refuses a 200 that is not a PVE envelope, naming the request', async () => {
        for (const body of ['<html>proxy error</html>', '{"data":[{"a":1},', '[1,2]']) {
            srv.reset((_req, res) => {
                res.writeHead(200, 'OK', { 'Content-Type': 'application/json' });
                res.end(body);
            });
            const t = transport();
            const err = await t.request('GET', '/nodes/pve1/storage/s/content', { eachItem: () => () => {} }).catch((e: unknown) => e);
            t.close();
            expect(err, body).toBeInstanceOf(PveApiError);
            expect((err as PveApiError).kind).toBe('protocol');
            expect((err as Error).message).toContain('/nodes/pve1/storage/s/content');
        }
    });

    it('gives a backup list PVE’s own patience (120 s for PBS), not the transport’s default', async () => {
        expect(BACKUP_LIST_TIMEOUT_MS).toBeGreaterThan(120_000);
        // Every answer comes after 300 ms; the transport's default timeout is 100 ms.
        srv.reset((req, res) => {
            setTimeout(() => {
                res.writeHead(200, 'OK', { 'Content-Type': 'application/json' });
                res.end(req.url?.includes('/content') ? JSON.stringify({ data: [{ volid: 'pbs:backup/vm/100/2026-11-20T01:07:00Z', vmid: 100, ctime: 1, size: 1 }] }) : '{"data":{"timezone":"UTC"}}');
            }, 300);
        });
        const t = createTransport({ baseUrl: srv.url, token: TOKEN, tls: { fingerprint: srv.certs.fingerprint }, timeoutMs: 100, retries: 0 });
        const api = createPveClient(t);
        expect(await api.storageBackups('pve1', 'pbs')).toEqual([expect.objectContaining({ volid: 'pbs:backup/vm/100/2026-11-20T01:07:00Z', vmid: 100 })]);
        const other = await api.nodeTime('pve1').catch((e: unknown) => e);
        t.close();
        expect(other).toBeInstanceOf(PveApiError);
        expect((other as PveApiError).kind).toBe('timeout');
    });
});
