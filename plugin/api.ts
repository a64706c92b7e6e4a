// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Typed calls to the pve-backup-health daemon (src/contract/http-api.ts) with the user's PVE
 * ticket in `Authorization: PVEAuthCookie=<ticket>`. Failures become an ApiError whose `kind` says
 * what the user must do: accept the certificate / start the service / open the firewall
 * (`unreachable`), log in again (`unauthorized`), get Sys.Audit (`forbidden`).
 */

import { API_BASE, DEFAULT_PORT, type ErrorResponse } from '../src/contract/http-api.ts';

export type FailureKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'bad-request' | 'conflict' | 'server' | 'invalid';

export class ApiError extends Error {
    constructor(
        readonly kind: FailureKind,
        message: string,
        readonly url: string,
        readonly status?: number,
    ) {
        super(message);
        this.name = 'ApiError';
    }
}

export interface DaemonClient {
    /** Base URL of the daemon, e.g. `https://pve1.example.com:8009`. */
    readonly baseUrl: string;
    get<T>(path: string): Promise<T>;
    post<T>(path: string, body?: unknown): Promise<T>;
    put<T>(path: string, body: unknown): Promise<T>;
    blob(path: string): Promise<Blob>;
}

export const URL_STORAGE_KEY = 'pve-backup-health-url';

interface UrlSources {
    location: { protocol: string; hostname: string };
    storage?: { getItem(key: string): string | null } | undefined;
    override?: string | undefined;
}

/**
 * The daemon's base URL: `window.PVE_BACKUP_HEALTH_URL` (set before the plugin loads), else
 * `localStorage['pve-backup-health-url']`, else `https://<same host>:8009`.
 */
export function resolveBaseUrl(src: UrlSources): string {
    let stored: string | null = null;
    try {
        stored = src.storage?.getItem(URL_STORAGE_KEY) ?? null;
    } catch {
        stored = null;
    }
    const chosen = [src.override, stored].find((u): u is string => typeof u === 'string' && /^https?:\/\/[^\s/]+/.test(u.trim()));
    if (chosen) return chosen.trim().replace(/\/+$/, '');
    const host = src.location.hostname.includes(':') && !src.location.hostname.startsWith('[') ? `[${src.location.hostname}]` : src.location.hostname;
    return `https://${host}:${DEFAULT_PORT}`;
}

/** The PVE ticket from `document.cookie` (the GUI stores it URI-escaped, not HttpOnly). */
export function readTicket(cookie: string, name = 'PVEAuthCookie'): string | undefined {
    for (const part of cookie.split(';')) {
        const eq = part.indexOf('=');
        if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
        const raw = part.slice(eq + 1).trim();
        try {
            return decodeURIComponent(raw) || undefined;
        } catch {
            return raw || undefined;
        }
    }
    return undefined;
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientEnv {
    fetch: FetchLike;
    baseUrl: string;
    ticket: () => string | undefined;
    timeoutMs?: number;
}

function kindOf(status: number): FailureKind {
    if (status === 401) return 'unauthorized';
    if (status === 403) return 'forbidden';
    if (status === 404) return 'not-found';
    if (status === 400) return 'bad-request';
    if (status === 409) return 'conflict';
    return 'server';
}

export function createClient(env: ClientEnv): DaemonClient {
    const timeout = env.timeoutMs ?? 30_000;

    async function send(method: string, path: string, body?: unknown): Promise<Response> {
        const url = `${env.baseUrl}${API_BASE}${path}`;
        const headers: Record<string, string> = {};
        const ticket = env.ticket();
        if (ticket) headers.Authorization = `PVEAuthCookie=${ticket}`;
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timeout);
        let res: Response;
        try {
            const init: RequestInit = { method, headers, credentials: 'omit', signal: abort.signal };
            // Never a cached report (Node's RequestInit type lacks `cache`, the browser's has it).
            (init as { cache?: string }).cache = 'no-store';
            if (body !== undefined) init.body = JSON.stringify(body);
            res = await env.fetch(url, init);
        } catch (e) {
            // The browser hides why (refused, untrusted certificate, firewall, CORS): all "unreachable".
            throw new ApiError('unreachable', e instanceof Error ? e.message : String(e), url);
        } finally {
            clearTimeout(timer);
        }
        if (!res.ok) {
            let message = `${res.status} ${res.statusText}`;
            try {
                const err = (await res.json()) as Partial<ErrorResponse>;
                if (typeof err.error === 'string' && err.error) message = err.error;
            } catch {
                // keep the status line
            }
            throw new ApiError(kindOf(res.status), message, url, res.status);
        }
        return res;
    }

    async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
        const res = await send(method, path, body);
        try {
            return (await res.json()) as T;
        } catch {
            throw new ApiError('invalid', 'the service answered with something that is not JSON', res.url, res.status);
        }
    }

    return {
        baseUrl: env.baseUrl,
        get: (path) => json('GET', path),
        post: (path, body) => json('POST', path, body ?? {}),
        put: (path, body) => json('PUT', path, body),
        blob: async (path) => (await send('GET', path)).blob(),
    };
}
