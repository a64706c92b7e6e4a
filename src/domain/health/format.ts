// SPDX-License-Identifier: AGPL-3.0-or-later
/** Small, language-neutral formatting for problem messages. */

import { formatRfc3339Utc } from '../time/rfc3339.ts';
import { epochToLocal } from '../time/zoned.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-21 02:00` in the given zone (the node's wall clock, as the admin sees schedules). */
export function formatLocal(epoch: number, timeZone: string): string {
    const l = epochToLocal(epoch, timeZone);
    return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** `3d 4h`, `5h 10m`, `12m`, `40s`. */
export function formatAge(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
    if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
    if (m > 0) return `${m}m`;
    return `${s}s`;
}

/** `4.2 GiB` (binary units, like PVE's GUI). */
export function formatBytes(bytes: number): string {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** RFC 3339 UTC with `Z`, second precision. */
export const rfc3339 = formatRfc3339Utc;

export function guestLabel(name: string, vmid: number): string {
    return `${name} (${vmid})`;
}
