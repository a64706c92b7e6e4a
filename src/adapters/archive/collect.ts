// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Walks the selection on a host (local or remote) and lists what goes into the archive: every
 * path with its lstat, symlinks as links (never followed), and every source that could not be
 * read with the reason. Contents are read later, by the writer, one file at a time.
 */

import { globBase, globToRegExp } from '../../domain/archive/glob.ts';
import { nodeFromHostname, parseCorosyncConf, parseIdNames, versionFacts } from '../../domain/archive/host-facts.ts';
import type { CorosyncFacts, VersionFacts } from '../../domain/archive/host-facts.ts';
import { type Selection, hookScripts, isPattern, memberPath } from '../../domain/archive/selection.ts';
import type { HostFileSystem, HostStat, SkippedEntry } from '../../domain/archive/types.ts';

export interface PlannedEntry {
    hostPath: string;
    member: string;
    stat: HostStat;
}

export interface CollectionPlan {
    entries: PlannedEntry[];
    skipped: SkippedEntry[];
    warnings: string[];
}

export interface HostFacts {
    hostname: string | null;
    corosync: CorosyncFacts;
    versions: VersionFacts;
    users: Map<number, string>;
    groups: Map<number, string>;
}

const MAX_ENTRIES = 200_000;
const MAX_DEPTH = 40;
const SMALL = 16 * 1024 * 1024;

function errorCode(e: unknown): string {
    return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

async function readText(fs: HostFileSystem, path: string, max = SMALL): Promise<string | null> {
    try {
        const st = await fs.lstat(path);
        if (st?.type !== 'file') return null;
        return Buffer.from(await fs.readFile(path, max)).toString('utf8');
    } catch {
        return null;
    }
}

export async function readHostFacts(fs: HostFileSystem): Promise<HostFacts> {
    const [hostname, corosyncPve, corosyncLocal, passwd, group, dpkgStatus, pveversion, managerDir] = await Promise.all([
        readText(fs, '/etc/hostname'),
        readText(fs, '/etc/pve/corosync.conf'),
        readText(fs, '/etc/corosync/corosync.conf'),
        readText(fs, '/etc/passwd'),
        readText(fs, '/etc/group'),
        readText(fs, '/var/lib/dpkg/status', 64 * 1024 * 1024),
        fs.pveVersionText().catch(() => null),
        fs.lstat('/usr/share/pve-manager').catch(() => null),
    ]);
    return {
        hostname: nodeFromHostname(hostname),
        corosync: parseCorosyncConf(corosyncPve ?? corosyncLocal),
        versions: versionFacts({ pveversion, dpkgStatus, hasPveManagerDir: managerDir?.type === 'dir' }),
        users: parseIdNames(passwd),
        groups: parseIdNames(group),
    };
}

function join(dir: string, name: string): string {
    return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export async function planCollection(fs: HostFileSystem, selection: Selection): Promise<CollectionPlan> {
    const plan: CollectionPlan = { entries: [], skipped: [], warnings: [] };
    const seen = new Set<string>();
    let truncated = false;

    const visit = async (path: string, explicit: boolean, depth: number, detail?: string): Promise<void> => {
        if (seen.has(path)) return;
        if (plan.entries.length >= MAX_ENTRIES) {
            truncated = true;
            return;
        }
        const excluded = selection.excluded(path);
        if (excluded) {
            seen.add(path);
            plan.skipped.push({ path, reason: 'excluded', detail: excluded });
            return;
        }
        let stat: HostStat | null;
        try {
            stat = await fs.lstat(path);
        } catch (e) {
            plan.skipped.push({ path, reason: 'unreadable', detail: errorCode(e) });
            return;
        }
        if (!stat) {
            if (explicit) plan.skipped.push({ path, reason: 'missing', ...(detail ? { detail } : {}) });
            return;
        }
        seen.add(path);
        if (stat.type === 'other') {
            plan.skipped.push({ path, reason: 'not-regular', detail: 'socket, FIFO or device' });
            return;
        }
        plan.entries.push({ hostPath: path, member: memberPath(path), stat });
        if (stat.type !== 'dir') return;
        if (depth >= MAX_DEPTH) {
            plan.skipped.push({ path, reason: 'unreadable', detail: `deeper than ${MAX_DEPTH} levels` });
            return;
        }
        let names: string[];
        try {
            names = (await fs.readdir(path)).sort();
        } catch (e) {
            plan.skipped.push({ path, reason: 'unreadable', detail: errorCode(e) });
            return;
        }
        for (const name of names) await visit(join(path, name), false, depth + 1);
    };

    const visitGlob = async (pattern: string): Promise<void> => {
        const re = globToRegExp(pattern);
        const walk = async (dir: string, depth: number): Promise<void> => {
            if (depth > MAX_DEPTH) return;
            let names: string[];
            try {
                names = (await fs.readdir(dir)).sort();
            } catch {
                return;
            }
            for (const name of names) {
                const path = join(dir, name);
                if (re.test(path)) await visit(path, false, depth + 1);
                else if ((await fs.lstat(path).catch(() => null))?.type === 'dir') await walk(path, depth + 1);
            }
        };
        const base = globBase(pattern);
        if ((await fs.lstat(base).catch(() => null))?.type !== 'dir') plan.skipped.push({ path: pattern, reason: 'missing' });
        else await walk(base, 0);
    };

    for (const source of selection.sources) {
        if (isPattern(source)) await visitGlob(source);
        else await visit(source, true, 0);
    }
    // Hook scripts live outside /etc/pve and are missed by /etc/pve-only archives (field-notes §6).
    const scripts = hookScripts({
        vzdumpConf: (await readText(fs, '/etc/vzdump.conf')) ?? '',
        jobsCfg: (await readText(fs, '/etc/pve/jobs.cfg')) ?? '',
        vzdumpCron: (await readText(fs, '/etc/pve/vzdump.cron')) ?? '',
    });
    for (const script of scripts) await visit(script, true, 0, 'hook script named by vzdump.conf or a backup job');

    const pve = plan.entries.filter((e) => e.hostPath.startsWith('/etc/pve/'));
    if (seen.has('/etc/pve') && pve.length === 0) {
        plan.warnings.push('/etc/pve is empty: pmxcfs was not mounted (pve-cluster not running?); only config.db holds the cluster configuration');
    }
    if (truncated) plan.warnings.push(`more than ${MAX_ENTRIES} paths: the rest was left out (check the include settings)`);
    return plan;
}
