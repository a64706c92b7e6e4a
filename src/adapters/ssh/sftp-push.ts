// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Pushes archives off-host over SFTP (host key pinned). The upload goes to a hidden temp name,
 * is fsynced when the server offers `fsync@openssh.com`, compared by size, then renamed: the
 * remote directory never holds half an archive under an archive's name.
 */

import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import type { PushTarget } from '../../domain/archive/settings.ts';
import { type SshOptions, connectSsh, describeTarget, openSftp } from './connect.ts';

function call<T>(fn: (cb: (e: Error | null | undefined, v: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));
}

async function statOrNull(sftp: SFTPWrapper, path: string): Promise<Stats | null> {
    return call<Stats>((cb) => sftp.stat(path, cb)).catch(() => null);
}

async function upload(sftp: SFTPWrapper, temp: string, stream: NodeJS.ReadableStream): Promise<void> {
    const handle = await call<Buffer>((cb) => sftp.open(temp, 'w', { mode: 0o600 }, cb));
    try {
        let position = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
            await call<undefined>((cb) => sftp.write(handle, chunk, 0, chunk.length, position, (e) => cb(e, undefined)));
            position += chunk.length;
        }
        // Older or minimal servers lack the extension; the size check below still holds.
        await call<unknown>((cb) => sftp.ext_openssh_fsync(handle, cb)).catch(() => undefined);
    } finally {
        await call<undefined>((cb) => sftp.close(handle, (e) => cb(e, undefined)));
    }
}

export function createSftpCopier(options: SshOptions = {}) {
    return {
        async push(target: PushTarget, archive: { name: string; size: number; stream: NodeJS.ReadableStream }): Promise<void> {
            if (archive.name.includes('/') || archive.name.startsWith('.')) throw new Error(`invalid archive name '${archive.name}'`);
            const where = `${describeTarget(target)}:${target.path}`;
            const client = await connectSsh(target, options);
            const temp = posix.join(target.path, `.${archive.name}.partial`);
            const final = posix.join(target.path, archive.name);
            let sftp: SFTPWrapper | undefined;
            try {
                sftp = await openSftp(client);
                const dir = await statOrNull(sftp, target.path);
                if (!dir?.isDirectory()) throw new Error(`remote directory ${where} does not exist`);
                const existing = await statOrNull(sftp, final);
                if (existing) {
                    if (existing.size === archive.size) return;
                    throw new Error(`${final} already exists on ${describeTarget(target)} with a different size`);
                }
                await upload(sftp, temp, archive.stream);
                const written = await statOrNull(sftp, temp);
                if (written?.size !== archive.size) throw new Error(`upload to ${where} is incomplete (${written?.size ?? 0} of ${archive.size} bytes)`);
                const s = sftp;
                await call<undefined>((cb) => s.rename(temp, final, (e) => cb(e, undefined)));
            } catch (e) {
                const s = sftp;
                if (s) await call<undefined>((cb) => s.unlink(temp, (x) => cb(x, undefined))).catch(() => undefined);
                const text = e instanceof Error ? e.message : String(e);
                throw new Error(text.includes(target.host) ? text : `push to ${where} failed: ${text}`);
            } finally {
                (archive.stream as { destroy?: () => void }).destroy?.();
                client.end();
            }
        },
    };
}
