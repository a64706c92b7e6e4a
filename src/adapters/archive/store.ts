// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The archive directory. An archive is written under a hidden temp name, fsynced, renamed and
 * the directory fsynced: a crash or kill -9 at any moment leaves at most a `.…partial` file,
 * which `list` never shows and `cleanPartials` removes once its writer is gone. Disk full fails
 * cleanly with the temp removed and older archives untouched.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatArchiveName, isArchiveFileName, isEncryptedName, parseArchiveName, parsePartialName, partialName } from '../../domain/archive/name.ts';
import { CONFIG_DB_MEMBER, CONFIG_DB_PATH, buildSelection } from '../../domain/archive/selection.ts';
import { MANIFEST_FORMAT, emptyIndex } from '../../domain/archive/types.ts';
import type {
    ArchiveIndex, ArchiveManifest, CreateArchiveRequest, CreatedArchive, ExtractOutcome, SkippedEntry, StoredArchive, VerifyOptions, VerifyOutcome,
} from '../../domain/archive/types.ts';
import { planCollection, readHostFacts } from './collect.ts';
import { extractArchive } from './extract.ts';
import { parseIdentityFile } from './read.ts';
import { readFileMembers, readManifest, verifyArchive } from './verify.ts';
import { type ArchiveSink, writeArchive } from './write.ts';

export interface ArchiveStoreOptions {
    dir: string;
    /** age identity file for reading encrypted archives (never needed to write them). */
    identityFile?: string;
    /** Opens the temp file an archive is written to; tests inject failures (ENOSPC) here. */
    openSink?: (path: string) => Promise<ArchiveSink>;
    /** This writer's id in temp names (the process id). */
    writerId?: number;
    /** Whether the writer of a temp file still runs (default: signal 0 to the process id). */
    writerAlive?: (id: number) => boolean;
}

const INDEX = '.pve-backup-health-index.json';
const STALE_PARTIAL_SECONDS = 2 * 86400;
const DEFAULT_MAX_FILE = 64 * 1024 * 1024;

export async function openFileSink(path: string): Promise<ArchiveSink> {
    const handle = await open(path, 'wx', 0o600);
    await handle.chmod(0o600);
    return {
        async write(chunk) {
            let offset = 0;
            while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
    };
}

async function fileSha256(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
}

async function fsyncDir(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
        await handle.sync();
    } finally {
        await handle.close();
    }
}

function processAlive(id: number): boolean {
    try {
        process.kill(id, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}

function diskFull(e: unknown, dir: string): Error {
    const code = (e as NodeJS.ErrnoException).code;
    const text = e instanceof Error ? e.message : String(e);
    if (code === 'ENOSPC' || /disk is full|ENOSPC|No space left/i.test(text)) {
        return Object.assign(new Error(`disk full (ENOSPC) while writing to ${dir}: no archive was created; older archives are untouched`), { code: 'ENOSPC' });
    }
    return e instanceof Error ? e : new Error(text);
}

export type ArchiveStoreAdapter = ReturnType<typeof createArchiveStore>;

export function createArchiveStore(options: ArchiveStoreOptions) {
    const dir = resolve(options.dir);
    const writerId = options.writerId ?? process.pid;
    const openSink = options.openSink ?? openFileSink;
    const alive = options.writerAlive ?? processAlive;
    let identities: string[] | undefined;

    const keys = async (): Promise<string[]> => {
        if (identities === undefined) {
            identities = options.identityFile === undefined ? [] : parseIdentityFile(await readFile(options.identityFile, 'utf8'));
        }
        return identities;
    };
    /** A name in the directory, or (for the CLI) an absolute path to an archive file anywhere. */
    const pathOf = (ref: string): string => {
        const path = ref.startsWith('/') ? ref : join(dir, ref);
        if (!isArchiveFileName(basename(path)) || (!ref.startsWith('/') && ref.includes('/'))) {
            throw new Error(`'${ref}' is not an archive name (<node>-pve-config-<time>.tar.gz[.age])`);
        }
        return path;
    };

    async function create(req: CreateArchiveRequest): Promise<CreatedArchive> {
        const progress = (phase: 'database' | 'collecting', message: string): void => req.onProgress?.({ phase, done: 0, total: 0, message });
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const facts = await readHostFacts(req.source);
        const node = req.node ?? facts.hostname;
        if (node === null) throw new Error(`cannot tell the node name of ${req.source.label} (no usable /etc/hostname): pass --node`);
        const name = formatArchiveName(node, req.createdAt, req.recipients.length > 0);
        const final = join(dir, name);
        if (await stat(final).catch(() => null)) throw new Error(`${final} already exists`);
        const partial = join(dir, partialName(name, writerId));
        // A private directory: sqlite3 may put -wal/-shm files beside the copy.
        const dbDir = join(dir, `.${name}.${writerId}.config-db.partial`);
        const dbCopy = join(dbDir, 'config.db');
        let sink: ArchiveSink | undefined;
        try {
            // The database first: its point in time is the archive's.
            progress('database', `sqlite3 VACUUM INTO of ${CONFIG_DB_PATH}`);
            const extraSkipped: SkippedEntry[] = [];
            const warnings: string[] = [];
            let db: { localPath: string; member: string; integrity: string } | null = null;
            const dbStat = await req.source.lstat(CONFIG_DB_PATH).catch(() => null);
            if (dbStat?.type === 'file') {
                try {
                    await mkdir(dbDir, { mode: 0o700 });
                    const { integrity } = await req.source.backupSqlite(CONFIG_DB_PATH, dbCopy);
                    db = { localPath: dbCopy, member: CONFIG_DB_MEMBER, integrity };
                    if (integrity !== 'ok') warnings.push(`config.db integrity check of the copy: ${integrity}`);
                } catch (e) {
                    const why = diskFull(e, dir);
                    if ((why as NodeJS.ErrnoException).code === 'ENOSPC') throw why;
                    extraSkipped.push({ path: CONFIG_DB_PATH, reason: 'unreadable', detail: why.message });
                    warnings.push(`config.db could not be backed up: ${why.message}`);
                }
            } else extraSkipped.push({ path: CONFIG_DB_PATH, reason: 'missing' });
            progress('collecting', `reading ${req.source.label}`);
            // Never archive the archives: an include of /var/lib could otherwise reach this directory.
            const plan = await planCollection(req.source, buildSelection(req.include, [...req.exclude, dir]));
            plan.skipped.unshift(...extraSkipped);
            plan.warnings.unshift(...warnings);
            const file = await openSink(partial);
            sink = file;
            const digest = createHash('sha256');
            const hashing: ArchiveSink = {
                write: (chunk) => {
                    digest.update(chunk);
                    return file.write(chunk);
                },
                sync: () => file.sync(),
                close: () => file.close(),
            };
            const manifest = await writeArchive(
                {
                    fs: req.source,
                    plan,
                    facts,
                    db,
                    manifest: {
                        format: MANIFEST_FORMAT,
                        tool: req.tool,
                        node,
                        cluster: facts.corosync.cluster,
                        clusterNodes: facts.corosync.nodes,
                        createdAt: req.createdAt,
                        source: req.source.label,
                        ...facts.versions,
                    },
                    maxFileSize: req.maxFileSize ?? DEFAULT_MAX_FILE,
                    recipients: req.recipients,
                    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
                },
                hashing,
            );
            await sink.sync();
            const closing = sink;
            sink = undefined;
            await closing.close();
            if (await stat(final).catch(() => null)) throw new Error(`${final} appeared while writing; not replaced`);
            await rename(partial, final);
            await fsyncDir(dir);
            return { name, size: (await stat(final)).size, sha256: digest.digest('hex'), manifest };
        } catch (e) {
            throw diskFull(e, dir);
        } finally {
            await sink?.close().catch(() => undefined);
            await rm(partial, { force: true }).catch(() => undefined);
            await rm(dbDir, { force: true, recursive: true }).catch(() => undefined);
        }
    }

    return {
        dir,
        create,
        async list(): Promise<StoredArchive[]> {
            const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
                if (e.code === 'ENOENT') return [] as string[];
                throw e;
            });
            const out: StoredArchive[] = [];
            for (const name of names) {
                if (!parseArchiveName(name)) continue;
                const s = await stat(join(dir, name)).catch(() => null);
                if (s?.isFile()) out.push({ name, size: s.size, mtime: Math.floor(s.mtimeMs / 1000) });
            }
            return out.sort((a, b) => a.name.localeCompare(b.name));
        },
        /** Removes temp files whose writer is gone (or older than two days); returns their names. */
        async cleanPartials(): Promise<string[]> {
            const removed: string[] = [];
            for (const name of await readdir(dir).catch(() => [] as string[])) {
                const p = parsePartialName(name);
                if (!p || p.writerId === writerId) continue;
                const s = await stat(join(dir, name)).catch(() => null);
                const old = s !== null && Date.now() / 1000 - s.mtimeMs / 1000 > STALE_PARTIAL_SECONDS;
                if (alive(p.writerId) && !old) continue;
                await rm(join(dir, name), { force: true, recursive: true });
                removed.push(name);
            }
            return removed;
        },
        async verify(ref: string, options: VerifyOptions = {}): Promise<VerifyOutcome> {
            const path = pathOf(ref);
            await stat(path);
            const ids = await keys();
            let digestError: string | undefined;
            if (options.expectedSha256 !== undefined) {
                const actual = await fileSha256(path);
                if (actual !== options.expectedSha256) {
                    digestError = `the file's SHA-256 ${actual.slice(0, 16)}… differs from the ${options.expectedSha256.slice(0, 16)}… recorded when it was written`;
                }
            }
            // Only the public key is on the host: without the identity, the digest is all we can check.
            if (isEncryptedName(path) && ids.length === 0 && options.expectedSha256 !== undefined) {
                return { ok: digestError === undefined, method: 'checksum', checked: 0, errors: digestError ? [digestError] : [] };
            }
            const result = await verifyArchive(path, ids, options.onProgress);
            if (digestError) return { ...result, ok: false, errors: [digestError, ...result.errors] };
            return result;
        },
        async manifest(ref: string): Promise<ArchiveManifest> {
            return readManifest(pathOf(ref), await keys());
        },
        async readContents(ref: string, paths: readonly string[], maxBytes: number): Promise<Map<string, Uint8Array>> {
            return readFileMembers(pathOf(ref), await keys(), paths, maxBytes);
        },
        async open(ref: string): Promise<{ size: number; stream: NodeJS.ReadableStream }> {
            const path = pathOf(ref);
            const s = await stat(path);
            return { size: s.size, stream: createReadStream(path) };
        },
        async remove(name: string): Promise<void> {
            if (!parseArchiveName(name)) throw new Error(`'${name}' is not an archive name`);
            await unlink(join(dir, name));
        },
        async extract(ref: string, target: string): Promise<ExtractOutcome> {
            return extractArchive(pathOf(ref), await keys(), target);
        },
        async exists(ref: string): Promise<boolean> {
            return (await stat(pathOf(ref)).catch(() => null))?.isFile() === true;
        },
        async readIndex(): Promise<ArchiveIndex> {
            try {
                const data = JSON.parse(await readFile(join(dir, INDEX), 'utf8')) as Partial<ArchiveIndex>;
                return { archives: data.archives ?? {}, runs: data.runs ?? {} };
            } catch {
                return emptyIndex();
            }
        },
        async writeIndex(index: ArchiveIndex): Promise<void> {
            await mkdir(dir, { recursive: true, mode: 0o700 });
            const temp = join(dir, `${INDEX}.${writerId}.partial`);
            const handle = await open(temp, 'w', 0o600);
            try {
                await handle.writeFile(`${JSON.stringify(index, null, 1)}\n`);
                await handle.sync();
            } finally {
                await handle.close();
            }
            await rename(temp, join(dir, INDEX));
            await fsyncDir(dirname(temp));
        },
    };
}
