// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Unique process ids of PVE and PBS tasks (pve-platform.md §4.5):
 * PVE `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`,
 * PBS `UPID:<node>:<pid>:<pstart>:<task_id>:<starttime>:<type>:<id>:<user>:`.
 */

export interface Upid {
    kind: 'pve' | 'pbs';
    node: string;
    pid: number;
    /** Process start in clock ticks since boot. */
    pstart: number;
    /** PBS only: the worker's task counter. */
    taskId?: number;
    /** Epoch seconds. */
    startTime: number;
    type: string;
    /** Empty for multi-guest vzdump tasks. */
    id: string;
    /** The user part of the auth id (`root@pam`, `backup@pve`), without the token name. */
    user: string;
    /** Token name for `user@realm!token` tasks. */
    tokenId?: string;
    /** The string as parsed. */
    raw: string;
}

const NODE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const HEX8 = /^[0-9A-Fa-f]{8}$/;
const PSTART = /^[0-9A-Fa-f]{8,9}$/;
const TASK_ID = /^[0-9A-Fa-f]{8,16}$/;
const TYPE = /^[^:\s/]+$/;
const ID = /^[^:\s/]*$/;
const USER = /^[^:\s/]+$/;

/** Parses a PVE or PBS UPID (upper- or lower-case hex; the trailing colon is required). */
export function parseUpid(text: string): Upid | null {
    if (typeof text !== 'string' || text.length > 1024 || !text.startsWith('UPID:') || !text.endsWith(':')) {
        return null;
    }
    const parts = text.slice(5, -1).split(':');
    let node: string;
    let pid: string;
    let pstart: string;
    let taskId: string | undefined;
    let start: string;
    let type: string;
    let id: string;
    let auth: string;
    if (parts.length === 7) {
        [node, pid, pstart, start, type, id, auth] = parts as [string, string, string, string, string, string, string];
    } else if (parts.length === 8) {
        [node, pid, pstart, taskId, start, type, id, auth] = parts as [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
            string,
        ];
        if (!TASK_ID.test(taskId)) return null;
    } else {
        return null;
    }
    if (!NODE.test(node) || !HEX8.test(pid) || !PSTART.test(pstart) || !HEX8.test(start)) return null;
    if (!TYPE.test(type) || !ID.test(id) || !USER.test(auth)) return null;
    const bang = auth.indexOf('!');
    const upid: Upid = {
        kind: taskId === undefined ? 'pve' : 'pbs',
        node,
        pid: Number.parseInt(pid, 16),
        pstart: Number.parseInt(pstart, 16),
        startTime: Number.parseInt(start, 16),
        type,
        id,
        user: bang < 0 ? auth : auth.slice(0, bang),
        raw: text,
    };
    if (taskId !== undefined) upid.taskId = Number.parseInt(taskId, 16);
    if (bang >= 0) upid.tokenId = auth.slice(bang + 1);
    return upid;
}

/** Writes a UPID the way PVE/PBS do: hex fields upper-case, zero-padded to 8 digits. */
export function formatUpid(upid: Omit<Upid, 'raw' | 'kind'> & { kind?: Upid['kind'] }): string {
    const hex = (n: number): string => Math.max(0, Math.trunc(n)).toString(16).toUpperCase().padStart(8, '0');
    const auth = upid.tokenId === undefined ? upid.user : `${upid.user}!${upid.tokenId}`;
    const pbs = upid.kind === 'pbs' || (upid.kind === undefined && upid.taskId !== undefined);
    const task = pbs ? `${hex(upid.taskId ?? 0)}:` : '';
    return `UPID:${upid.node}:${hex(upid.pid)}:${hex(upid.pstart)}:${task}${hex(upid.startTime)}:${upid.type}:${upid.id}:${auth}:`;
}
