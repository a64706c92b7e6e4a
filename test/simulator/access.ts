// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Users, tickets and credential checks of the simulator, as pveproxy does them (pve-platform.md
 * §2.1–§2.4, §2.6): tickets `PVE:<user>:<HEX8>::<signature>` valid for -300 < age < 7200 s on the
 * simulator clock, a forged signature refused, the cookie tried before the `Authorization` header.
 * The signature is an HMAC with a per-simulator secret (PVE uses RSA; only PVE itself ever checks
 * it, so the algorithm is not part of the contract).
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { findToken } from './auth.ts';
import type { SimClock } from './clock.ts';
import { hex8 } from './local-time.ts';
import { AUDIT_PRIVS, type SimTokenSpec } from './spec.ts';
import type { Caller } from './state.ts';

export interface SimUserSpec {
    /** `user@realm`. */
    id: string;
    acl: Array<{ path: string; privs: string[] }>;
    enabled?: boolean;
}

/** What the Administrator role grants (enough for every check the daemon makes). */
export const ADMIN_PRIVS = [
    ...AUDIT_PRIVS, 'Sys.Modify', 'Sys.Console', 'Sys.PowerMgmt', 'Sys.Syslog', 'Sys.Incoming', 'Permissions.Modify',
    'VM.Allocate', 'VM.Backup', 'VM.Config.Options', 'Datastore.Allocate', 'Datastore.AllocateSpace', 'User.Modify',
];

/** root@pam may do everything; an auditor may read; nobody has no privileges at all. */
export const SIM_USERS: readonly SimUserSpec[] = [
    { id: 'root@pam', acl: [{ path: '/', privs: ADMIN_PRIVS }] },
    { id: 'auditor@pve', acl: [{ path: '/', privs: AUDIT_PRIVS }] },
    { id: 'nobody@pve', acl: [] },
];

/** A token that may change things (`Sys.Modify` on `/`). */
export const ADMIN_TOKEN: SimTokenSpec = {
    id: 'root@pam!admin',
    secret: '7a1e0c6d-2b3f-4a5e-8c9d-0e1f2a3b4c5d',
    acl: [{ path: '/', privs: ADMIN_PRIVS }],
};

/** A read-only token (`Sys.Audit` on `/`). */
export const AUDITOR_TOKEN: SimTokenSpec = {
    id: 'auditor@pve!ro',
    secret: '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a',
    acl: [{ path: '/', privs: AUDIT_PRIVS }],
};

const LIFETIME = 7200;
const SKEW = 300;

export type AuthResult = { caller: Caller } | { status: 401; reason: string } | { none: true };

export interface SimAccess {
    /**
     * A ticket for `user`, created at `at` (default: the simulator's now). With `privs`, the user
     * is created or given exactly those privileges on `/`.
     */
    issueTicket(user: string, privs?: string[], at?: number): string;
    /** The user a ticket belongs to, or undefined when it is forged, expired or the user is unknown. */
    ticketUser(ticket: string): SimUserSpec | undefined;
    /** The caller of a request from its `Cookie` and `Authorization` headers. */
    authenticate(headers: { cookie?: string | undefined; authorization?: string | undefined }, rejectTokens: boolean): AuthResult;
}

export function createSimAccess(clock: SimClock, tokens: readonly SimTokenSpec[]): SimAccess {
    const secret = randomBytes(32);
    const users = new Map(SIM_USERS.map((u) => [u.id, { ...u }]));
    const sign = (part: string) => createHmac('sha256', secret).update(part).digest('base64');

    const ticketUser = (ticket: string): SimUserSpec | undefined => {
        const m = /^(PVE:\S+)::([^:\s]+)$/.exec(ticket);
        if (!m) return undefined;
        const [, signed = '', signature = ''] = m;
        const want = Buffer.from(sign(signed));
        const got = Buffer.from(signature);
        if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
        const parts = /^PVE:(?:(\S+):)?([A-Z0-9]{8})$/.exec(signed);
        if (!parts) return undefined;
        const age = clock.now() - Number.parseInt(parts[2] as string, 16);
        if (!(age > -SKEW && age < LIFETIME)) return undefined;
        const user = users.get((parts[1] ?? '').replace(/%3A/gi, ':'));
        return user && user.enabled !== false ? user : undefined;
    };

    return {
        issueTicket(user, privs, at = clock.now()) {
            if (privs) users.set(user, { id: user, acl: [{ path: '/', privs }] });
            const signed = `PVE:${user.replace(/:/g, '%3A')}:${hex8(at)}`;
            return `${signed}::${sign(signed)}`;
        },
        ticketUser,
        authenticate(headers, rejectTokens) {
            const ticket = credentialValue(headers.cookie, 'PVEAuthCookie') ?? credentialValue(headers.authorization, 'PVEAuthCookie');
            if (ticket !== undefined) {
                const user = ticketUser(ticket);
                if (!user) return { status: 401, reason: 'authentication failure' };
                return { caller: { token: { id: user.id, secret: '', acl: user.acl }, ticket: true } };
            }
            if (credentialValue(headers.authorization, 'PVEAPIToken') !== undefined) {
                const token = rejectTokens ? undefined : findToken(tokens, headers.authorization);
                return token ? { caller: { token } } : { status: 401, reason: 'authentication failure' };
            }
            return { none: true };
        },
    };
}

/** `name=value` or `name value` inside a header, up to the next `;`, URI-unescaped (§2.1). */
export function credentialValue(header: string | undefined, name: string): string | undefined {
    if (!header) return undefined;
    const m = new RegExp(`(?:^|;)\\s*${name}[= ]([^;]*)`).exec(header);
    if (!m) return undefined;
    try {
        return decodeURIComponent((m[1] as string).trim());
    } catch {
        return undefined;
    }
}
