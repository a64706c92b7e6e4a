// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Archive file names: `<node>-pve-config-<UTC time>.tar.gz`, `.tar.gz.age` when encrypted, the time
 * in ISO 8601 basic form (`20261121T013000Z`: sortable, no colons for scp and Windows shares).
 * Parsing anchors the whole name, so archives of node `pve` are never confused with those of
 * `pve2` (a rotation bug other scripts had, field-notes §6).
 */

import { formatRfc3339Utc, parseRfc3339 } from '../time/rfc3339.ts';

/** A PVE node name is a host name label. */
const NODE_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)-pve-config-(\d{8}T\d{6}Z)\.tar\.gz(\.age)?$/;

export interface ArchiveName {
    node: string;
    createdAt: number;
    encrypted: boolean;
}

export function isValidNodeName(node: string): boolean {
    return NODE_RE.test(node);
}

/** Throws when `node` is not a valid node name (it becomes part of a file name). */
export function formatArchiveName(node: string, createdAt: number, encrypted: boolean): string {
    if (!isValidNodeName(node)) throw new Error(`invalid node name '${node}' for an archive name (letters, digits and '-')`);
    const stamp = formatRfc3339Utc(Math.floor(createdAt)).replace(/[-:]/g, '');
    return `${node}-pve-config-${stamp}.tar.gz${encrypted ? '.age' : ''}`;
}

/** The parts of a well-formed archive name; null for anything else (partials, other files, paths). */
export function parseArchiveName(name: string): ArchiveName | null {
    const m = NAME_RE.exec(name);
    if (!m) return null;
    const s = m[2] as string;
    const text = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
    const createdAt = parseRfc3339(text);
    // parseRfc3339 accepts a leap second; a name must round-trip exactly.
    if (createdAt === null || formatRfc3339Utc(createdAt) !== text) return null;
    return { node: m[1] as string, createdAt, encrypted: m[3] !== undefined };
}

/**
 * A file name that may be opened as an archive by the CLI (a user may rename a copy): a plain
 * name, not hidden, ending in `.tar.gz` or `.tar.gz.age`. Partials (`.name.partial`) never pass.
 */
export function isArchiveFileName(name: string): boolean {
    return (
        name.length > 0 &&
        name.length <= 255 &&
        !name.startsWith('.') &&
        !/[/\\\0]/.test(name) &&
        (name.endsWith('.tar.gz') || name.endsWith('.tar.gz.age'))
    );
}

export function isEncryptedName(name: string): boolean {
    return name.endsWith('.age');
}

/** Temp name a writer uses until the archive is complete: hidden, never parses as an archive. */
export function partialName(name: string, writerId: number): string {
    return `.${name}.${writerId}.partial`;
}

/** Parses a temp name back: the writer id (process id) that owns it. */
export function parsePartialName(file: string): { writerId: number } | null {
    const m = /^\..+\.(\d+)(?:\.[a-z-]+)?\.partial$/.exec(file);
    return m ? { writerId: Number(m[1]) } : null;
}
