// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `/access` endpoints of the simulator: the caller's permissions, and `POST /access/ticket` in
 * verify mode (pve-platform.md §2.7) with the signature, age and user checks of `access.ts`.
 */

import { hasPriv } from './auth.ts';
import { type Caller, type Query, type Route, type SimState, fail, ok, route } from './state.ts';

function covers(aclPath: string, path: string): boolean {
    return aclPath === '/' || path === aclPath || path.startsWith(`${aclPath}/`);
}

/** With `path`: the privileges on exactly that path (an empty object when none); without: per ACL path. */
function permissions(_s: SimState, _p: Query, q: Query, caller: Caller | undefined) {
    const out: Record<string, Record<string, number>> = {};
    const acl = caller?.token.acl ?? [];
    if (q.path !== undefined) out[q.path] = {};
    for (const e of acl) {
        if (q.path !== undefined && !covers(e.path, q.path)) continue;
        const key = q.path ?? e.path;
        out[key] = { ...out[key], ...Object.fromEntries(e.privs.map((x) => [x, 1])) };
    }
    return ok(out);
}

/**
 * Verify mode: `username`, `password` = the ticket, and optionally `path` + `privs`. Every failure
 * is a 401 `authentication failure`, as in PVE (wrong user, forged, expired, missing privilege).
 */
function ticket(s: SimState, _p: Query, _q: Query, caller: Caller | undefined, body: Query) {
    if (caller && !caller.ticket) return fail(403, "URI '/access/ticket' not available with API token, need proper ticket.");
    if (body.path !== undefined && !body.privs) return fail(400, 'Parameter verification failed.');
    const user = s.access.ticketUser(body.password ?? '');
    const privs = (body.privs ?? '').split(',').filter((x) => x);
    if (!user || user.id !== body.username) return fail(401, 'authentication failure');
    if (!privs.every((x) => hasPriv(user.acl, body.path ?? '/', x))) return fail(401, 'authentication failure');
    return ok({ username: user.id });
}

export function accessRoutes(): Route[] {
    return [route('GET', '/access/permissions', permissions), route('POST', '/access/ticket', ticket, { anonymous: true })];
}
