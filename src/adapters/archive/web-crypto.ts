// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * age-encryption (through the noble libraries) reads `globalThis.crypto` when it runs. Node 19+
 * defines it; Node 18 — Debian bookworm's, on PVE 8 — only has `require('node:crypto').webcrypto`.
 * Called before every encryption or decryption; a no-op where the global exists.
 */

import { webcrypto } from 'node:crypto';

export function ensureWebCrypto(): void {
    if (globalThis.crypto === undefined) Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true, writable: true });
}
