// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's HTTPS API (src/contract/http-api.ts) on node:https, or node:http on loopback only.
 * Every request is authenticated by PVE through the AccessChecker port and authorised by the
 * privileges PVE reports on `/`; everything served comes from the DaemonApi.
 *
 *     const server = await createApiServer({ api, access, listen: { host: '::', port: 8009 },
 *         tls: { cert, key }, allowedOrigins: ['https://pve1:8006'], metrics: { mode: 'token' }, logger });
 *     …
 *     await server.close();
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '../app/daemon-api.ts';
import type { DaemonApi } from '../app/daemon-api.ts';
import type { AccessChecker, AccessGrant, Logger } from '../ports.ts';
import { credentialFromHeader, createCachedAccess } from './auth.ts';
import { ALLOWED_METHODS, answerPreflight, applyCors, normalizeOrigins } from './cors.ts';
import { HttpError, readJson, sendJson, sendReply, setBaseHeaders } from './http-io.ts';
import { isLoopbackAddress } from './loopback.ts';
import { type Route, apiRoutes, matchRoute } from './routes.ts';

export interface ApiServerOptions {
    api: DaemonApi;
    access: AccessChecker;
    listen: { host: string; port: number };
    /** PEM text of the node certificate and key. Absent: plain HTTP, allowed on a loopback address only. */
    tls?: { cert: string; key: string } | undefined;
    /** Origins of the PVE GUI (`https://host:8006`) that browsers may call from. */
    allowedOrigins: readonly string[];
    /** `token`: `/metrics` needs a credential with Sys.Audit; `loopback`: only peers on this host, no credential. */
    metrics: { mode: 'token' | 'loopback' };
    logger: Logger;
    /** Epoch seconds (fractions allowed); default the system clock. */
    now?: () => number;
    /** Largest accepted request body. Default 64 KiB. */
    maxBodyBytes?: number;
    /** Tuning of the credential cache (tests). */
    cache?: { ttlSeconds?: number; failureTtlSeconds?: number; maxEntries?: number };
}

export interface ApiServer {
    /** Base URL, e.g. `https://127.0.0.1:8009`. */
    url: string;
    close(): Promise<void>;
}

const PRIVILEGE = { read: 'Sys.Audit', modify: 'Sys.Modify' } as const;

export async function createApiServer(o: ApiServerOptions): Promise<ApiServer> {
    const { host, port } = o.listen;
    if (!o.tls && !isLoopbackAddress(host)) {
        throw new Error(
            `plain HTTP is refused on '${host}': without TLS the API may only listen on a loopback address (127.0.0.0/8 or ::1); give a certificate or listen on 127.0.0.1`,
        );
    }
    const origins = normalizeOrigins(o.allowedOrigins);
    const now = o.now ?? (() => Date.now() / 1000);
    const access = createCachedAccess({ access: o.access, now, ...o.cache });
    const routes = apiRoutes(o.api);
    const deps: HandlerDeps = { o, origins, access, routes, maxBody: o.maxBodyBytes ?? 64 * 1024 };

    const listener = (req: IncomingMessage, res: ServerResponse) => void handle(deps, req, res);
    const server = o.tls
        ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, listener)
        : createHttpServer(listener);
    server.headersTimeout = 20_000;
    server.requestTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
        const fail = (err: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port}: ${err.code ?? ''} ${err.message}`.trim()));
        server.once('error', fail);
        server.listen(port, host, () => {
            server.off('error', fail);
            resolve();
        });
    });
    server.on('error', (err) => o.logger.error(`API server error: ${err.message}`));
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
    return {
        url: `${o.tls ? 'https' : 'http'}://${shownHost}:${addr.port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

interface HandlerDeps {
    o: ApiServerOptions;
    origins: ReadonlySet<string>;
    access: AccessChecker;
    routes: Route[];
    maxBody: number;
}

async function handle(d: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    let user = '';
    try {
        setBaseHeaders(res);
        const verdict = applyCors(req.headers.origin, d.origins, res);
        if (verdict === 'refused') throw new HttpError(403, `origin '${String(req.headers.origin).slice(0, 100)}' is not allowed`);
        if (method === 'OPTIONS') {
            if (verdict === 'allowed') {
                answerPreflight(res);
                return;
            }
            res.writeHead(204, { Allow: ALLOWED_METHODS });
            res.end();
            return;
        }
        const found = matchRoute(d.routes, method, pathSegments(rawPath));
        if (!found) throw new HttpError(404, `no such endpoint: ${rawPath.slice(0, 200)}`);
        if ('allowed' in found) throw new HttpError(405, `${method} is not allowed here`, { Allow: found.allowed.join(', ') });
        const grant = await authorize(d, req, found.route);
        user = grant.user;
        const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
        const ctx = { params: found.params, query, user: grant.user, privileges: grant.privileges, body: () => readJson(req, d.maxBody) };
        const reply = await found.route.handle(ctx);
        sendReply(res, reply, (err) => d.o.logger.warn(`download of ${rawPath} broke off: ${err.message}`));
    } catch (err) {
        sendError(d.o.logger, res, err);
    } finally {
        logAccess(d.o.logger, method, rawPath, res.statusCode, user, performance.now() - started);
    }
}

/** Decoded path segments without the leading empty one; 400 on broken escapes. */
function pathSegments(rawPath: string): string[] {
    if (!rawPath.startsWith('/')) throw new HttpError(400, 'the request target must be a path');
    return rawPath
        .slice(1)
        .split('/')
        .map((s) => {
            try {
                return decodeURIComponent(s);
            } catch {
                throw new HttpError(400, 'the request path has a broken %-escape');
            }
        });
}

const ANONYMOUS: AccessGrant = { user: '', privileges: new Set() };

/** The caller's grant for a route, or 401 (no or refused credential), 403 (missing privilege), 503 (PVE unreachable). */
async function authorize(d: HandlerDeps, req: IncomingMessage, route: Route): Promise<AccessGrant> {
    if (route.access === 'metrics' && d.o.metrics.mode === 'loopback') {
        if (isLoopbackAddress(req.socket.remoteAddress)) return ANONYMOUS;
        throw new HttpError(403, 'metrics are served only to clients on this host (metrics mode loopback)');
    }
    const credential = credentialFromHeader(req.headers.authorization);
    if (!credential) {
        const why = /PVEAuthCookie=/.test(req.headers.cookie ?? '') ? ' (cookies are not accepted: send the ticket in the Authorization header)' : '';
        throw new HttpError(401, `authentication required: Authorization: PVEAuthCookie=<ticket> or PVEAPIToken=<user@realm!id=secret>${why}`);
    }
    let grant: AccessGrant;
    try {
        grant = await d.access.check(credential);
    } catch (err) {
        if ((err as { status?: unknown }).status === 401) throw new HttpError(401, 'authentication failed: PVE did not accept the credential');
        d.o.logger.warn(`cannot verify a credential with PVE: ${(err as Error).message}`);
        throw new HttpError(503, 'PVE cannot verify the credential right now; try again later');
    }
    const need = route.access === 'metrics' ? 'read' : route.access;
    if (need !== 'login' && !grant.privileges.has(PRIVILEGE[need])) {
        throw new HttpError(403, `permission denied: ${grant.user} needs ${PRIVILEGE[need]} on /`);
    }
    return grant;
}

function sendError(logger: Logger, res: ServerResponse, err: unknown): void {
    let status = 500;
    let message = 'internal error';
    let headers: Record<string, string> = {};
    if (err instanceof HttpError) {
        status = err.status;
        message = err.message;
        headers = err.headers;
    } else if (err instanceof ServiceError) {
        status = err.status;
        message = err.message;
    } else {
        logger.error(`API request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.headersSent) {
        res.destroy();
        return;
    }
    sendJson(res, status, { error: message }, headers);
}

/** Method, path (no query), status, user, duration; never a credential. Successful reads only at debug level (the GUI polls). */
function logAccess(logger: Logger, method: string, path: string, status: number, user: string, ms: number): void {
    const shownPath = path.replace(/[^\x21-\x7e]/g, '?').slice(0, 200);
    const fields = { method, path: shownPath, status, user: user || '-', ms: Math.round(ms) };
    const line = `${method} ${shownPath} ${status} ${fields.user} ${fields.ms}ms`;
    if (status >= 500) logger.warn(line, fields);
    else if (status < 400 && method === 'GET') logger.debug(line, fields);
    else logger.info(line, fields);
}
