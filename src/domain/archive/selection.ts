// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Which host files a configuration archive holds (pve-platform.md §9.2/§9.3, field-notes §6):
 * `/etc/pve` read through the pmxcfs mount (with `priv/`, without its virtual dot-files), an
 * online backup of `config.db`, and the node-local files a rebuilt node needs.
 */

import { globMatcher, hasGlob } from './glob.ts';
import { MANIFEST_MEMBER } from './types.ts';

export const CONFIG_DB_PATH = '/var/lib/pve-cluster/config.db';
export const CONFIG_DB_MEMBER = 'var/lib/pve-cluster/config.db';

/** Sources read by default: plain paths (a directory means all below it) or globs. */
export const DEFAULT_SOURCES: readonly string[] = [
    '/etc/pve',
    '/var/lib/pve-cluster/backup',
    '/etc/network/interfaces',
    '/etc/network/interfaces.d',
    '/etc/network/interfaces.new',
    '/etc/hosts',
    '/etc/hostname',
    '/etc/resolv.conf',
    '/etc/timezone',
    '/etc/localtime',
    '/etc/fstab',
    '/etc/vzdump.conf',
    '/etc/corosync',
    '/etc/ssh',
    '/root/.ssh',
    '/etc/default/pveproxy',
    '/etc/apt/sources.list',
    '/etc/apt/sources.list.d',
    '/etc/subscription',
    '/etc/lvm/lvm.conf',
    '/etc/modprobe.d',
    '/etc/kernel/cmdline',
    '/etc/default/grub',
    '/etc/initramfs-tools/modules',
    '/usr/local/lib/systemd/network/*.link',
    '/etc/iscsi',
    '/etc/multipath.conf',
    '/etc/multipath',
    '/etc/zfs',
    '/etc/ceph',
    '/etc/postfix',
    '/etc/aliases',
    '/etc/sysctl.d',
    '/etc/udev/rules.d',
    '/etc/cron.d',
    '/etc/crontab',
    '/etc/systemd/system',
    '/var/lib/pve-manager/jobs',
];

/**
 * Never archived whatever the settings say: pmxcfs's runtime-generated files at the top of
 * `/etc/pve` (`.vmlist`, `.members`, `.clusterlog`, `.rrd`, `.version`, …), the daemon's own
 * heartbeats and alert state, and the live database files, which only the online backup may read.
 */
const ALWAYS_EXCLUDED: readonly [RegExp, string][] = [
    [/^\/etc\/pve\/\.[^/]*$/, 'pmxcfs virtual file'],
    // pve-backup-health's own coordination (heartbeats, alert state): changes every minute.
    [/^\/etc\/pve\/priv\/backup-health(?:\/|$)/, "pve-backup-health's own runtime state"],
    [/^\/var\/lib\/pve-cluster\/config\.db(?:-wal|-shm|-journal)?$/, 'live database: archived through sqlite3 VACUUM INTO'],
];

export interface Selection {
    /** Paths and globs to read, defaults first, then the configured includes. */
    sources: string[];
    /** Returns why a path is excluded (the pattern or rule), or null. */
    excluded(path: string): string | null;
}

/** Checks an include/exclude pattern; returns an error text or null. */
export function checkPattern(pattern: string): string | null {
    if (!pattern.startsWith('/')) return `'${pattern}' is not an absolute path`;
    if (pattern.split('/').includes('..')) return `'${pattern}' contains '..'`;
    if (pattern.includes('\0')) return `'${pattern}' contains a NUL byte`;
    if (pattern === '/' || pattern === `/${MANIFEST_MEMBER}`) return `'${pattern}' cannot be archived`;
    return null;
}

export function buildSelection(include: readonly string[], exclude: readonly string[]): Selection {
    const sources = [...new Set([...DEFAULT_SOURCES, ...include])];
    const userExcluded = globMatcher(exclude);
    return {
        sources,
        excluded(path) {
            for (const [re, why] of ALWAYS_EXCLUDED) if (re.test(path)) return why;
            const pattern = userExcluded(path);
            return pattern === null ? null : `excluded by '${pattern}'`;
        },
    };
}

/** Whether a source names one exact path (reported as missing when absent) or a pattern. */
export function isPattern(source: string): boolean {
    return hasGlob(source);
}

export function memberPath(hostPath: string): string {
    return hostPath.replace(/^\/+/, '');
}

export function hostPath(member: string): string {
    return `/${member}`;
}

/**
 * Hook scripts named by `script:` in `/etc/vzdump.conf`, `script <path>` in `jobs.cfg` sections
 * and `--script <path>` in a legacy `vzdump.cron`: absolute paths, in order, without duplicates.
 */
export function hookScripts(texts: { vzdumpConf?: string; jobsCfg?: string; vzdumpCron?: string }): string[] {
    const out: string[] = [];
    const add = (p: string | undefined): void => {
        const path = p?.trim().replace(/^(['"])(.*)\1$/, '$2');
        if (path?.startsWith('/') && !path.split('/').includes('..') && !out.includes(path)) out.push(path);
    };
    for (const line of (texts.vzdumpConf ?? '').split('\n')) add(/^script:\s*(\S.*)$/.exec(line.trim())?.[1]);
    for (const line of (texts.jobsCfg ?? '').split('\n')) add(/^\s+script\s+(\S.*)$/.exec(line)?.[1]);
    for (const line of (texts.vzdumpCron ?? '').split('\n')) {
        for (const m of line.matchAll(/--script[=\s]+("[^"]*"|'[^']*'|\S+)/g)) add(m[1]);
    }
    return out;
}
