// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The local host's files for an archive, every path prefixed with `root` (`/` on a PVE node; a
 * mounted old root disk or a test fixture otherwise). The database is copied with the sqlite3
 * CLI's `VACUUM INTO` (pve-cluster depends on sqlite3), never by copying the live WAL file.
 */

import { execFile } from 'node:child_process';
import { type Stats, constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostFileSystem, HostStat } from '../../domain/archive/types.ts';

export interface LocalHostOptions {
    /** Prefix of every host path; `/` for this host. */
    root?: string;
    /** sqlite3 binary (default: `sqlite3` on PATH). */
    sqlite3?: string;
    /** Seconds a database backup may take before it is abandoned. */
    timeoutSeconds?: number;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
            if (!error) return resolve(stdout);
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') return reject(Object.assign(new Error(`${file} not found (install the ${file} package)`), { code: 'ENOENT' }));
            const detail = stderr.trim().split('\n').slice(-2).join(' ') || error.message;
            reject(new Error(`${file} failed: ${detail}`));
        });
    });
}

export function toHostStat(s: Stats): HostStat {
    const type = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other';
    return { type, size: s.size, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtime: Math.floor(s.mtimeMs / 1000) };
}

/**
 * Copies the live database into `dest` (created 0600 first) with `VACUUM INTO` and checks the
 * copy's integrity. `VACUUM INTO` reads one consistent snapshot in a single transaction; the
 * shell's `.backup` restarts whenever another process commits between its steps, so a busy
 * writer could keep it from ever finishing (seen with a writer committing every few ms).
 */
export async function sqliteBackup(sqlite3: string, db: string, dest: string, timeoutMs: number): Promise<{ integrity: string }> {
    if (dest.includes("'")) throw new Error(`cannot back up the database to '${dest}': the path contains a quote`);
    // An empty file is an empty database to SQLite; creating it first fixes its mode at 0600.
    const handle = await open(dest, 'wx', 0o600);
    await handle.chmod(0o600);
    await handle.close();
    await run(sqlite3, ['-bail', '-cmd', '.timeout 10000', db, `VACUUM INTO '${dest}'`], timeoutMs);
    // A rollback-journal copy is one self-contained file (pmxcfs switches it back to WAL when it
    // opens it after a restore).
    const lines = (await run(sqlite3, ['-bail', dest, 'PRAGMA journal_mode=DELETE; PRAGMA integrity_check;'], timeoutMs)).trim().split('\n');
    return { integrity: lines.slice(1, 6).join('; ') || 'unknown' };
}

export function createLocalHostFs(options: LocalHostOptions = {}): HostFileSystem {
    const root = options.root ?? '/';
    const sqlite3 = options.sqlite3 ?? 'sqlite3';
    const timeoutMs = (options.timeoutSeconds ?? 600) * 1000;
    const at = (path: string): string => join(root, path);
    return {
        label: root,
        async lstat(path) {
            try {
                return toHostStat(await lstat(at(path)));
            } catch (e) {
                const code = (e as NodeJS.ErrnoException).code;
                if (code === 'ENOENT' || code === 'ENOTDIR') return null;
                throw e;
            }
        },
        readdir: (path) => readdir(at(path)),
        async readFile(path, maxBytes) {
            // O_NOFOLLOW: a file swapped for a symlink since lstat is refused, not followed.
            const handle = await open(at(path), constants.O_RDONLY | constants.O_NOFOLLOW);
            try {
                const { size } = await handle.stat();
                if (size > maxBytes) throw Object.assign(new Error(`${size} bytes, limit ${maxBytes}`), { code: 'EFBIG' });
                const data = await handle.readFile();
                if (data.length > maxBytes) throw Object.assign(new Error(`grew to ${data.length} bytes, limit ${maxBytes}`), { code: 'EFBIG' });
                return data;
            } finally {
                await handle.close();
            }
        },
        readlink: (path) => readlink(at(path)),
        backupSqlite: (path, dest) => sqliteBackup(sqlite3, at(path), dest, timeoutMs),
        async pveVersionText() {
            // pveversion describes the running system; a foreign root has its dpkg status instead.
            if (root !== '/') return null;
            try {
                return await run('pveversion', ['-v'], 30_000);
            } catch {
                return null;
            }
        },
        async close() {},
    };
}
