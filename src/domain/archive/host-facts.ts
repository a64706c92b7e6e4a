// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Facts about the archived host read from its own files: node name, cluster, PVE and package
 * versions, owner names. Every parser tolerates garbage and returns what it could read; a
 * manifest never fails for want of a version.
 */

import type { ArchiveManifest } from './types.ts';

/** Node name from `/etc/hostname`: the first label of the first line; null when unusable. */
export function nodeFromHostname(text: string | null): string | null {
    const first = text?.split('\n')[0]?.trim().split('.')[0] ?? '';
    return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(first) ? first : null;
}

export interface CorosyncFacts {
    cluster: string | null;
    nodes: string[];
}

/** `cluster_name` and the nodelist's node names of a corosync.conf. */
export function parseCorosyncConf(text: string | null): CorosyncFacts {
    if (!text) return { cluster: null, nodes: [] };
    const cluster = /^\s*cluster_name\s*:\s*(\S+)\s*$/m.exec(text)?.[1] ?? null;
    const nodes: string[] = [];
    const stack: string[] = [];
    for (const raw of text.split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        const open = /^([A-Za-z_]+)\s*\{$/.exec(line);
        if (open) stack.push(open[1] as string);
        else if (line === '}') stack.pop();
        else if (stack.join('/') === 'nodelist/node') {
            const name = /^name\s*:\s*(\S+)$/.exec(line)?.[1];
            if (name !== undefined && !nodes.includes(name)) nodes.push(name);
        }
    }
    return { cluster, nodes };
}

export interface VersionFacts {
    pveVersion: string;
    packages: Record<string, string>;
    versionSource: ArchiveManifest['versionSource'];
}

/** `pveversion -v` lines (`pve-manager: 8.2.4 (running version: …)`). */
export function parsePveVersion(text: string): VersionFacts | null {
    const packages: Record<string, string> = {};
    for (const line of text.split('\n')) {
        const m = /^([a-z0-9][a-z0-9.+-]*):\s*(\S.*)$/.exec(line.trim());
        if (m) packages[m[1] as string] = (m[2] as string).trim();
    }
    const manager = packages['pve-manager'];
    if (manager === undefined) return null;
    return { pveVersion: manager.split(/\s/)[0] as string, packages, versionSource: 'pveversion' };
}

const PVE_PACKAGE = /^(?:proxmox-|pve-|libpve-|libproxmox|qemu-server|corosync|libknet|zfsutils-linux|ceph|lxc-pve|lxcfs|spiceterm|vncterm|novnc-pve|ifupdown2|lvm2|frr)/;

/** Installed PVE-related packages from a dpkg `status` file. */
export function parseDpkgStatus(text: string): VersionFacts | null {
    const packages: Record<string, string> = {};
    for (const para of text.split(/\n\s*\n/)) {
        const name = /^Package:\s*(\S+)$/m.exec(para)?.[1];
        const version = /^Version:\s*(\S+)$/m.exec(para)?.[1];
        const status = /^Status:\s*(.+)$/m.exec(para)?.[1] ?? '';
        if (name && version && status.trim().endsWith(' installed') && PVE_PACKAGE.test(name)) packages[name] = version;
    }
    const manager = packages['pve-manager'];
    if (manager === undefined) return Object.keys(packages).length > 0 ? { pveVersion: 'unknown', packages, versionSource: 'dpkg' } : null;
    return { pveVersion: manager, packages, versionSource: 'dpkg' };
}

/** Versions from whatever the host offers, best first; never fails. */
export function versionFacts(sources: { pveversion: string | null; dpkgStatus: string | null; hasPveManagerDir: boolean }): VersionFacts {
    const fromTool = sources.pveversion === null ? null : parsePveVersion(sources.pveversion);
    if (fromTool) return fromTool;
    const fromDpkg = sources.dpkgStatus === null ? null : parseDpkgStatus(sources.dpkgStatus);
    if (fromDpkg) return fromDpkg;
    return { pveVersion: 'unknown', packages: {}, versionSource: sources.hasPveManagerDir ? 'pve-manager' : 'unknown' };
}

/** id → name from `/etc/passwd` or `/etc/group` (`name:x:id:…`). */
export function parseIdNames(text: string | null): Map<number, string> {
    const out = new Map<number, string>();
    for (const line of (text ?? '').split('\n')) {
        const f = line.split(':');
        const id = Number(f[2]);
        if (f[0] && f.length >= 3 && Number.isInteger(id) && !out.has(id)) out.set(id, f[0]);
    }
    return out;
}

export function ownerText(uid: number, gid: number, users: Map<number, string>, groups: Map<number, string>): string {
    return `${users.get(uid) ?? uid}:${groups.get(gid) ?? gid}`;
}

export function modeText(mode: number): string {
    return (mode & 0o7777).toString(8).padStart(4, '0');
}
