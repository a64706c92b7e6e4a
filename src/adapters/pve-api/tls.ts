// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * TLS trust for the PVE API: a CA file, a pinned SHA-256 certificate fingerprint (the form PVE
 * shows: `AA:BB:…`), or, only when explicitly asked, no verification.
 */

import { readFileSync } from 'node:fs';
import { Agent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

export interface TlsTrust {
    /** PEM text of the CA(s) that signed the node certificate. */
    ca?: string;
    /** Path of a PEM CA file (e.g. `/etc/pve/pve-root-ca.pem`), read when the transport is created. */
    caFile?: string;
    /** SHA-256 fingerprint of the server certificate; colons and case do not matter. */
    fingerprint?: string;
    /** Accept any certificate. Only for lab setups. */
    insecure?: boolean;
}

/** `aa:bb:cc…`, `AABBCC…` → `AA:BB:CC…`; undefined when it is not 32 hex bytes. */
export function normalizeFingerprint(text: string): string | undefined {
    const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
    if (hex.length !== 64 || text.replace(/[\s:]/g, '').length !== 64) return undefined;
    return hex.match(/../g)?.join(':');
}

export class FingerprintMismatchError extends Error {
    readonly expected: string;
    readonly actual: string;
    constructor(expected: string, actual: string) {
        super(`server certificate fingerprint ${actual || '(none)'} does not match the pinned ${expected}`);
        this.name = 'FingerprintMismatchError';
        this.expected = expected;
        this.actual = actual;
    }
}

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

/**
 * An https Agent that hands a socket to the HTTP layer only after the peer certificate matched the
 * pin. Checking in `createConnection` (not on the request's socket event) guarantees no request
 * byte, and so no token, is written to an unverified peer.
 */
class PinnedAgent extends Agent {
    private readonly pin: string;

    constructor(options: AgentOptions, pin: string) {
        super(options);
        this.pin = pin;
    }

    override createConnection(options: RequestOptions, cb?: ConnectCallback): Duplex | null | undefined {
        const socket = super.createConnection(options) as TLSSocket;
        const fail = (err: Error): void => {
            socket.destroy();
            cb?.(err, socket);
        };
        socket.once('error', fail);
        socket.once('secureConnect', () => {
            socket.removeListener('error', fail);
            const actual = socket.getPeerCertificate()?.fingerprint256 ?? '';
            if (actual.toUpperCase() !== this.pin) {
                fail(new FingerprintMismatchError(this.pin, actual));
                return;
            }
            cb?.(null, socket);
        });
        return undefined;
    }
}

export interface AgentSettings {
    trust: TlsTrust;
    maxSockets: number;
}

/** One Agent per transport instance: keep-alive sockets to one PVE endpoint. */
export function createAgent(settings: AgentSettings): Agent {
    const trust = { ...settings.trust };
    if (trust.caFile !== undefined && trust.ca === undefined) {
        try {
            trust.ca = readFileSync(trust.caFile, 'utf8');
        } catch (err) {
            throw new Error(`cannot read the CA file ${trust.caFile}: ${(err as Error).message}`);
        }
    }
    const base: AgentOptions = { keepAlive: true, maxSockets: settings.maxSockets, maxFreeSockets: settings.maxSockets };
    if (trust.fingerprint !== undefined) {
        const pin = normalizeFingerprint(trust.fingerprint);
        if (!pin) throw new Error(`invalid certificate fingerprint '${trust.fingerprint}': expected 32 hex bytes like AA:BB:…`);
        // The chain is not checked against a CA: the pin is the trust. With a CA as well, both apply.
        // Resumed TLS sessions may skip the certificate, so sessions are not cached.
        const options: AgentOptions = { ...base, maxCachedSessions: 0, rejectUnauthorized: trust.ca !== undefined };
        if (trust.ca !== undefined) options.ca = trust.ca;
        return new PinnedAgent(options, pin);
    }
    if (trust.insecure) return new Agent({ ...base, rejectUnauthorized: false });
    const options: AgentOptions = { ...base, rejectUnauthorized: true };
    if (trust.ca !== undefined) options.ca = trust.ca;
    return new Agent(options);
}
