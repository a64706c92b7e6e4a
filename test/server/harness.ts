// SPDX-License-Identifier: AGPL-3.0-or-later
// Test harness: the simulator as PVE, the real access checker against it, the real API server on
// 127.0.0.1, an HTTP client and a logger that keeps every line.
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { createPveAccessChecker } from '../../src/adapters/pve-access/access-checker.ts';
import type { DaemonApi } from '../../src/app/daemon-api.ts';
import type { Logger } from '../../src/ports.ts';
import { type ApiServer, type ApiServerOptions, createApiServer } from '../../src/server/api-server.ts';
import { ADMIN_TOKEN, AUDITOR_TOKEN } from '../simulator/access.ts';
import type { Simulator } from '../simulator/server.ts';
import { type ScenarioSpec, tokenString } from '../simulator/spec.ts';

export const GUI_ORIGIN = 'https://pve1.example.com:8006';

export function tinySpec(): ScenarioSpec {
    return {
        seed: 7,
        start: Date.UTC(2026, 10, 21, 8, 0, 0) / 1000,
        historyDays: 2,
        nodes: [{ name: 'pve1', timeZone: 'UTC' }],
        guests: [{ vmid: 100, type: 'qemu', name: 'web', node: 'pve1' }],
        storages: [{ id: 'local', type: 'dir', totalGiB: 100 }],
        jobs: [{ id: 'backup-1', schedule: '02:00', storage: 'local', vmids: [100] }],
    };
}

export interface LogLine {
    level: string;
    message: string;
    fields?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
    const lines: LogLine[] = [];
    const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(fields ? { level, message, fields } : { level, message });
    return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `Authorization` values for every kind of caller the tests need. */
export function credentials(sim: Simulator) {
    const root = sim.issueTicket('root@pam');
    return {
        rootTicket: root,
        root: `PVEAuthCookie=${root}`,
        auditor: `PVEAuthCookie=${sim.issueTicket('auditor@pve')}`,
        nobody: `PVEAuthCookie=${sim.issueTicket('nobody@pve')}`,
        adminToken: `PVEAPIToken=${tokenString(ADMIN_TOKEN)}`,
        auditorToken: `PVEAPIToken=${tokenString(AUDITOR_TOKEN)}`,
        forged: `PVEAuthCookie=${root.replace(/::(.)/, (_m, c: string) => `::${c === 'Q' ? 'R' : 'Q'}`)}`,
        expired: `PVEAuthCookie=${sim.issueTicket('root@pam', undefined, sim.clock.now() - 7300)}`,
    };
}

export interface StartOptions extends Partial<ApiServerOptions> {
    api: DaemonApi;
    sim: Simulator;
}

export interface Started {
    server: ApiServer;
    logger: Logger & { lines: LogLine[] };
    agent: Agent;
    close(): Promise<void>;
}

/** The API server with the real PVE access checker pointed at the simulator. */
export async function startServer(o: StartOptions): Promise<Started> {
    const agent = new Agent({ ca: o.sim.ca, keepAlive: true });
    const logger = recordingLogger();
    const { sim: _sim, ...rest } = o;
    const server = await createApiServer({
        access: createPveAccessChecker({ baseUrl: o.sim.url, agent, timeoutMs: 5000 }),
        listen: { host: '127.0.0.1', port: 0 },
        allowedOrigins: [GUI_ORIGIN],
        metrics: { mode: 'token' },
        logger,
        // PVE and the daemon share the host clock; here that is the simulator's.
        now: () => o.sim.clock.now(),
        ...rest,
    });
    return {
        server,
        logger,
        agent,
        close: async () => {
            await server.close();
            agent.destroy();
        },
    };
}

export interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
    json: unknown;
}

export interface CallOptions {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** PEM CA for https URLs. */
    ca?: string;
    /** Send the body with chunked transfer encoding instead of a Content-Length. */
    chunked?: boolean;
}

export function call(base: string, path: string, o: CallOptions = {}): Promise<Answer> {
    const url = new URL(path, base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { ...o.headers };
        if (o.body !== undefined && !o.chunked) headers['Content-Length'] = Buffer.byteLength(o.body);
        const req = send(url, { method: o.method ?? 'GET', headers, agent: false, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                let json: unknown;
                if (String(res.headers['content-type']).startsWith('application/json')) json = JSON.parse(text);
                resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
            });
            res.on('error', reject);
        });
        req.on('error', reject);
        // A write before end() makes Node send chunks; end(body) alone would add a Content-Length.
        if (o.chunked && o.body !== undefined) req.write(o.body);
        req.end(o.chunked ? undefined : o.body);
    });
}
