// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the end-to-end daemon tests share: a daemon on loopback against a simulator, polling for a
 * result, and a webhook receiver.
 */

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type RunningDaemon, startDaemon } from '../../src/compose.ts';
import type { Simulator } from '../simulator/server.ts';

/** The daemon as the package runs it, on plain HTTP on 127.0.0.1, with its files under `dir`. */
export function startTestDaemon(dir: string, sim: Simulator): Promise<RunningDaemon> {
    return startDaemon({
        version: 'test', env: {}, log: () => {}, clock: sim.clock, node: 'pve1',
        configFile: join(dir, 'config.json'), stateDir: join(dir, 'state'), hostRoot: join(dir, 'root'),
        listen: { host: '127.0.0.1', port: 0 }, plainHttp: true,
        api: { url: sim.url, token: sim.token, fingerprint: sim.fingerprint },
    });
}

/** Polls `probe` every 100 ms until it gives a value; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

export interface WebhookReceiver<T> {
    /** Where a webhook target should post. */
    url: string;
    /** Bodies received so far, parsed. */
    received: T[];
    close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that keeps every JSON body posted to it and answers 204. */
export async function startWebhookReceiver<T>(): Promise<WebhookReceiver<T>> {
    const received: T[] = [];
    const server: Server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
            body += c;
        });
        req.on('end', () => {
            received.push(JSON.parse(body) as T);
            res.writeHead(204).end();
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
    };
}
