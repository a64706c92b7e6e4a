// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Tar members written by hand with node-tar's header encoder: we hold each member's bytes (or a
 * file we own) when its header is written, so the size in the header, the bytes in the archive
 * and the SHA-256 in the manifest always describe the same content.
 */

import { Header, Pax } from 'tar';
import type { EntryType } from '../../domain/archive/types.ts';

const BLOCK = 512;

export interface TarMember {
    path: string;
    type: EntryType;
    size: number;
    mode: number;
    uid: number;
    gid: number;
    uname?: string;
    gname?: string;
    mtime: number;
    target?: string;
}

const TAR_TYPE: Record<EntryType, 'File' | 'Directory' | 'SymbolicLink'> = {
    file: 'File',
    dir: 'Directory',
    symlink: 'SymbolicLink',
};

/** Header block(s) of a member: a PAX extended header first when ustar cannot hold a field. */
export function memberHeader(m: TarMember): Buffer {
    const data = {
        path: m.type === 'dir' ? `${m.path}/` : m.path,
        mode: m.mode & 0o7777,
        uid: m.uid,
        gid: m.gid,
        size: m.type === 'file' ? m.size : 0,
        mtime: new Date(m.mtime * 1000),
        type: TAR_TYPE[m.type],
        ...(m.uname !== undefined ? { uname: m.uname } : {}),
        ...(m.gname !== undefined ? { gname: m.gname } : {}),
        ...(m.target !== undefined ? { linkpath: m.target } : {}),
    };
    const header = new Header(data);
    const needPax = header.encode();
    const block = header.block as Buffer;
    if (!needPax) return block;
    const pax = new Pax({
        path: data.path,
        size: data.size,
        uid: m.uid,
        gid: m.gid,
        mtime: data.mtime,
        ...(m.uname !== undefined ? { uname: m.uname } : {}),
        ...(m.gname !== undefined ? { gname: m.gname } : {}),
        ...(m.target !== undefined ? { linkpath: m.target } : {}),
    }).encode();
    return Buffer.concat([pax, block]);
}

/** Zero bytes that round a member's content up to the block size. */
export function padding(size: number): Buffer {
    const rest = size % BLOCK;
    return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** The end-of-archive marker: two zero blocks. */
export function endOfArchive(): Buffer {
    return Buffer.alloc(2 * BLOCK);
}
