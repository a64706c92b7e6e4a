// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Path globs for the include/exclude settings: `*` and `?` stay inside one path segment, `**`
 * spans any number of segments, `[abc]` / `[!abc]` are character classes. A pattern without
 * wildcards also matches everything below it (`/etc/ssh` excludes `/etc/ssh/sshd_config`).
 */

const SPECIAL = /[*?[]/;

export function hasGlob(pattern: string): boolean {
    return SPECIAL.test(pattern);
}

/** The longest leading directory without wildcards: where a walk for the pattern starts. */
export function globBase(pattern: string): string {
    const parts = pattern.split('/');
    const base: string[] = [];
    for (const part of parts) {
        if (hasGlob(part)) break;
        base.push(part);
    }
    if (base.length === parts.length) return pattern;
    const joined = base.join('/');
    return joined === '' ? '/' : joined;
}

export function globToRegExp(pattern: string): RegExp {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i] as string;
        if (c === '*') {
            if (pattern[i + 1] === '*') {
                const slash = pattern[i + 2] === '/';
                re += slash ? '(?:.*/)?' : '.*';
                i += slash ? 2 : 1;
            } else re += '[^/]*';
        } else if (c === '?') re += '[^/]';
        else if (c === '[') {
            const end = pattern.indexOf(']', i + 2);
            if (end < 0) re += '\\[';
            else {
                let body = pattern.slice(i + 1, end);
                const negate = body.startsWith('!');
                if (negate) body = body.slice(1);
                re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
                i = end;
            }
        } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
    return new RegExp(`^${re}(?:/.*)?$`);
}

/** Whether `path` is matched by `pattern` or lies below a path it matches. */
export function matchGlob(pattern: string, path: string): boolean {
    return globToRegExp(pattern).test(path);
}

/** Compiles patterns once; the matcher returns the first pattern that matches, or null. */
export function globMatcher(patterns: readonly string[]): (path: string) => string | null {
    const compiled = patterns.map((p) => [p, globToRegExp(p)] as const);
    return (path) => compiled.find(([, re]) => re.test(path))?.[0] ?? null;
}
