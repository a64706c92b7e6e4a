// SPDX-License-Identifier: AGPL-3.0-or-later
/** A throwaway HTTPS server on 127.0.0.1 for transport tests: each test sets what it answers. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type SimCertificates, generateCertificates } from '../simulator/cert.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface LoopbackHttps {
    certs: SimCertificates;
    url: string;
    /** Requests received since the last `reset`. */
    seen: IncomingMessage[];
    handler: Handler;
    reset(handler: Handler): void;
    close(): Promise<void>;
}

export async function startLoopbackHttps(): Promise<LoopbackHttps> {
    const certs = generateCertificates();
    const fixture: LoopbackHttps = {
        certs,
        url: '',
        seen: [],
        handler: (_req, res) => res.end(),
        reset(handler) {
            fixture.seen = [];
            fixture.handler = handler;
        },
        close: () => {
            server.closeAllConnections();
            return new Promise<void>((r) => server.close(() => r()));
        },
    };
    const server: Server = createServer({ cert: certs.cert, key: certs.key, ca: certs.ca }, (req, res) => {
        fixture.seen.push(req);
        fixture.handler(req, res, fixture.seen.length);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fixture.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fixture;
}
