// SPDX-License-Identifier: AGPL-3.0-or-later
// A server that ignores `download=1` answers the usual JSON envelope: its lines are used, never the
// envelope's text as if it were a log (which would read as a task without result).
import { type Server, createServer } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveClient } from '../../src/adapters/pve-api/client.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import { parseVzdumpLog } from '../../src/domain/vzdump-log/parse.ts';
import { generateCertificates } from '../simulator/cert.ts';

const LINES = ['INFO: starting new backup job: vzdump 100 --storage local --mode snapshot', 'INFO: Starting Backup of VM 100 (qemu)', 'INFO: Finished Backup of VM 100 (00:00:05)', 'TASK OK'];
/** Many lines, multi-byte characters everywhere, and one line far longer than a piece. */
const BIG = [
    'INFO: starting new backup job: vzdump 100 --storage local',
    ...Array.from({ length: 3000 }, (_, i) => `INFO: ${i} Gäste → ✓ 🚀 ${'ß'.repeat(i % 50)}`),
    `INFO: ${'€'.repeat(70_000)}`,
    'INFO: Starting Backup of VM 100 (qemu)',
    'INFO: Finished Backup of VM 100 (00:00:05)',
    'TASK OK',
].join('\n');
const certs = generateCertificates();
let server: Server;
let url = '';
const seen: string[] = [];

beforeAll(async () => {
    server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
        seen.push(req.url ?? '');
        if (req.url?.includes('%3Abig%3A')) {
            res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
            res.end(gzipSync(Buffer.from(BIG, 'utf8')));
            return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ data: LINES.map((t, i) => ({ n: i + 1, t })), total: LINES.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
});

describe('task log download against a server that answers JSON', () => {
    it('reads the lines out of the envelope', async () => {
        const transport = createTransport({ baseUrl: url, token: 'monitor@pve!health=secret', tls: { fingerprint: certs.fingerprint } });
        try {
            const text = await createPveClient(transport).taskLogText('pve1', 'UPID:pve1:00000001:00000001:6779D993:vzdump:100:root@pam:');
            expect(seen.at(-1)).toMatch(/\/log\?download=1$/);
            expect(text).toBe(LINES.map((l) => `${l}\n`).join(''));
            expect(parseVzdumpLog(text).outcome).toBe('ok');
        } finally {
            transport.close();
        }
    });

    it('gives a gzipped log in pieces of at most 64 KiB, cut after a newline or between characters', async () => {
        const transport = createTransport({ baseUrl: url, token: 'monitor@pve!health=secret', tls: { fingerprint: certs.fingerprint } });
        try {
            const pieces: string[] = [];
            await createPveClient(transport).taskLogPieces('pve1', 'UPID:pve1:00000001:00000001:6779D993:vzdump:big:root@pam:', (p) => pieces.push(p));
            expect(pieces.join('')).toBe(BIG);
            expect(pieces.length).toBeGreaterThan(4);
            for (const p of pieces) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(64 * 1024);
            // Only the pieces of the long line may end without a newline; none splits a character.
            expect(pieces.filter((p) => !p.endsWith('\n')).length).toBeLessThanOrEqual(5);
            expect(pieces.join('').includes('\uFFFD')).toBe(false);
            expect(parseVzdumpLog(pieces.join('')).outcome).toBe('ok');
        } finally {
            transport.close();
        }
    });
});
