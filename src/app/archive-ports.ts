// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Ports of the configuration-archive use case. Adapters implement them structurally
 * (src/adapters/archive: store and local host; src/adapters/ssh: remote hosts and SFTP push);
 * `compose.ts` wires them. Every shape they exchange is a domain type.
 *
 * Usage: `new ArchiveService({ store, hosts, copier, clock, settings, timeZone, tool })`.
 */

import type { PullTarget, PushTarget } from '../domain/archive/settings.ts';
import type {
    ArchiveIndex, ArchiveManifest, CreateArchiveRequest, CreatedArchive, ExtractOutcome, HostFileSystem, StoredArchive, VerifyOptions,
    VerifyOutcome,
} from '../domain/archive/types.ts';

/**
 * The archive directory. `ref` is an archive name in it, or an absolute path to an archive file
 * elsewhere (CLI only; the service accepts names only). Rejections carry a message naming the
 * archive; a full disk rejects with `code: 'ENOSPC'` after removing its temp file; reading an
 * encrypted archive without its identity rejects with `code: 'ENCRYPTED'`.
 */
export interface ArchiveStore {
    readonly dir: string;
    /** Complete archives (well-formed names only; temp files never appear). */
    list(): Promise<StoredArchive[]>;
    /** Removes temp files left by writers that died; returns their names. */
    cleanPartials(): Promise<string[]>;
    /** Reads the host, writes the archive atomically (temp name, fsync, rename). */
    create(request: CreateArchiveRequest): Promise<CreatedArchive>;
    /**
     * Re-reads every member against the manifest (and the file digest when one is given); never
     * rejects for a corrupt archive. An encrypted archive without the identity at hand is checked
     * by its digest only (`method: 'checksum'`).
     */
    verify(ref: string, options?: VerifyOptions): Promise<VerifyOutcome>;
    manifest(ref: string): Promise<ArchiveManifest>;
    /** Contents of the named file members, each at most `maxBytes` (larger ones left out). */
    readContents(ref: string, paths: readonly string[], maxBytes: number): Promise<Map<string, Uint8Array>>;
    open(ref: string): Promise<{ size: number; stream: NodeJS.ReadableStream }>;
    exists(ref: string): Promise<boolean>;
    remove(name: string): Promise<void>;
    /** Verifies, then extracts into an empty staging directory (refuses live system paths). */
    extract(ref: string, target: string): Promise<ExtractOutcome>;
    readIndex(): Promise<ArchiveIndex>;
    writeIndex(index: ArchiveIndex): Promise<void>;
}

/** Hosts whose configuration can be archived: this one (or a mounted root) and remote nodes. */
export interface ArchiveHosts {
    local(sourceRoot?: string): HostFileSystem;
    /** Connects over SSH with the pinned host key; rejects when the key does not match. */
    remote(target: PullTarget): Promise<HostFileSystem>;
}

/** Off-host copies. */
export interface RemoteCopier {
    /** Uploads the archive under its name into `target.path` (temp name, then rename). */
    push(target: PushTarget, archive: { name: string; size: number; stream: NodeJS.ReadableStream }): Promise<void>;
}
