// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads PVE host files below a root prefix (`/` on a host, a fixture directory in tests). A
 * missing file is normal and reported as such; any other failure carries a message naming the file.
 */

import { readFile } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type FileRead = { kind: 'ok'; text: string } | { kind: 'missing' } | { kind: 'error'; message: string };
export type DirList = { kind: 'ok'; names: string[] } | { kind: 'missing' } | { kind: 'error'; message: string };

export interface HostFiles {
    readonly rootDir: string;
    /** The real path of a host path (`/etc/pve/jobs.cfg` → `<root>/etc/pve/jobs.cfg`). */
    resolve(path: string): string;
    read(path: string): Promise<FileRead>;
    list(dir: string): Promise<DirList>;
    /** Symlink target, or undefined when it is not a symlink or missing. */
    link(path: string): Promise<string | undefined>;
    /** Modification time (epoch s), or undefined when missing. */
    mtime(path: string): Promise<number | undefined>;
}

function isMissing(err: unknown): boolean {
    const code = (err as { code?: string }).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(path: string, err: unknown): string {
    const e = err as { code?: string; message?: string };
    return `cannot read ${path}: ${e.code ?? ''}${e.code ? ' ' : ''}${e.message ?? String(err)}`.trim();
}

export function createHostFiles(rootDir = '/'): HostFiles {
    const resolve = (path: string) => join(rootDir, path);
    return {
        rootDir,
        resolve,
        read(path) {
            // The callback form: `fs/promises` `readFile` takes a round trip per open, stat, read
            // and close, about twice the time for the many task logs of a scan.
            return new Promise((done) => {
                readFile(resolve(path), 'utf8', (err, text) => {
                    if (!err) done({ kind: 'ok', text });
                    else done(isMissing(err) ? { kind: 'missing' } : { kind: 'error', message: describe(path, err) });
                });
            });
        },
        async list(dir) {
            try {
                return { kind: 'ok', names: (await readdir(resolve(dir))).sort() };
            } catch (err) {
                return isMissing(err) ? { kind: 'missing' } : { kind: 'error', message: describe(dir, err) };
            }
        },
        async link(path) {
            try {
                return await readlink(resolve(path));
            } catch {
                return undefined;
            }
        },
        async mtime(path) {
            try {
                return Math.floor((await stat(resolve(path))).mtimeMs / 1000);
            } catch {
                return undefined;
            }
        },
    };
}
