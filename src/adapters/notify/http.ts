// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One HTTP(S) request for a notification channel, with a hard timeout (default 10 s) and errors
 * that name the target, the receiver's origin and the HTTP status, never the URL path or query
 * (tokens live there) and never a secret.
 */

import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type RequestOptions, request as httpsRequest } from 'node:https';
import { NotifyError, type Redact, bodyExcerpt, describeCause, formatTimeout, originOf } from './errors.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE = 64 * 1024;

export interface HttpCall {
    url: string;
    method: 'POST' | 'PUT';
    headers: Record<string, string>;
    body: string | Buffer;
    timeoutMs?: number;
    signal?: AbortSignal;
    caFile?: string;
    insecure?: boolean;
}

export interface HttpReply {
    status: number;
    body: string;
}

export interface CallContext {
    /** `gotify target 'phone'`. */
    label: string;
    redact: Redact;
}

/** Sends the request; resolves with any 2xx reply, rejects with a NotifyError otherwise. */
export async function httpCall(call: HttpCall, ctx: CallContext): Promise<HttpReply> {
    const origin = originOf(call.url);
    let reply: HttpReply;
    try {
        reply = await send(call);
    } catch (e) {
        const cause = describeCause(e);
        throw new NotifyError(ctx.redact(`${ctx.label}: ${cause.text} (${origin})`), cause.retryable);
    }
    if (reply.status >= 200 && reply.status < 300) return reply;
    const retryable = reply.status >= 500 || reply.status === 408 || reply.status === 429;
    throw new NotifyError(ctx.redact(`${ctx.label}: HTTP ${reply.status} from ${origin}${bodyExcerpt(reply.body)}`), retryable, reply.status);
}

function send(call: HttpCall): Promise<HttpReply> {
    const url = new URL(call.url);
    const https = url.protocol === 'https:';
    const options: RequestOptions = {
        method: call.method,
        headers: { ...call.headers, 'Content-Length': String(Buffer.byteLength(call.body)) },
        // Hard deadline below; the socket timeout also catches a stalled connect.
        timeout: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    if (https) {
        if (call.caFile !== undefined) options.ca = readCa(call.caFile);
        if (call.insecure) options.rejectUnauthorized = false;
    }
    const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<HttpReply>((resolve, reject) => {
        const req = (https ? httpsRequest : httpRequest)(url, options, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
                if (size < MAX_RESPONSE) chunks.push(c);
                size += c.length;
            });
            res.on('end', () => {
                done();
                resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE) });
            });
            res.on('error', fail);
        });
        const deadline = setTimeout(() => fail(new NotifyError(`no answer within ${formatTimeout(timeoutMs)}`, true)), timeoutMs);
        const onAbort = () => fail(new NotifyError('cancelled', false));
        function done(): void {
            clearTimeout(deadline);
            call.signal?.removeEventListener('abort', onAbort);
        }
        function fail(e: unknown): void {
            done();
            req.destroy();
            reject(e);
        }
        req.on('timeout', () => fail(new NotifyError(`no answer within ${formatTimeout(timeoutMs)}`, true)));
        req.on('error', fail);
        if (call.signal?.aborted) return fail(new NotifyError('cancelled', false));
        call.signal?.addEventListener('abort', onAbort, { once: true });
        req.end(call.body);
    });
}

function readCa(path: string): string {
    try {
        return readFileSync(path, 'utf8');
    } catch (e) {
        const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'unreadable';
        throw new NotifyError(`cannot read CA file ${path} (${code})`, false);
    }
}

/** The optional request fields shared by every HTTP channel. */
export function tlsAndTimeout(
    t: { caFile?: string; insecure?: boolean },
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
): { caFile?: string; insecure?: boolean; timeoutMs?: number; signal?: AbortSignal } {
    const out: { caFile?: string; insecure?: boolean; timeoutMs?: number; signal?: AbortSignal } = {};
    if (t.caFile !== undefined) out.caFile = t.caFile;
    if (t.insecure) out.insecure = true;
    if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
    if (signal !== undefined) out.signal = signal;
    return out;
}
