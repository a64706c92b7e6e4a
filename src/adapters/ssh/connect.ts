// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * SSH connections for archive push and pull (ssh2): key authentication only, and the server's
 * host key must match the pinned SHA256 fingerprint (as `ssh-keygen -lf` prints it) — a
 * mismatch refuses the connection before any data is sent.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import type { SshTarget } from '../../domain/archive/settings.ts';

export interface SshOptions {
    /** Seconds to wait for the connection and authentication. */
    timeoutSeconds?: number;
    /** Key files tried when a target names none (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
    defaultKeyFiles?: string[];
}

/** `SHA256:<base64 without padding>` of a raw SSH public key blob, as OpenSSH prints it. */
export function sshFingerprint(key: Buffer): string {
    return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function sameFingerprint(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

async function privateKey(target: SshTarget, options: SshOptions): Promise<{ key: Buffer; file: string }> {
    const files = target.keyFile ? [target.keyFile] : (options.defaultKeyFiles ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f)));
    for (const file of files) {
        try {
            return { key: await readFile(file), file };
        } catch (e) {
            if (target.keyFile) throw new Error(`cannot read SSH key file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
    }
    throw new Error(`no SSH key for ${target.name}: none of ${files.join(', ')} exists (set keyFile)`);
}

export function describeTarget(t: SshTarget): string {
    return `${t.user}@${t.host}:${t.port}`;
}

export async function connectSsh(target: SshTarget, options: SshOptions = {}): Promise<Client> {
    const { key, file } = await privateKey(target, options);
    const client = new Client();
    let offered: string | undefined;
    return new Promise<Client>((resolve, reject) => {
        client.once('ready', () => {
            // Many small SFTP requests in a row: Nagle's algorithm with delayed ACKs would stall each one.
            client.setNoDelay(true);
            resolve(client);
        });
        client.once('error', (e: Error) => {
            client.end();
            if (offered !== undefined && !sameFingerprint(offered, target.hostKey)) {
                reject(new Error(`host key mismatch for ${describeTarget(target)}: pinned ${target.hostKey}, the server offered ${offered}; refusing to connect`));
            } else if (/authentication methods failed/i.test(e.message)) {
                reject(new Error(`${describeTarget(target)} refused the key ${file}`));
            } else reject(new Error(`cannot connect to ${describeTarget(target)}: ${e.message}`));
        });
        try {
            client.connect({
                host: target.host,
                port: target.port,
                username: target.user,
                privateKey: key,
                readyTimeout: (options.timeoutSeconds ?? 20) * 1000,
                hostVerifier: (hostKey: Buffer) => {
                    offered = sshFingerprint(hostKey);
                    return sameFingerprint(offered, target.hostKey);
                },
            });
        } catch (e) {
            // ssh2 throws synchronously for an unparsable (or passphrase-protected) key.
            reject(new Error(`cannot use SSH key ${file}: ${e instanceof Error ? e.message : String(e)}`));
        }
    });
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => client.sftp((e, sftp) => (e ? reject(e) : resolve(sftp))));
}

export interface ExecResult {
    code: number | null;
    stdout: Buffer;
    stderr: string;
}

/** Runs a command; resolves with its exit code and output (never rejects for a non-zero exit). */
export function execRemote(client: Client, command: string, timeoutSeconds = 600): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        client.exec(command, (e, channel: ClientChannel) => {
            if (e) return reject(e);
            const out: Buffer[] = [];
            const err: Buffer[] = [];
            const timer = setTimeout(() => {
                channel.close();
                reject(new Error(`remote command timed out after ${timeoutSeconds} s`));
            }, timeoutSeconds * 1000);
            channel.on('data', (d: Buffer) => out.push(d));
            channel.stderr.on('data', (d: Buffer) => err.push(d));
            channel.on('close', (code: number | null) => {
                clearTimeout(timer);
                resolve({ code: code ?? null, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
            });
        });
    });
}

/** One shell word, safe inside `sh -c`. */
export function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
