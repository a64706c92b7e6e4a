// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The PVE API simulator: an HTTPS server on 127.0.0.1 speaking `/api2/json` for the endpoints the
 * collector uses, with PVE's quirks, a settable clock, injectable faults and the ground truth.
 *
 *     const sim = await startSimulator(spec);
 *     const source = createApiSnapshotSource({ baseUrl: sim.url, token: sim.token, tls: { fingerprint: sim.fingerprint }, … });
 *     sim.clock.advance(3600);
 *     await sim.stop();
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ADMIN_TOKEN, AUDITOR_TOKEN, createSimAccess } from './access.ts';
import { type SimCertificates, generateCertificates } from './cert.ts';
import { type SimClock, createSimClock } from './clock.ts';
import { type AddRunOptions, generateWorld } from './generate.ts';
import { jobIds } from './legacy-cron.ts';
import { accessRoutes } from './routes-access.ts';
import { clusterRoutes } from './routes-cluster.ts';
import { nodeRoutes } from './routes-nodes.ts';
import { DEFAULT_TOKEN, type ScenarioSpec, tokenString } from './spec.ts';
import { type Caller, type Query, type Route, type RouteResult, type SimFaults, type SimState, findNode, nodeOnline } from './state.ts';
import { type GroundTruth, computeTruth } from './truth.ts';
import type { SimTask, World } from './world.ts';

export interface SimulatorOptions {
    clock?: SimClock;
    /** 0 (default) picks a free port. */
    port?: number;
    /** Reuse certificates across simulators (generation takes ~100 ms). */
    certs?: SimCertificates;
    /** PVE delays 401 answers by 3 s; default 0 here. */
    authDelayMs?: number;
}

export interface RequestLogEntry {
    method: string;
    /** Path below `/api2/json`, e.g. `/nodes/pve1/tasks`. */
    path: string;
    query: Query;
    status: number;
    /** Simulated time of the request. */
    at: number;
}

export interface Simulator {
    url: string;
    /** SHA-256 fingerprint of the server certificate (`AA:BB:…`). */
    fingerprint: string;
    /** PEM of the CA that signed the server certificate. */
    ca: string;
    /** `user@realm!tokenid=secret` of the first configured token. */
    token: string;
    clock: SimClock;
    world: World;
    faults: SimFaults;
    requestLog: RequestLogEntry[];
    /** Ground truth at the current clock time. */
    truth(): GroundTruth;
    setNodeOffline(node: string, offline: boolean): void;
    addRun(options: AddRunOptions): SimTask;
    /** The id PVE gives a job (legacy jobs: `<sha1>:<n>`). */
    jobId(specId: string): string;
    /**
     * A signed ticket for `user` (see access.ts for the built-in users root@pam, auditor@pve,
     * nobody@pve), created at `at` (default now; older than 2 h = expired). With `privs` the user
     * is created or given exactly those privileges on `/`.
     */
    issueTicket(user: string, privs?: string[], at?: number): string;
    stop(): Promise<void>;
}

interface Fault {
    match: string | RegExp;
    left: number;
    status?: number;
    reason?: string;
    hang?: boolean;
}

export async function startSimulator(spec: ScenarioSpec, options: SimulatorOptions = {}): Promise<Simulator> {
    const generated = generateWorld(spec);
    const clock = options.clock ?? createSimClock(spec.start);
    const tokens = spec.tokens ?? [DEFAULT_TOKEN];
    const access = createSimAccess(clock, [...tokens, ADMIN_TOKEN, AUDITOR_TOKEN]);
    const state: SimState = { world: generated.world, clock, offline: new Set(), access };
    const faultList: Fault[] = [];
    const faults: SimFaults = {
        failNext: (match, times, status = 500, reason = 'Internal Server Error') => void faultList.push({ match, left: times, status, reason }),
        hangNext: (match, times) => void faultList.push({ match, left: times, hang: true }),
        rejectTokens: false,
        scheduleAnalyzeShift: 0,
    };
    const routes: Route[] = [...clusterRoutes(state, () => faults.scheduleAnalyzeShift), ...accessRoutes(), ...nodeRoutes()];
    const requestLog: RequestLogEntry[] = [];
    const hanging = new Set<ServerResponse>();
    const certs = options.certs ?? generateCertificates();

    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const url = new URL(req.url ?? '/', 'https://sim');
        const path = url.pathname.replace(/^\/api2\/json/, '');
        const query: Query = Object.fromEntries(url.searchParams);
        const body = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await readBody(req))) : {};
        const entry: RequestLogEntry = { method: req.method ?? 'GET', path, query, status: 0, at: clock.now() };
        requestLog.push(entry);
        const send = async (r: RouteResult) => {
            entry.status = r.status ?? 200;
            if (entry.status === 401 && options.authDelayMs) await new Promise((ok) => setTimeout(ok, options.authDelayMs));
            if (r.file) return sendFile(res, r.file);
            const envelope: Record<string, unknown> = { data: r.data ?? null };
            if (r.total !== undefined) envelope.total = r.total;
            if (r.errors) envelope.errors = r.errors;
            res.writeHead(entry.status, r.reason ?? 'OK', { 'Content-Type': 'application/json;charset=UTF-8' });
            res.end(JSON.stringify(envelope));
        };
        const fault = faultList.find((f) => f.left > 0 && (typeof f.match === 'string' ? f.match === path : f.match.test(path)));
        if (fault) {
            fault.left--;
            if (fault.hang) {
                hanging.add(res);
                return;
            }
            return send({ status: fault.status ?? 500, reason: fault.reason ?? 'Internal Server Error' });
        }
        const found = matchRoute(routes, req.method ?? 'GET', path);
        if (!found) return send({ status: 501, reason: `Method '${req.method} ${path}' not implemented` });
        const { route, params } = found;
        let caller: Caller | undefined;
        const auth = access.authenticate(req.headers, faults.rejectTokens);
        if ('caller' in auth) caller = auth.caller;
        else if (!route.anonymous) return send('none' in auth ? { status: 401, reason: 'No ticket' } : auth);
        if (route.proxied) {
            const node = findNode(state, params.node ?? '');
            if (!node) return send({ status: 500, reason: `hostname lookup '${params.node}' failed - failed to get address info for: ${params.node}: Name or service not known` });
            if (!nodeOnline(state, node)) return send({ status: 595, reason: 'No route to host' });
        }
        return send(route.handle(state, params, query, caller, body));
    };

    const server: Server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
        handle(req, res).catch((err: unknown) => {
            res.writeHead(500, String(err).replace(/[\r\n]/g, ' ').slice(0, 200));
            res.end('{"data":null}');
        });
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const ids = jobIds(spec.jobs);

    return {
        url: `https://127.0.0.1:${port}`,
        fingerprint: certs.fingerprint,
        ca: certs.ca,
        token: tokenString(tokens[0] ?? DEFAULT_TOKEN),
        clock,
        world: generated.world,
        faults,
        requestLog,
        truth: () => computeTruth(generated.world, clock.now(), state.offline),
        setNodeOffline: (node, offline) => void (offline ? state.offline.add(node) : state.offline.delete(node)),
        addRun: (o) => generated.addRun(o),
        jobId: (specId) => {
            const job = spec.jobs.find((j) => j.id === specId);
            return (job && ids.get(job)) ?? specId;
        },
        issueTicket: (user, privs, at) => access.issueTicket(user, privs, at),
        stop: async () => {
            for (const res of hanging) res.destroy();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of routes) {
        if (route.method !== method) continue;
        const m = route.pattern.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        route.keys.forEach((k, i) => {
            params[k] = decodeURIComponent(m[i + 1] as string);
        });
        return { route, params };
    }
    return undefined;
}

/** Like pve-manager's task log download: gzip (whatever the client accepts) above 1024 bytes. */
function sendFile(res: ServerResponse, file: { text: string; name: string }): void {
    const body = Buffer.from(file.text, 'utf8');
    const headers: Record<string, string> = { 'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="${file.name}"` };
    if (body.length > 1024) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, 'OK', headers);
    res.end(body.length > 1024 ? gzipSync(body) : body);
}

function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        let text = '';
        req.on('data', (c: Buffer) => {
            text += c.toString('utf8');
        });
        req.on('end', () => resolve(text));
        req.on('error', reject);
    });
}
