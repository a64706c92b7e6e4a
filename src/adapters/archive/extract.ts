// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Extracts a verified archive into an EMPTY staging directory, never into the live system: the
 * target is refused when it is (or resolves into) `/`, `/etc`, `/etc/pve`, …; members with
 * absolute names, `..` or a path through a symlink the archive itself created are refused.
 */

import { closeSync, chmodSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkMemberPath, checkRestoreTarget } from '../../domain/archive/paths.ts';
import type { ExtractOutcome } from '../../domain/archive/types.ts';
import { readMembers } from './read.ts';
import { verifyArchive } from './verify.ts';

/** The target as it will really be reached: the nearest existing ancestor with symlinks resolved. */
async function resolvedTarget(target: string): Promise<string> {
    let existing = target;
    const rest: string[] = [];
    for (;;) {
        try {
            return join(await realpath(existing), ...rest);
        } catch {
            const parent = dirname(existing);
            if (parent === existing) return target;
            rest.unshift(existing.slice(parent.length).replace(/^\//, ''));
            existing = parent;
        }
    }
}

export async function checkTarget(target: string): Promise<string> {
    const abs = resolve(target);
    const why = checkRestoreTarget(abs) ?? checkRestoreTarget(await resolvedTarget(abs));
    if (why) throw new Error(why);
    const st = await lstat(abs).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`restore target '${abs}' exists and is not a directory`);
    if (st && (await readdir(abs)).length > 0) throw new Error(`restore target '${abs}' is not empty: choose a new or empty staging directory`);
    return abs;
}

export async function extractArchive(path: string, identities: readonly string[], target: string): Promise<ExtractOutcome> {
    const dir = await checkTarget(target);
    const check = await verifyArchive(path, identities);
    if (!check.ok || !check.manifest) throw new Error(`refusing to restore ${path}: it failed verification: ${check.errors.slice(0, 3).join('; ')}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const links = new Set<string>();
    const dirModes: [string, number][] = [];
    let members = 0;
    const refuse = (member: string): void => {
        const why = checkMemberPath(member);
        if (why) throw new Error(`refusing member: ${why}`);
        const parts = member.split('/');
        for (let i = 1; i < parts.length; i++) {
            if (links.has(parts.slice(0, i).join('/'))) throw new Error(`refusing member '${member}': its path goes through a symlink in the archive`);
        }
    };
    await readMembers(path, identities, (info) => {
        refuse(info.path);
        const dest = join(dir, info.path);
        if (info.type !== 'dir') mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
        members++;
        if (info.type === 'dir') {
            mkdirSync(dest, { recursive: true, mode: 0o700 });
            dirModes.push([dest, info.mode & 0o7777]);
            return undefined;
        }
        if (info.type === 'symlink') {
            links.add(info.path);
            symlinkSync(info.target ?? '', dest);
            return undefined;
        }
        if (info.type !== 'file') throw new Error(`refusing member '${info.path}': unsupported type ${info.tarType}`);
        // 'wx' never follows or replaces anything that is already there.
        const fd = openSync(dest, 'wx', 0o600);
        return {
            data: (c) => {
                writeSync(fd, c);
            },
            end: () => {
                closeSync(fd);
                chmodSync(dest, info.mode & 0o7777);
                utimesSync(dest, info.mtime, info.mtime);
            },
        };
    });
    // Directory modes last, so a read-only directory did not block its own contents.
    for (const [d, mode] of dirModes.reverse()) chmodSync(d, mode | 0o700);
    return { target: dir, members, manifest: check.manifest };
}
