// SPDX-License-Identifier: AGPL-3.0-or-later
/** API-token authentication and ACL checks as pveproxy does them (pve-platform.md §2.6). */

import type { SimTokenSpec } from './spec.ts';

/** Reads `PVEAPIToken=user@realm!id=secret` (or with a space) into id and secret. */
export function parseTokenHeader(header: string | undefined): { id: string; secret: string } | undefined {
    if (!header) return undefined;
    const m = /(?:^|;\s*)PVEAPIToken[= ]([^;]+)/.exec(header);
    if (!m) return undefined;
    const value = decodeURIComponent((m[1] as string).trim());
    // PVE splits at the last '='.
    const eq = value.lastIndexOf('=');
    if (eq <= 0) return undefined;
    return { id: value.slice(0, eq), secret: value.slice(eq + 1) };
}

export function findToken(tokens: readonly SimTokenSpec[], header: string | undefined): SimTokenSpec | undefined {
    const t = parseTokenHeader(header);
    if (!t) return undefined;
    return tokens.find((x) => x.id === t.id && x.secret === t.secret);
}

/** Whether `acl` grants `priv` on `path` (ACLs propagate to everything below their path). */
export function hasPriv(acl: SimTokenSpec['acl'], path: string, priv: string): boolean {
    return acl.some((e) => (e.path === '/' || path === e.path || path.startsWith(`${e.path}/`)) && e.privs.includes(priv));
}

/** PVE's 403 reason phrase. */
export function permissionMessage(path: string, priv: string): string {
    return `Permission check failed (${path}, ${priv})`;
}

/** The user part of a token id (`monitor@pve!health` → `monitor@pve`). */
export function tokenUser(id: string): string {
    return id.split('!')[0] as string;
}
