// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Shapes of a configuration archive (`<node>-pve-config-<UTC time>.tar.gz[.age]`): its manifest,
 * the host file system it is read from, and the verification state kept beside it. Pure types;
 * the adapters that read hosts and write archives implement {@link HostFileSystem}.
 */

/** Version of the manifest layout; readers refuse newer ones. */
export const MANIFEST_FORMAT = 1;

/** The manifest's member name; always the LAST member, so every hash is known when it is written. */
export const MANIFEST_MEMBER = 'manifest.json';

export type EntryType = 'file' | 'dir' | 'symlink';

/** One archived path. Member paths are host paths without the leading slash (`etc/pve/user.cfg`). */
export interface ManifestEntry {
    path: string;
    type: EntryType;
    /** Bytes of content (0 for directories and symlinks). */
    size: number;
    /** Permission bits as four octal digits, e.g. `0600`. */
    mode: string;
    uid: number;
    gid: number;
    /** `user:group` as the archived host names them (numbers when it has no name for them). */
    owner: string;
    /** Modification time, epoch seconds. */
    mtime: number;
    /** Hex SHA-256 of the content (files only). */
    sha256?: string;
    /** Link target, stored as is and never followed (symlinks only). */
    target?: string;
}

export type SkipReason = 'missing' | 'unreadable' | 'too-large' | 'not-regular' | 'excluded';

/** A host path that is NOT in the archive, and why. */
export interface SkippedEntry {
    path: string;
    reason: SkipReason;
    detail?: string;
}

export interface ConfigDbInfo {
    /** Member path of the copy (`var/lib/pve-cluster/config.db`). */
    member: string;
    /** `VACUUM INTO` since 0.1; archives made before record `.backup`. */
    method: 'sqlite3 VACUUM INTO' | 'sqlite3 .backup';
    /** `PRAGMA integrity_check` of the copy (`ok` when sound). */
    integrity: string;
}

export interface ArchiveManifest {
    format: number;
    /** `pve-backup-health <version>`. */
    tool: string;
    node: string;
    /** Corosync cluster name; null for a single node. */
    cluster: string | null;
    /** Node names of the corosync nodelist (empty for a single node). */
    clusterNodes: string[];
    createdAt: number;
    /** Where the files were read from, e.g. `/` or `ssh root@10.0.0.2:22 /`. */
    source: string;
    /** pve-manager version, or `unknown`. */
    pveVersion: string;
    /** Package → version, from `pveversion -v` or the dpkg status file. */
    packages: Record<string, string>;
    versionSource: 'pveversion' | 'dpkg' | 'pve-manager' | 'unknown';
    configDb: ConfigDbInfo | null;
    files: ManifestEntry[];
    skipped: SkippedEntry[];
    /** Conditions worth a look that did not stop the archive (e.g. an empty /etc/pve). */
    warnings: string[];
}

/** lstat of a host path, as the archive needs it. */
export interface HostStat {
    type: EntryType | 'other';
    size: number;
    /** Permission bits (0o7777 mask). */
    mode: number;
    uid: number;
    gid: number;
    /** Epoch seconds. */
    mtime: number;
}

/**
 * Read access to one host's files (the local root, a mounted foreign root, or a remote node over
 * SSH). Paths are the host's absolute paths (`/etc/pve/user.cfg`); implementations add their
 * own prefix. Errors carry the system `code` (`ENOENT`, `EACCES`, …).
 */
export interface HostFileSystem {
    /** For messages and the manifest: `/`, `/mnt/old-root`, `ssh root@10.0.0.2:22 /`. */
    readonly label: string;
    /** Null when the path does not exist. Never follows a final symlink. */
    lstat(path: string): Promise<HostStat | null>;
    readdir(path: string): Promise<string[]>;
    /** Whole content; rejects with code `EFBIG` when it is larger than `maxBytes`. */
    readFile(path: string, maxBytes: number): Promise<Uint8Array>;
    readlink(path: string): Promise<string>;
    /**
     * Consistent online copy of the SQLite database `path` (sqlite3 `VACUUM INTO`, never a plain copy of
     * a WAL database) into the new LOCAL file `localDest` (mode 0600). Resolves with the copy's
     * `PRAGMA integrity_check` result.
     */
    backupSqlite(path: string, localDest: string): Promise<{ integrity: string }>;
    /** `pveversion -v` output, or null when it cannot be run there (foreign root, not PVE). */
    pveVersionText(): Promise<string | null>;
    close(): Promise<void>;
}

/** What the archive directory remembers beside the archives (verification, copies, runs). */
export interface ArchiveIndex {
    archives: Record<string, ArchiveIndexEntry>;
    /** Last run per source: `local` or a pull target's name. */
    runs: Record<string, ArchiveRun>;
}

export interface ArchiveIndexEntry {
    verified?: { at: number; ok: boolean; error?: string };
    /** SHA-256 of the archive file as written (the only check possible on an encrypted archive without its identity). */
    sha256?: string;
    /** Push targets holding a copy. */
    copies: string[];
}

export interface ArchiveRun {
    at: number;
    ok: boolean;
    error?: string;
    /** Archive created by the run. */
    name?: string;
    /** Node the source archives (known once one archive was made). */
    node?: string;
}

export function emptyIndex(): ArchiveIndex {
    return { archives: {}, runs: {} };
}

/** Progress of a long archive operation, for the task API and the CLI. */
export interface ArchiveProgress {
    phase: 'database' | 'collecting' | 'writing' | 'verifying' | 'retention' | 'pulling' | 'pushing';
    /** Units done and expected (bytes while writing); total 0 when unknown. */
    done: number;
    total: number;
    message: string;
}

/** An archive file in the archive directory. */
export interface StoredArchive {
    name: string;
    size: number;
    mtime: number;
}

export interface CreateArchiveRequest {
    source: HostFileSystem;
    /** Node name for the archive name; the source's `/etc/hostname` when absent. */
    node?: string;
    createdAt: number;
    include: readonly string[];
    exclude: readonly string[];
    /** age recipients; the archive is encrypted (`.tar.gz.age`) when not empty. */
    recipients: readonly string[];
    /** `pve-backup-health <version>` for the manifest. */
    tool: string;
    /** Files larger than this are skipped as `too-large` (default 64 MiB). */
    maxFileSize?: number;
    onProgress?: (p: ArchiveProgress) => void;
}

export interface CreatedArchive {
    name: string;
    size: number;
    /** SHA-256 of the file's bytes as they were written. */
    sha256: string;
    manifest: ArchiveManifest;
}

export interface VerifyOptions {
    /** SHA-256 recorded when the archive was written; a different file digest fails verification. */
    expectedSha256?: string;
    onProgress?: (p: ArchiveProgress) => void;
}

export interface VerifyOutcome {
    ok: boolean;
    /**
     * `members`: every member re-read and compared with the manifest. `checksum`: an encrypted
     * archive without its identity at hand — only the file digest was compared.
     */
    method: 'members' | 'checksum';
    /** Members compared with the manifest. */
    checked: number;
    errors: string[];
    manifest?: ArchiveManifest;
}

export interface ExtractOutcome {
    target: string;
    /** Members written (files, directories, symlinks). */
    members: number;
    manifest: ArchiveManifest;
}
