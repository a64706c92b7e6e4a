// SPDX-License-Identifier: AGPL-3.0-or-later
/** How the transport reads PVE's answers: errors by kind, file bodies, the `{data: …}` envelope. */

import { gunzipSync } from 'node:zlib';
import { PveApiError, httpError } from './errors.ts';
import { FingerprintMismatchError } from './tls.ts';
import type { ApiResponse } from './transport.ts';

export function networkError(method: string, path: string, err: Error & { code?: string }): PveApiError {
    if (err instanceof FingerprintMismatchError) {
        return new PveApiError({ kind: 'tls', method, path, cause: err }, `${method} ${path}: ${err.message}; refusing to send the token`);
    }
    const code = err.code ?? '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME/.test(code)) {
        return new PveApiError(
            { kind: 'tls', method, path, cause: err },
            `${method} ${path}: TLS certificate not trusted (${code}: ${err.message}); give the CA file or pin the fingerprint`,
        );
    }
    return new PveApiError({ kind: 'network', method, path, cause: err }, `${method} ${path}: ${code ? `${code}: ` : ''}${err.message}`);
}

/**
 * A file answer's bytes, gunzipped (PVE gzips task logs above 1 KiB whatever the request's
 * Accept-Encoding). Synchronous: a log is ~150 KB, and the bytes must not outlive the handler.
 */
export function decodeFile(raw: Buffer, encoding: string | undefined): Buffer {
    if (encoding === undefined || encoding === '' || encoding === 'identity') return raw;
    if (encoding !== 'gzip') throw new Error(`content encoding '${encoding}' not supported`);
    return gunzipSync(raw);
}

/** A body as JSON, or undefined when it is empty or not JSON (an error page, a proxy's text). */
export function parseJson(text: string): unknown {
    if (text.length === 0) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Turns a response into data or a typed error. PVE puts error text in the reason phrase. */
export function interpret(method: string, path: string, status: number, reason: string, body: unknown): ApiResponse {
    if (status < 200 || status >= 300) {
        const bodyMessage = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : '';
        throw httpError(method, path, status, (reason || bodyMessage).trim());
    }
    if (!body || typeof body !== 'object' || !('data' in body)) {
        throw new PveApiError({ kind: 'protocol', method, path, status }, `${method} ${path}: answer is not PVE JSON ({data: …})`);
    }
    const envelope = body as { data: unknown; total?: unknown };
    const out: ApiResponse = { data: envelope.data };
    const total = Number(envelope.total);
    if (envelope.total !== undefined && envelope.total !== null && Number.isFinite(total)) out.total = total;
    return out;
}
