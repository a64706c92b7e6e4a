// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Errors of notification channels. Every message names the target (`gotify target 'phone': …`)
 * and passes through a redactor that removes the target's secrets, however a lower layer may
 * have echoed them (Telegram's bot token is part of the URL path).
 */

export class NotifyError extends Error {
    constructor(
        message: string,
        /** Worth another attempt (timeouts, 5xx, 429); false for bad credentials or requests. */
        readonly retryable: boolean,
        readonly status?: number,
    ) {
        super(message);
        this.name = 'NotifyError';
    }
}

export type Redact = (text: string) => string;

/** Replaces every secret (and its URL-encoded form) with `***`. */
export function redactor(secrets: readonly (string | undefined)[]): Redact {
    const values = new Set<string>();
    for (const s of secrets) {
        if (s === undefined || s.length < 3) continue;
        values.add(s);
        values.add(encodeURIComponent(s));
    }
    const sorted = [...values].sort((a, b) => b.length - a.length);
    return (text) => sorted.reduce((t, s) => t.split(s).join('***'), text);
}

/** `scheme://host:port` of a URL: never its path or query, which may carry tokens. */
export function originOf(url: string): string {
    try {
        return new URL(url).origin;
    } catch {
        return '(invalid URL)';
    }
}

/** Low-level error codes in words; `false` = retrying cannot help (certificate problems). */
const TRANSPORT: Record<string, [string, boolean]> = {
    ECONNREFUSED: ['connection refused', true],
    ECONNRESET: ['connection reset', true],
    ENOTFOUND: ['host not found', true],
    EAI_AGAIN: ['name resolution failed', true],
    EHOSTUNREACH: ['host unreachable', true],
    ENETUNREACH: ['network unreachable', true],
    ETIMEDOUT: ['connection timed out', true],
    EPIPE: ['connection closed', true],
    DEPTH_ZERO_SELF_SIGNED_CERT: ['self-signed certificate (set caFile, or insecure for a lab)', false],
    SELF_SIGNED_CERT_IN_CHAIN: ['certificate signed by an unknown CA (set caFile)', false],
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['certificate signed by an unknown CA (set caFile)', false],
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['certificate signed by an unknown CA (set caFile)', false],
    ERR_TLS_CERT_ALTNAME_INVALID: ['certificate does not match the host name', false],
    CERT_HAS_EXPIRED: ['certificate has expired', false],
};

/** A short, secret-free description of a low-level error (errno codes first). */
export function describeCause(e: unknown): { text: string; retryable: boolean } {
    if (e instanceof NotifyError) return { text: e.message, retryable: e.retryable };
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
    const message = e instanceof Error ? e.message : String(e);
    // Libraries wrap socket errors (nodemailer: ESOCKET "connect ECONNREFUSED …"): look inside too.
    const inner = Object.keys(TRANSPORT).find((k) => message.includes(k));
    const known = (code !== undefined ? TRANSPORT[code] : undefined) ?? (inner !== undefined ? TRANSPORT[inner] : undefined);
    if (known) return { text: known[0], retryable: known[1] };
    return { text: code !== undefined ? `${code}: ${message}` : message, retryable: true };
}

/** `10 s`, or `250 ms` below a second. */
export function formatTimeout(ms: number): string {
    return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** An excerpt of a response body for an error (receivers often say why), one line, bounded. */
export function bodyExcerpt(body: string): string {
    const one = body.replace(/\s+/g, ' ').trim();
    if (one === '') return '';
    return `: ${one.length > 200 ? `${one.slice(0, 197)}...` : one}`;
}
