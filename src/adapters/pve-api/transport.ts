// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * HTTPS transport to the PVE API (`/api2/json`): API-token authentication, TLS trust, timeouts,
 * bounded concurrency, retries with backoff, and typed errors. It knows nothing about endpoints;
 * `client.ts` builds on it.
 *
 *     const t = createTransport({ token: 'monitor@pve!health=…', tls: { fingerprint: 'AA:BB:…' } });
 *     const { data } = await t.request('GET', '/cluster/status');
 *     t.close();
 */

import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../../ports.ts';
import { PveApiError } from './errors.ts';
import { JsonItemSplitter } from './json-items.ts';
import { decodeFile, interpret, networkError, parseJson } from './responses.ts';
import { type TlsTrust, createAgent } from './tls.ts';

export interface TransportOptions {
    /** Default `https://127.0.0.1:8006`. */
    baseUrl?: string;
    /** `user@realm!tokenid=secret`. Omit only for unauthenticated calls (ticket verification). */
    token?: string;
    tls: TlsTrust;
    /** Per attempt. Default 30 s (PVE itself allows 120 s for PBS listings; see `slowTimeoutMs`). */
    timeoutMs?: number;
    /** Requests in flight at once. Default 8. */
    maxInFlight?: number;
    /** Extra attempts after the first for retryable failures. Default 3. */
    retries?: number;
    /** First backoff; doubles per attempt, with jitter. Default 500 ms. */
    backoffMs?: number;
    /** Injected for tests (fake timers); default setTimeout. */
    sleep?: (ms: number) => Promise<void>;
    /** Jitter source in [0,1); default Math.random. */
    random?: () => number;
    logger?: Logger;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
    query?: Query;
    /** Sent as `application/x-www-form-urlencoded` (POST/PUT). */
    form?: Query;
    /** Send no Authorization header (e.g. `POST /access/ticket` refuses API tokens). */
    anonymous?: boolean;
    timeoutMs?: number;
    /**
     * The answer is a file, not `{data: …}` (e.g. a task log with `download=1`): `data` is its
     * text, gunzipped when PVE sent it with `Content-Encoding: gzip`.
     */
    text?: boolean;
    /**
     * With `text`: the file's bytes (gunzipped) go to this function, synchronously when the
     * answer is complete, and `data` stays undefined. A 150 KB log buffer that travelled through
     * promises outlived several young-generation collections and was freed only by a full one:
     * ~100 MB of dead buffers at a time in a cold cycle. An answer in JSON still comes in `data`.
     */
    onFile?: (bytes: Buffer) => void;
    /**
     * For a long JSON list: called as each attempt starts, it returns where that attempt's
     * elements of `data` go, each parsed as soon as its bytes arrived (see json-items.ts); `data`
     * then comes back as an empty array. A retried attempt gets a fresh sink, so a list cut off
     * halfway is never counted twice.
     */
    eachItem?: () => (item: unknown) => void;
}

export interface ApiResponse {
    data: unknown;
    /** Top-level `total` of list endpoints, when PVE sent it. */
    total?: number;
    /** The answer's media type, for `text` requests (a server may answer JSON after all). */
    contentType?: string;
}

export interface TransportStats {
    /** HTTP requests sent, retries included. */
    requests: number;
    retries: number;
    failures: number;
}

export interface PveTransport {
    readonly baseUrl: string;
    request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: RequestOptions): Promise<ApiResponse>;
    stats(): TransportStats;
    /** Closes idle keep-alive sockets; in-flight requests finish. */
    close(): void;
}

const TOKEN_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+=\S+$/;

/** Validates `user@realm!tokenid=secret` (pve-platform.md §2.6) and returns the header value. */
export function tokenHeader(token: string): string {
    const t = token.trim().replace(/^PVEAPIToken[= ]/, '');
    if (!TOKEN_RE.test(t)) {
        throw new Error('API token must have the form user@realm!tokenid=secret (e.g. monitor@pve!health=3f1c…)');
    }
    return `PVEAPIToken=${t}`;
}

function encode(query: Query): string {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query)) {
        if (v === undefined) continue;
        const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
        parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
    }
    return parts.join('&');
}

/** A counting semaphore: at most `limit` holders. */
function semaphore(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
    let active = 0;
    const waiting: Array<() => void> = [];
    return async <T>(fn: () => Promise<T>): Promise<T> => {
        if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
        active++;
        try {
            return await fn();
        } finally {
            active--;
            waiting.shift()?.();
        }
    };
}

export function createTransport(options: TransportOptions): PveTransport {
    const baseUrl = (options.baseUrl ?? 'https://127.0.0.1:8006').replace(/\/+$/, '');
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:') throw new Error(`PVE API URL must use https: ${baseUrl}`);
    const auth = options.token === undefined ? undefined : tokenHeader(options.token);
    const maxInFlight = options.maxInFlight ?? 8;
    const agent = createAgent({ trust: options.tls, maxSockets: maxInFlight });
    const limit = semaphore(maxInFlight);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const retries = options.retries ?? 3;
    const backoffMs = options.backoffMs ?? 500;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const random = options.random ?? Math.random;
    const counters: TransportStats = { requests: 0, retries: 0, failures: 0 };
    const prefix = `${url.pathname.replace(/\/+$/, '')}/api2/json`;

    function once(method: string, path: string, opts: RequestOptions): Promise<ApiResponse> {
        const query = opts.query ? encode(opts.query) : '';
        const body = opts.form ? encode(opts.form) : undefined;
        const headers: Record<string, string> = { Accept: opts.text ? 'text/plain' : 'application/json' };
        if (auth && !opts.anonymous) headers.Authorization = auth;
        if (body !== undefined) {
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
            headers['Content-Length'] = String(Buffer.byteLength(body));
        }
        const ms = opts.timeoutMs ?? timeoutMs;
        counters.requests++;
        return new Promise<ApiResponse>((resolve, reject) => {
            const req = httpsRequest(
                {
                    agent,
                    host: url.hostname.replace(/^\[|\]$/g, ''),
                    port: url.port || 443,
                    method,
                    path: `${prefix}${path}${query ? `?${query}` : ''}`,
                    headers,
                },
                (res) => {
                    const status = res.statusCode ?? 0;
                    const ok = status >= 200 && status < 300;
                    const encoding = res.headers['content-encoding'];
                    if (opts.eachItem && ok && (encoding === undefined || encoding === 'identity')) {
                        streamItems(res, opts.eachItem());
                        return;
                    }
                    const chunks: Buffer[] = [];
                    res.on('data', (c: Buffer) => chunks.push(c));
                    res.on('error', (err) => reject(networkError(method, path, err)));
                    res.on('end', () => {
                        const raw = Buffer.concat(chunks);
                        if (opts.text && ok) {
                            const contentType = res.headers['content-type'] ?? '';
                            let bytes: Buffer;
                            try {
                                bytes = decodeFile(raw, encoding);
                            } catch (err) {
                                reject(new PveApiError({ kind: 'protocol', method, path, status }, `${method} ${path}: unreadable file answer (${(err as Error).message})`));
                                return;
                            }
                            // A JSON answer (a server that ignored `download`) always comes back in `data`.
                            if (opts.onFile && !/json/i.test(contentType)) {
                                opts.onFile(bytes);
                                resolve({ data: undefined, contentType });
                            } else resolve({ data: bytes.toString('utf8'), contentType });
                            return;
                        }
                        try {
                            const answer = interpret(method, path, status, res.statusMessage ?? '', parseJson(raw.toString('utf8')));
                            const sink = opts.eachItem?.();
                            if (sink && Array.isArray(answer.data)) {
                                for (const item of answer.data) sink(item);
                                answer.data = [];
                            }
                            resolve(answer);
                        } catch (err) {
                            reject(err);
                        }
                    });
                },
            );
            function streamItems(res: IncomingMessage, sink: (item: unknown) => void): void {
                const splitter = new JsonItemSplitter(sink);
                let failed = false;
                const fail = (err: unknown) => {
                    failed = true;
                    res.destroy();
                    reject(err instanceof PveApiError ? err : new PveApiError({ kind: 'protocol', method, path, status: res.statusCode ?? 0 }, `${method} ${path}: unreadable answer (${(err as Error).message})`));
                };
                res.on('data', (c: Buffer) => {
                    if (failed) return;
                    try {
                        splitter.write(c);
                    } catch (err) {
                        fail(err);
                    }
                });
                res.on('error', (err) => failed || reject(networkError(method, path, err)));
                res.on('end', () => {
                    if (failed) return;
                    try {
                        resolve(interpret(method, path, res.statusCode ?? 0, res.statusMessage ?? '', splitter.end()));
                    } catch (err) {
                        fail(err);
                    }
                });
            }
            const timer = setTimeout(() => {
                req.destroy(new PveApiError({ kind: 'timeout', method, path }, `${method} ${path}: no answer within ${ms} ms`));
            }, ms);
            req.on('close', () => clearTimeout(timer));
            req.on('error', (err) => reject(err instanceof PveApiError ? err : networkError(method, path, err)));
            req.end(body);
        });
    }

    async function withRetries(method: string, path: string, opts: RequestOptions): Promise<ApiResponse> {
        for (let attempt = 0; ; attempt++) {
            try {
                return await limit(() => once(method, path, opts));
            } catch (err) {
                const retryable = err instanceof PveApiError && err.retryable;
                if (!retryable || attempt >= retries) {
                    counters.failures++;
                    throw err;
                }
                counters.retries++;
                const delay = backoffMs * 2 ** attempt * (0.5 + random());
                options.logger?.debug('PVE API request failed, retrying', { path, attempt: attempt + 1, delayMs: Math.round(delay), error: (err as Error).message });
                await sleep(delay);
            }
        }
    }

    return {
        baseUrl,
        request: (method, path, opts = {}) => withRetries(method, path, opts),
        stats: () => ({ ...counters }),
        close: () => agent.destroy(),
    };
}
