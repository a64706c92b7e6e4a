// SPDX-License-Identifier: AGPL-3.0-or-later
// A loopback HTTP(S) receiver that records every request and answers as the test says.
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AlertBatch, RenderedMessage } from '../../../src/domain/alerts/types.ts';

export interface Received {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    /** Exact bytes as received. */
    raw: Buffer;
    body: string;
}

export type Answer = (req: Received, res: ServerResponse) => void;

export interface Receiver {
    url: string;
    requests: Received[];
    answer: Answer;
    close(): Promise<void>;
}

export const ok: Answer = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
};

export async function startReceiver(tls?: { cert: string; key: string }): Promise<Receiver> {
    const receiver: Receiver = { url: '', requests: [], answer: ok, close: async () => undefined };
    const handle = (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const raw = Buffer.concat(chunks);
            const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body: raw.toString('utf8') };
            receiver.requests.push(r);
            receiver.answer(r, res);
        });
    };
    const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : createServer(handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiver.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    receiver.close = async () => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
    };
    return receiver;
}

/** A critical problem batch with one failed backup, and its rendered message (German, for UTF-8). */
export const BATCH: AlertBatch = {
    kind: 'problem',
    at: 1_795_000_000,
    cluster: 'prod',
    severity: 'critical',
    items: [
        {
            key: 'backup-failed|101|daily|pve1|',
            firstSeen: 1_794_990_000,
            problem: {
                code: 'backup-failed',
                severity: 'critical',
                vmid: 101,
                guestName: 'web01',
                job: 'daily',
                node: 'pve1',
                message: 'web01 (101): backup failed',
                evidence: { expectedRuns: [1_794_970_800], logLines: [{ upid: 'UPID:pve1:1', n: 9, text: 'ERROR: Backup of VM 101 failed - boom' }] },
            },
        },
    ],
};

export const MESSAGE: RenderedMessage = {
    subject: 'Sicherung fehlgeschlagen: web01 (VMID 101) auf Cluster prod',
    summary: 'Sicherung fehlgeschlagen: web01 (VMID 101)',
    text: 'pve-backup-health hat ein neues Problem festgestellt:\n\n• web01 (VMID 101) – Sicherung fehlgeschlagen (kritisch)\n',
};

/** The error a send rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & { retryable?: boolean; status?: number }> {
    try {
        await p;
    } catch (e) {
        return e as Error & { retryable?: boolean; status?: number };
    }
    throw new Error('expected the send to fail');
}
