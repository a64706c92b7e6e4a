// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Certificates for the simulator, made with the `openssl` CLI like PVE's own setup: a root CA
 * (`pve-root-ca.pem`) signing the node certificate (`pve-ssl.pem`) for 127.0.0.1 and localhost.
 */

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SimCertificates {
    /** PEM of the CA that signed `cert` (what `--ca-file` points at). */
    ca: string;
    cert: string;
    key: string;
    /** SHA-256 fingerprint of `cert`, `AA:BB:…` as PVE shows it. */
    fingerprint: string;
}

function openssl(dir: string, args: string[]): void {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generates a fresh CA and node certificate (EC P-256, fast) in a temp dir, then removes it. */
export function generateCertificates(commonName = 'pve-sim'): SimCertificates {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-cert-'));
    try {
        const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
        openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=PVE Sim Root CA']);
        openssl(dir, ['req', ...ec, '-keyout', 'node.key', '-out', 'node.csr', '-subj', `/CN=${commonName}`]);
        writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
        openssl(dir, [
            'x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
            '-out', 'node.pem', '-days', '3650', '-extfile', 'ext.cnf',
        ]);
        const cert = readFileSync(join(dir, 'node.pem'), 'utf8');
        return {
            ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
            cert,
            key: readFileSync(join(dir, 'node.key'), 'utf8'),
            fingerprint: new X509Certificate(cert).fingerprint256,
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
