// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A remote node's files over SSH, so one node can keep every node's configuration: files are read
 * over SFTP (lstat first, symlinks never followed), the database is copied ON the remote node
 * with `sqlite3 … VACUUM INTO` into a private temp file, checked, downloaded and deleted there.
 */

import { createWriteStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import type { PullTarget } from '../../domain/archive/settings.ts';
import type { HostFileSystem, HostStat } from '../../domain/archive/types.ts';
import { type SshOptions, connectSsh, describeTarget, execRemote, openSftp, shellQuote } from './connect.ts';

const SFTP_NO_SUCH_FILE = 2;

function toHostStat(s: Stats): HostStat {
    const type = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other';
    return { type, size: s.size, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtime: s.mtime };
}

function sftpCall<T>(fn: (cb: (e: Error | null | undefined, v: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));
}

function withCode(e: unknown, path: string): Error {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = (err as { code?: unknown }).code;
    const mapped = code === SFTP_NO_SUCH_FILE ? 'ENOENT' : code === 3 ? 'EACCES' : typeof code === 'string' ? code : 'EIO';
    return Object.assign(new Error(`${path}: ${err.message}`), { code: mapped });
}

function remoteFs(target: PullTarget, client: Client, sftp: SFTPWrapper): HostFileSystem {
    const root = target.sourceRoot ?? '/';
    const at = (path: string): string => posix.join(root, path);
    const lstat = async (path: string): Promise<HostStat | null> => {
        try {
            return toHostStat(await sftpCall<Stats>((cb) => sftp.lstat(at(path), cb)));
        } catch (e) {
            if ((e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return null;
            throw withCode(e, path);
        }
    };
    return {
        label: `ssh ${describeTarget(target)} ${root}`,
        lstat,
        async readdir(path) {
            try {
                const list = await sftpCall<{ filename: string }[]>((cb) => sftp.readdir(at(path), cb));
                return list.map((e) => e.filename).filter((n) => n !== '.' && n !== '..');
            } catch (e) {
                throw withCode(e, path);
            }
        },
        async readFile(path, maxBytes) {
            const st = await lstat(path);
            if (!st) throw Object.assign(new Error(`${path}: no such file`), { code: 'ENOENT' });
            if (st.type !== 'file') throw Object.assign(new Error(`${path}: no longer a regular file`), { code: 'ELOOP' });
            if (st.size > maxBytes) throw Object.assign(new Error(`${st.size} bytes, limit ${maxBytes}`), { code: 'EFBIG' });
            try {
                const data = await sftpCall<Buffer>((cb) => sftp.readFile(at(path), cb));
                if (data.length > maxBytes) throw Object.assign(new Error(`grew to ${data.length} bytes, limit ${maxBytes}`), { code: 'EFBIG' });
                return data;
            } catch (e) {
                if ((e as { code?: unknown }).code === 'EFBIG') throw e;
                throw withCode(e, path);
            }
        },
        async readlink(path) {
            try {
                return await sftpCall<string>((cb) => sftp.readlink(at(path), cb));
            } catch (e) {
                throw withCode(e, path);
            }
        },
        async backupSqlite(path, localDest) {
            const script = [
                'umask 077',
                // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
                'd=$(mktemp -d "${TMPDIR:-/tmp}/pbh-config-db.XXXXXXXX") || exit 1',
                `if sqlite3 -bail -cmd '.timeout 10000' ${shellQuote(at(path))} "VACUUM INTO '$d/config.db'" && sqlite3 -bail "$d/config.db" 'PRAGMA journal_mode=DELETE;' >/dev/null; then printf '%s\\n' "$d"; sqlite3 -bail "$d/config.db" 'PRAGMA integrity_check;'; else rm -rf "$d"; exit 1; fi`,
            ].join('\n');
            const r = await execRemote(client, script);
            const lines = r.stdout.toString('utf8').split('\n');
            const remote = lines[0]?.trim() ?? '';
            // The path is about to be given to `rm -rf`: accept only what mktemp -d above makes.
            if (r.code !== 0 || !/^\/[^'\n]*\/pbh-config-db\.[A-Za-z0-9]{8}$/.test(remote)) {
                throw new Error(`sqlite3 VACUUM INTO on ${target.host} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' ') || 'no output'}`);
            }
            try {
                await pipeline(sftp.createReadStream(`${remote}/config.db`), createWriteStream(localDest, { flags: 'wx', mode: 0o600 }));
            } finally {
                await execRemote(client, `rm -rf ${shellQuote(remote)}`, 60).catch(() => undefined);
            }
            return { integrity: lines.slice(1).map((l) => l.trim()).filter(Boolean).slice(0, 5).join('; ') || 'unknown' };
        },
        async pveVersionText() {
            if (root !== '/') return null;
            const r = await execRemote(client, 'pveversion -v', 60).catch(() => null);
            return r && r.code === 0 ? r.stdout.toString('utf8') : null;
        },
        async close() {
            client.end();
        },
    };
}

/** Connects to a pull target (host key pinned) and returns its files; `close()` disconnects. */
export async function openRemoteHostFs(target: PullTarget, options: SshOptions = {}): Promise<HostFileSystem> {
    const client = await connectSsh(target, options);
    try {
        return remoteFs(target, client, await openSftp(client));
    } catch (e) {
        client.end();
        throw new Error(`cannot open SFTP on ${describeTarget(target)}: ${e instanceof Error ? e.message : String(e)}`);
    }
}
