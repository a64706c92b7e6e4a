// SPDX-License-Identifier: AGPL-3.0-or-later
/** The string formats of the settings schema: each returns what is wrong, or null. */

import { tryParseCalendarEvent } from '../domain/schedule/parse.ts';
import type { FormatCheck } from './validate.ts';

function url(value: string, schemes: readonly string[]): string | null {
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)([^\s]*)$/i.exec(value);
    const wanted = schemes.map((s) => `${s}://`).join(' or ');
    if (!m || !schemes.includes((m[1] as string).toLowerCase())) return `expected an ${wanted} URL`;
    const authority = m[2] as string;
    if (authority.includes('@')) return 'credentials do not belong in a URL: put them in the secrets file';
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(authority)) return `expected an ${wanted} URL with a host name`;
    const port = /:(\d+)$/.exec(authority)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return 'port must be from 1 to 65535';
    return null;
}

function ipv4(value: string): boolean {
    const parts = value.split('.');
    return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function ipv6(value: string): boolean {
    if (!/^[0-9a-f:.]+$/i.test(value) || !value.includes(':') || value.includes(':::')) return false;
    if (/^:[^:]/.test(value) || /[^:]:$/.test(value)) return false;
    const double = value.split('::').length - 1;
    if (double > 1) return false;
    const groups = value.split(':').filter((g) => g !== '');
    const last = groups[groups.length - 1] ?? '';
    const tail = last.includes('.') ? (ipv4(last) ? 2 : -1) : 0;
    if (tail < 0) return false;
    const hex = tail > 0 ? groups.slice(0, -1) : groups;
    if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
    const count = hex.length + tail;
    return double === 1 ? count < 8 : count === 8;
}

const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

export const FORMATS: Record<string, FormatCheck> = {
    'http-url': (v) => url(v, ['https', 'http']),
    'https-url': (v) => url(v, ['https']),
    'calendar-event': (v) => {
        const r = tryParseCalendarEvent(v);
        return r.ok ? null : `invalid calendar event '${v}': ${r.error}`;
    },
    'listen-address': (v) => (ipv4(v) || ipv6(v) || v === 'localhost' ? null : `expected an IP address such as :: or 0.0.0.0 (got '${v}')`),
    // `Name <user@host>` or `user@host`; a bare local part (`root`) lets the MTA add the domain.
    'mail-address': (v) => {
        const inner = /^[^<>]*<([^<>]+)>$/.exec(v.trim())?.[1] ?? v.trim();
        return ADDRESS.test(inner) || /^[a-z0-9._-]+$/i.test(inner) ? null : `expected an e-mail address (got '${v}')`;
    },
    // PVE tags: pve-manager's `pve-tag` format.
    'pve-tag': (v) => (/^(?=[a-z0-9_])[a-z0-9_+.-]+$/i.test(v) ? null : `expected a PVE tag (letters, digits, _ + - .), got '${v}'`),
    'token-id': (v) => (/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/.test(v) ? null : `expected user@realm!tokenid (e.g. monitor@pve!health), got '${v}'`),
    fingerprint: (v) =>
        v.replace(/[^0-9a-f]/gi, '').length === 64 && v.replace(/[\s:]/g, '').length === 64 ? null : 'expected a SHA-256 fingerprint (AA:BB:… , 32 bytes)',
    'header-name': (v) => (/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(v) ? null : `not a valid HTTP header name: '${v}'`),
    // Headers go on the wire as they are: no line breaks (header injection), printable Latin-1 only.
    'header-value': (v) => (/^[\t\x20-\x7e\x80-\xff]*$/.test(v) ? null : 'a header value must be one line of printable characters'),
    'path-segment': (v) => (/^[A-Za-z0-9._~-]+$/.test(v) ? null : `expected letters, digits and . _ ~ - only (got '${v}')`),
    'absolute-path': (v) => (v.startsWith('/') ? null : `expected an absolute path (got '${v}')`),
    'telegram-chat': (v) => (/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{4,})$/.test(v) ? null : `expected a numeric chat id or @channelname (got '${v}')`),
};
