// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * CORS for the PVE GUI: only the configured origins (e.g. `https://pve1.example.com:8006`) may
 * read answers from a browser. The GUI sends its ticket in the `Authorization` header, so the
 * preflight must allow that header.
 */

import type { ServerResponse } from 'node:http';

export const ALLOWED_METHODS = 'GET, PUT, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/** `https://Host:8006/` → `https://host:8006`; a clear error for anything that is not an origin. */
export function normalizeOrigins(origins: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const o of origins) {
        let url: URL;
        try {
            url = new URL(o);
        } catch {
            throw new Error(`allowed origin '${o}' is not a URL (expected e.g. https://pve1.example.com:8006)`);
        }
        if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) {
            throw new Error(`allowed origin '${o}' must be scheme://host[:port] only (e.g. https://pve1.example.com:8006)`);
        }
        out.add(url.origin);
    }
    return out;
}

export type OriginVerdict = 'none' | 'allowed' | 'refused';

/** Judges the request's `Origin` and, when allowed, sets the headers that let the browser read the answer. */
export function applyCors(origin: string | undefined, allowed: ReadonlySet<string>, res: ServerResponse): OriginVerdict {
    res.setHeader('Vary', 'Origin');
    if (origin === undefined) return 'none';
    if (!allowed.has(origin)) return 'refused';
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    return 'allowed';
}

/** Answers a preflight for an allowed origin (204); the caller refuses the others. */
export function answerPreflight(res: ServerResponse): void {
    res.writeHead(204, {
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
    });
    res.end();
}
