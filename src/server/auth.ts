// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Who is calling: the credential from the `Authorization` header (never from a cookie, so a page
 * on another site cannot make the browser act for the user), and PVE's verdict on it through the
 * AccessChecker port, cached briefly. The cache keys are SHA-256 digests: no secret is kept.
 */

import { createHash } from 'node:crypto';
import type { AccessChecker, AccessGrant, Credential } from '../ports.ts';

/**
 * The credential in an `Authorization` header (pve-platform.md §2.1): `PVEAuthCookie` before
 * `PVEAPIToken`; the name is followed by `=` or a space, the value runs to the next `;` and is
 * URI-unescaped. Undefined when the header holds neither.
 */
export function credentialFromHeader(header: string | undefined): Credential | undefined {
    if (!header) return undefined;
    const ticket = headerValue(header, 'PVEAuthCookie');
    if (ticket !== undefined) return { kind: 'ticket', ticket };
    const token = headerValue(header, 'PVEAPIToken');
    if (token !== undefined) return { kind: 'token', token };
    return undefined;
}

function headerValue(header: string, name: string): string | undefined {
    const m = new RegExp(`(?:^|;)\\s*${name}[= ]([^;]*)`).exec(header);
    if (!m) return undefined;
    const raw = (m[1] as string).trim();
    try {
        return decodeURIComponent(raw);
    } catch {
        // Not valid escaping: passed on as it is, for PVE to refuse.
        return raw;
    }
}

export interface CachedAccessOptions {
    access: AccessChecker;
    /** Epoch seconds. */
    now: () => number;
    /** How long PVE's yes is trusted. Default 60 s. */
    ttlSeconds?: number;
    /** How long PVE's no (401) is remembered, to spare PVE a flood of bad tries. Default 2 s. */
    failureTtlSeconds?: number;
    /** Oldest entries are dropped beyond this. Default 1000. */
    maxEntries?: number;
}

interface Entry {
    expires: number;
    grant?: AccessGrant;
    refusal?: unknown;
}

/** A ticket stops being valid 2 h after its creation time (the `:HEX8` before `::`); never cache past that. */
const TICKET_LIFETIME = 7200;

function ticketExpiry(ticket: string): number | undefined {
    const m = /^PVE:\S*:([0-9A-F]{8})::/.exec(ticket);
    return m ? Number.parseInt(m[1] as string, 16) + TICKET_LIFETIME : undefined;
}

function isRefusal(err: unknown): boolean {
    return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 401;
}

/**
 * Wraps an AccessChecker: positive answers are reused for `ttlSeconds` (but not past a ticket's
 * own expiry), refusals for `failureTtlSeconds`, other failures (PVE unreachable) not at all;
 * concurrent checks of one credential share one request to PVE.
 */
export function createCachedAccess(o: CachedAccessOptions): AccessChecker & { size(): number } {
    const ttl = o.ttlSeconds ?? 60;
    const failureTtl = o.failureTtlSeconds ?? 2;
    const max = o.maxEntries ?? 1000;
    const entries = new Map<string, Entry>();
    const inFlight = new Map<string, Promise<AccessGrant>>();

    const remember = (key: string, entry: Entry) => {
        entries.delete(key);
        while (entries.size >= max) {
            const oldest = entries.keys().next().value;
            if (oldest === undefined) break;
            entries.delete(oldest);
        }
        entries.set(key, entry);
    };

    return {
        size: () => entries.size,
        check(credential) {
            const secret = credential.kind === 'ticket' ? credential.ticket : credential.token;
            const key = createHash('sha256').update(`${credential.kind}\0${secret}`).digest('hex');
            const now = o.now();
            const hit = entries.get(key);
            if (hit && hit.expires > now) return hit.grant ? Promise.resolve(hit.grant) : Promise.reject(hit.refusal);
            if (hit) entries.delete(key);
            const pending = inFlight.get(key);
            if (pending) return pending;
            const started = o.access.check(credential).then(
                (grant) => {
                    let expires = o.now() + ttl;
                    if (credential.kind === 'ticket') expires = Math.min(expires, ticketExpiry(credential.ticket) ?? expires);
                    if (expires > o.now()) remember(key, { expires, grant });
                    return grant;
                },
                (err: unknown) => {
                    if (isRefusal(err)) remember(key, { expires: o.now() + failureTtl, refusal: err });
                    throw err;
                },
            );
            const tracked = started.finally(() => inFlight.delete(key));
            inFlight.set(key, tracked);
            return tracked;
        },
    };
}
