// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Replace a file's content atomically: a reader (pveproxy rendering the template, another node
 * reading pmxcfs) sees either the old or the new file, never a half-written one.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface WriteOptions {
    /**
     * Copy mode and owner from the file being replaced (the template). Off for pmxcfs, which
     * has no chmod/chown (pve-platform.md §9.1) and decides ownership itself.
     */
    preserve: boolean;
    /** Mode for a new file (before the umask); default 0644. */
    mode?: number;
}

/** fsync, where the file system has it (FUSE file systems may not implement it). */
function syncData(fd: number): void {
    try {
        fsyncSync(fd);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EINVAL' && code !== 'ENOSYS' && code !== 'ENOTSUP') throw e;
    }
}

/** Writes `text` to a temp file next to `path`, fsyncs it, and renames it over `path`. */
export function replaceFile(path: string, text: string, options: WriteOptions): void {
    const dir = dirname(path);
    const tmp = join(dir, `.${basename(path)}.pbh-tmp-${process.pid}`);
    const old = options.preserve ? statSync(path) : undefined;
    const fd = openSync(tmp, 'wx', old ? old.mode & 0o7777 : (options.mode ?? 0o644));
    try {
        try {
            const data = Buffer.from(text, 'utf8');
            let off = 0;
            while (off < data.length) off += writeSync(fd, data, off, data.length - off);
            if (old) {
                // openSync's mode went through the umask; set the exact one, then the owner.
                fchmodSync(fd, old.mode & 0o7777);
                fchownSync(fd, old.uid, old.gid);
            }
            syncData(fd);
        } finally {
            closeSync(fd);
        }
        renameSync(tmp, path);
    } catch (e) {
        try {
            unlinkSync(tmp);
        } catch {
            // the temp file may not exist (rename done) or the directory is read-only
        }
        throw e;
    }
    try {
        const dfd = openSync(dir, 'r');
        try {
            fsyncSync(dfd);
        } finally {
            closeSync(dfd);
        }
    } catch {
        // Directory fsync is not supported everywhere; the rename itself is atomic already.
    }
}
