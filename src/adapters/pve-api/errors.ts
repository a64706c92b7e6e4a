// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Typed errors of the PVE API transport. Callers switch on `kind`; the message is written for an
 * admin reading a report, so it names the request and says what to do.
 */

export type PveApiErrorKind =
    /** 401: the API token was rejected. */
    | 'auth'
    /** 403: the token lacks a privilege (PVE names the path and privilege). */
    | 'permission'
    /** 595/596: pveproxy could not reach the node the request is proxied to. */
    | 'node-offline'
    /** Any other HTTP error status. */
    | 'http'
    | 'timeout'
    /** Connection refused/reset, DNS failure, … */
    | 'network'
    /** Certificate did not verify or the pinned fingerprint did not match. */
    | 'tls'
    /** The body was not the `{data: …}` JSON PVE sends. */
    | 'protocol';

export interface PveApiErrorInit {
    kind: PveApiErrorKind;
    method: string;
    path: string;
    status?: number;
    /** PVE's own text (HTTP reason phrase or body message). */
    pveMessage?: string;
    /** For 403: what PVE said is missing. */
    permissionPath?: string;
    privilege?: string;
    cause?: unknown;
}

export class PveApiError extends Error {
    readonly kind: PveApiErrorKind;
    readonly method: string;
    readonly path: string;
    readonly status?: number;
    readonly pveMessage?: string;
    readonly permissionPath?: string;
    readonly privilege?: string;

    constructor(init: PveApiErrorInit, message: string) {
        super(message, init.cause === undefined ? undefined : { cause: init.cause });
        this.name = 'PveApiError';
        this.kind = init.kind;
        this.method = init.method;
        this.path = init.path;
        if (init.status !== undefined) this.status = init.status;
        if (init.pveMessage !== undefined) this.pveMessage = init.pveMessage;
        if (init.permissionPath !== undefined) this.permissionPath = init.permissionPath;
        if (init.privilege !== undefined) this.privilege = init.privilege;
    }

    /** Worth another attempt: server errors, timeouts, dropped connections. */
    get retryable(): boolean {
        if (this.kind === 'timeout' || this.kind === 'network') return true;
        // 595/596 mean the node is down; retrying within one cycle only delays the report.
        return this.kind === 'http' && this.status !== undefined && this.status >= 500;
    }
}

/** `Permission check failed (/nodes/pve1, Sys.Audit)` → path and privilege. */
export function parsePermissionMessage(text: string): { path: string; privilege: string } | undefined {
    const m = /Permission check failed \(([^,()]+),\s*([^()]+)\)/.exec(text);
    if (!m) return undefined;
    return { path: (m[1] as string).trim(), privilege: (m[2] as string).trim() };
}

/** Builds the error for an HTTP error status, with a message that says what went wrong. */
export function httpError(method: string, path: string, status: number, pveMessage: string): PveApiError {
    const req = `${method} ${path}`;
    const said = pveMessage ? `: ${pveMessage}` : '';
    if (status === 401) {
        return new PveApiError(
            { kind: 'auth', method, path, status, pveMessage },
            `${req}: API token rejected (401${said}). The token id or secret is wrong, or the token or its user is disabled or expired`,
        );
    }
    if (status === 403) {
        const perm = parsePermissionMessage(pveMessage);
        const init: PveApiErrorInit = { kind: 'permission', method, path, status, pveMessage };
        if (perm) {
            init.permissionPath = perm.path;
            init.privilege = perm.privilege;
            return new PveApiError(
                init,
                `${req}: permission denied: the token lacks ${perm.privilege} on ${perm.path} (403${said}). Grant it, e.g. the PVEAuditor role on /`,
            );
        }
        return new PveApiError(init, `${req}: permission denied (403${said})`);
    }
    if (status === 595 || status === 596) {
        return new PveApiError(
            { kind: 'node-offline', method, path, status, pveMessage },
            `${req}: node not reachable from the API node (${status}${said}); it is offline or there is no route to it`,
        );
    }
    return new PveApiError({ kind: 'http', method, path, status, pveMessage }, `${req}: HTTP ${status}${said}`);
}
