// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads an archive back member by member: file → age decryption (`.age`) → gunzip → tar parser.
 * Corruption anywhere (a flipped byte breaks the gzip CRC, age's authentication or a tar header
 * checksum) rejects with a message instead of yielding wrong data.
 */

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { Decrypter } from 'age-encryption';
import { Parser, type ReadEntry } from 'tar';
import { isEncryptedName } from '../../domain/archive/name.ts';
import { ensureWebCrypto } from './web-crypto.ts';

export interface MemberInfo {
    path: string;
    type: 'file' | 'dir' | 'symlink' | 'other';
    tarType: string;
    size: number;
    mode: number;
    uid: number;
    gid: number;
    mtime: number;
    target?: string;
}

/**
 * Called per member; `data` receives the content in order and `end` once it is complete.
 * Handlers run synchronously inside the parser, so they must not await.
 */
export type MemberHandler = (info: MemberInfo) => { data?: (chunk: Buffer) => void; end?: () => void } | undefined;

/** Identities from an age identity file: `AGE-SECRET-KEY-1…` lines; `#` comments and blanks ignored. */
export function parseIdentityFile(text: string): string[] {
    const keys = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    const bad = keys.find((k) => !/^AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]+$/.test(k));
    if (bad !== undefined) throw new Error('not an age identity file: expected AGE-SECRET-KEY-1… lines');
    if (keys.length === 0) throw new Error('the identity file holds no AGE-SECRET-KEY-1… line');
    return keys;
}

/** Plain tar.gz bytes of an archive file, decrypted when it is `.age`. */
export async function openPlain(path: string, identities: readonly string[]): Promise<Readable> {
    const file = createReadStream(path);
    if (!isEncryptedName(path)) return file;
    if (identities.length === 0) {
        file.destroy();
        throw Object.assign(new Error(`${path} is encrypted: pass the age identity file (--identity FILE) to read it`), { code: 'ENCRYPTED' });
    }
    ensureWebCrypto();
    const decrypter = new Decrypter();
    for (const id of identities) decrypter.addIdentity(id);
    try {
        const web = Readable.toWeb(file) as unknown as ReadableStream<Uint8Array>;
        const plain = await decrypter.decrypt(web);
        return Readable.fromWeb(plain as unknown as WebReadableStream);
    } catch (e) {
        file.destroy();
        throw new Error(`cannot decrypt ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
}

function info(entry: ReadEntry): MemberInfo {
    const t = entry.type;
    const type = t === 'File' || t === 'OldFile' || t === 'ContiguousFile' ? 'file' : t === 'Directory' ? 'dir' : t === 'SymbolicLink' ? 'symlink' : 'other';
    return {
        path: entry.path.replace(/\/+$/, ''),
        type,
        tarType: t,
        size: entry.size,
        mode: entry.mode ?? 0,
        uid: entry.uid ?? 0,
        gid: entry.gid ?? 0,
        mtime: entry.mtime ? Math.floor(entry.mtime.getTime() / 1000) : 0,
        ...(entry.linkpath !== undefined && entry.linkpath !== '' ? { target: entry.linkpath } : {}),
    };
}

/** Reads every member of the archive at `path`; rejects on any corruption or truncation. */
export async function readMembers(path: string, identities: readonly string[], onMember: MemberHandler): Promise<void> {
    const plain = await openPlain(path, identities);
    const gunzip = createGunzip();
    const parser = new Parser({ strict: true });
    const done = new Promise<void>((resolve, reject) => {
        let failed = false;
        // A handler that throws stops the whole read: nothing after a refused member is processed.
        const guard =
            <A extends unknown[]>(fn: (...args: A) => void) =>
            (...args: A): void => {
                if (failed) return;
                try {
                    fn(...args);
                } catch (e) {
                    failed = true;
                    plain.unpipe(gunzip);
                    plain.destroy();
                    reject(e instanceof Error ? e : new Error(String(e)));
                }
            };
        parser.on(
            'entry',
            guard((entry: ReadEntry) => {
                const handler = onMember(info(entry));
                if (handler?.data) entry.on('data', guard(handler.data));
                else entry.resume();
                if (handler?.end) entry.on('end', guard(handler.end));
            }),
        );
        parser.on('error', (e: Error) => reject(new Error(`not a valid archive: ${e.message}`)));
        parser.on('end', () => resolve());
        const fail = (e: Error): void => reject(e);
        plain.on('error', (e) => fail(new Error(`cannot read ${path}: ${e.message}`)));
        gunzip.on('error', (e) => fail(new Error(`corrupt gzip data in ${path}: ${e.message}`)));
        gunzip.on('data', (chunk: Buffer) => {
            if (!parser.write(chunk)) {
                gunzip.pause();
                parser.once('drain', () => gunzip.resume());
            }
        });
        gunzip.on('end', () => parser.end());
        plain.pipe(gunzip);
    });
    try {
        await done;
    } finally {
        plain.destroy();
        gunzip.destroy();
    }
}
