// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Path rules for reading archives back: member names must stay inside the extraction directory,
 * and a restore goes to a staging directory only — never over the live `/etc` or `/etc/pve`.
 */

/** Why a member name is unsafe to extract, or null. */
export function checkMemberPath(path: string): string | null {
    if (path === '') return 'empty member name';
    if (path.includes('\0')) return `member '${path.replace(/\0/g, '\\0')}' contains a NUL byte`;
    if (path.startsWith('/')) return `member '${path}' has an absolute path`;
    if (/^[A-Za-z]:/.test(path) || path.includes('\\')) return `member '${path}' is not a POSIX relative path`;
    const parts = path.replace(/\/+$/, '').split('/');
    if (parts.includes('..')) return `member '${path}' contains '..'`;
    if (parts.some((p) => p === '' || p === '.')) return `member '${path}' is not a normalized path`;
    return null;
}

/** POSIX normalization of an absolute path (`//a/./b/../c/` → `/a/c`); `..` never climbs above `/`. */
export function normalizeAbsolute(path: string): string {
    const out: string[] = [];
    for (const part of path.split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') out.pop();
        else out.push(part);
    }
    return `/${out.join('/')}`;
}

/** Live system trees a restore must never write into. */
const FORBIDDEN_ROOTS = ['/etc', '/var/lib/pve-cluster', '/usr', '/boot', '/proc', '/sys', '/dev'];

/**
 * Why `target` may not be a restore staging directory, or null. It must be absolute and not
 * `/`, nor `/etc`, `/etc/pve` (or another live system tree), nor anything below them.
 */
export function checkRestoreTarget(target: string): string | null {
    if (!target.startsWith('/')) return `restore target '${target}' must be an absolute path`;
    const t = normalizeAbsolute(target);
    if (t === '/') return `refusing to restore into '/': choose an empty staging directory, e.g. /root/pve-restore`;
    for (const root of FORBIDDEN_ROOTS) {
        if (t === root || t.startsWith(`${root}/`)) {
            return `refusing to restore into '${t}' (inside the live ${root}): choose a staging directory such as /root/pve-restore`;
        }
    }
    return null;
}
