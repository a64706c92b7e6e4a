// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * pmxcfs status files (`/etc/pve/.members`, `/etc/pve/.vmlist`, pve-platform.md §4.7), guest
 * configs for names/tags/template, and the node's time zone.
 */

import type { SourceError } from '../../domain/model.ts';
import { toBool, toInt, toStr } from '../../domain/pve/coerce.ts';
import type { HostFiles } from './host-files.ts';

export interface MemberNode {
    name: string;
    online: boolean;
    ip?: string;
}

export interface Members {
    localNode: string;
    cluster?: string;
    nodes: MemberNode[];
}

export interface VmlistEntry {
    vmid: number;
    node: string;
    type: 'qemu' | 'lxc';
}

export interface GuestConfig {
    name?: string;
    template: boolean;
    tags: string[];
    lock?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `.members`; a stand-alone node has only `nodename` and `version`. */
export function parseMembers(text: string): Members | string {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        return `not valid JSON: ${(err as Error).message}`;
    }
    if (!isObj(data) || typeof data.nodename !== 'string') return 'no nodename';
    const out: Members = { localNode: data.nodename, nodes: [] };
    if (isObj(data.cluster) && typeof data.cluster.name === 'string') out.cluster = data.cluster.name;
    if (isObj(data.nodelist)) {
        for (const [name, v] of Object.entries(data.nodelist)) {
            const n: MemberNode = { name, online: isObj(v) ? (toBool(v.online) ?? false) : false };
            const ip = isObj(v) ? toStr(v.ip) : null;
            if (ip) n.ip = ip;
            out.nodes.push(n);
        }
    }
    if (!out.nodes.some((n) => n.name === out.localNode)) out.nodes.unshift({ name: out.localNode, online: true });
    return out;
}

/** `.vmlist`: `{"ids": {"100": {"node", "type"}}}`. */
export function parseVmlist(text: string): VmlistEntry[] | string {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        return `not valid JSON: ${(err as Error).message}`;
    }
    if (!isObj(data) || !isObj(data.ids)) return 'no "ids" object';
    const out: VmlistEntry[] = [];
    for (const [id, v] of Object.entries(data.ids)) {
        const vmid = toInt(id);
        if (vmid === null || !isObj(v) || typeof v.node !== 'string' || (v.type !== 'qemu' && v.type !== 'lxc')) continue;
        out.push({ vmid, node: v.node, type: v.type });
    }
    return out.sort((a, b) => a.vmid - b.vmid);
}

/** The current configuration of a guest (the part before the first `[snapshot]` section). */
export function parseGuestConfig(text: string): GuestConfig {
    const out: GuestConfig = { template: false, tags: [] };
    for (const line of text.split('\n')) {
        if (line.startsWith('[')) break;
        const m = /^([a-z][a-z0-9_-]*):\s*(.*?)\s*$/.exec(line);
        if (!m) continue;
        const [, key, value] = m as unknown as [string, string, string];
        if (key === 'name' || key === 'hostname') out.name = value;
        else if (key === 'template') out.template = toBool(value) ?? false;
        else if (key === 'tags') out.tags = value.split(/[;,\s]+/).filter((t) => t !== '');
        else if (key === 'lock') out.lock = value;
    }
    return out;
}

/** The node's IANA zone: `/etc/timezone`, else the `/etc/localtime` symlink target. */
export async function readTimeZone(files: HostFiles, errors: SourceError[]): Promise<string> {
    const tz = await files.read('/etc/timezone');
    if (tz.kind === 'ok' && tz.text.trim() !== '') return tz.text.trim();
    const link = await files.link('/etc/localtime');
    const m = link ? /zoneinfo\/(.+)$/.exec(link) : null;
    if (m) return m[1] as string;
    errors.push({ what: '/etc/timezone', message: 'time zone not found (/etc/timezone, /etc/localtime); assuming UTC' });
    return 'UTC';
}

export function guestConfigPath(e: VmlistEntry): string {
    return `/etc/pve/nodes/${e.node}/${e.type === 'qemu' ? 'qemu-server' : 'lxc'}/${e.vmid}.conf`;
}
