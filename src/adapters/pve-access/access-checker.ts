// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * AccessChecker that lets PVE decide (pve-platform.md §2.7): one
 * `GET /api2/json/access/permissions?path=/` sent with the caller's own credential — the ticket
 * as the `PVEAuthCookie` cookie, or the token as `Authorization: PVEAPIToken=…`. PVE checks the
 * signature, age, user and token, and answers the privileges on `/`; we hold no key and decide
 * nothing ourselves. The caller's name comes from the ticket text or the token id, read only once
 * PVE accepted the credential.
 *
 *     const access = createPveAccessChecker({ baseUrl: 'https://127.0.0.1:8006', agent });
 *     const { user, privileges } = await access.check({ kind: 'ticket', ticket });
 */

import type { Agent } from 'node:https';
import { request } from 'node:https';
import type { AccessChecker, AccessGrant, Credential } from '../../ports.ts';
import { isTicketShaped, isTokenShaped, ticketUser, tokenId } from './credentials.ts';

export interface PveAccessCheckerOptions {
    /** The PVE API that verifies credentials (`--api-url`), e.g. `https://127.0.0.1:8006`. */
    baseUrl: string;
    /**
     * TLS trust towards PVE, built like the collector's (CA, pinned fingerprint or insecure).
     * Owned by the caller, who destroys it on shutdown.
     */
    agent: Agent;
    /** Per request. PVE answers refusals only after 3 s, so keep this well above. Default 10 s. */
    timeoutMs?: number;
}

/** `status` 401: PVE refused the credential; 503: PVE could not be asked or answered nonsense. */
export class AccessCheckError extends Error {
    constructor(
        readonly status: 401 | 503,
        message: string,
    ) {
        super(message);
        this.name = 'AccessCheckError';
    }
}

const MAX_BODY = 256 * 1024;

export function createPveAccessChecker(options: PveAccessCheckerOptions): AccessChecker {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:') throw new Error(`the PVE API URL must be https:, not '${options.baseUrl}'`);
    const url = new URL('/api2/json/access/permissions?path=%2F', base);
    const timeoutMs = options.timeoutMs ?? 10_000;

    return {
        async check(credential: Credential): Promise<AccessGrant> {
            let headers: Record<string, string>;
            let user: string | undefined;
            if (credential.kind === 'ticket') {
                if (!isTicketShaped(credential.ticket)) throw new AccessCheckError(401, 'not a PVE ticket');
                headers = { Cookie: `PVEAuthCookie=${encodeURIComponent(credential.ticket)}` };
                user = ticketUser(credential.ticket);
            } else {
                if (!isTokenShaped(credential.token)) throw new AccessCheckError(401, 'not a PVE API token (user@realm!tokenid=secret)');
                headers = { Authorization: `PVEAPIToken=${credential.token}` };
                user = tokenId(credential.token);
            }
            const data = await getJson(url, { agent: options.agent, headers, timeoutMs });
            if (user === undefined) throw new AccessCheckError(401, 'the ticket names no user');
            return { user, privileges: privilegesOnRoot(data) };
        },
    };
}

/** `{"/": {"Sys.Audit": 1, …}}` → the privileges granted (PVE writes 1 or 0 for propagation, never false). */
function privilegesOnRoot(data: unknown): Set<string> {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new AccessCheckError(503, 'PVE answered the permission check with something that is not a permission map');
    }
    const root = (data as Record<string, unknown>)['/'];
    const out = new Set<string>();
    if (typeof root !== 'object' || root === null) return out;
    for (const [priv, value] of Object.entries(root)) {
        if (value !== null && value !== false && value !== undefined) out.add(priv);
    }
    return out;
}

interface GetOptions {
    agent: Agent;
    headers: Record<string, string>;
    timeoutMs: number;
}

function getJson(url: URL, o: GetOptions): Promise<unknown> {
    const where = `${url.origin}${url.pathname}`;
    return new Promise((resolve, reject) => {
        const req = request(url, { method: 'GET', agent: o.agent, headers: { Accept: 'application/json', ...o.headers } }, (res) => {
            const status = res.statusCode ?? 0;
            if (status === 401) {
                res.resume();
                reject(new AccessCheckError(401, `PVE refused the credential (${res.statusMessage ?? '401'})`));
                return;
            }
            if (status !== 200) {
                res.resume();
                reject(new AccessCheckError(503, `PVE answered ${status} ${res.statusMessage ?? ''} to ${where}`.trim()));
                return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
                size += c.length;
                if (size > MAX_BODY) {
                    req.destroy(new AccessCheckError(503, `PVE's answer to ${where} is larger than ${MAX_BODY} bytes`));
                    return;
                }
                chunks.push(c);
            });
            res.on('end', () => {
                try {
                    resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: unknown }).data);
                } catch {
                    reject(new AccessCheckError(503, `PVE's answer to ${where} is not JSON`));
                }
            });
            res.on('error', (err) => reject(asUnreachable(err, where)));
        });
        req.setTimeout(o.timeoutMs, () => req.destroy(new AccessCheckError(503, `PVE did not answer ${where} within ${o.timeoutMs} ms`)));
        req.on('error', (err) => reject(asUnreachable(err, where)));
        req.end();
    });
}

function asUnreachable(err: Error, where: string): AccessCheckError {
    return err instanceof AccessCheckError ? err : new AccessCheckError(503, `PVE cannot be reached at ${where}: ${err.message}`);
}
