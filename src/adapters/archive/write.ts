// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Produces the archive's bytes: members from the collection plan, the database copy, then
 * `manifest.json` (last, so every hash in it is of the bytes actually written), through gzip and
 * optionally age, into a sink. The sink is the only thing that touches the output file.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGzip } from 'node:zlib';
import { Encrypter } from 'age-encryption';
import { modeText, ownerText } from '../../domain/archive/host-facts.ts';
import { MANIFEST_MEMBER } from '../../domain/archive/types.ts';
import type { ArchiveManifest, ArchiveProgress, ManifestEntry, SkippedEntry } from '../../domain/archive/types.ts';
import type { CollectionPlan, HostFacts } from './collect.ts';
import type { HostFileSystem } from '../../domain/archive/types.ts';
import { endOfArchive, memberHeader, padding } from './tar-format.ts';
import { ensureWebCrypto } from './web-crypto.ts';

/** Where the archive's bytes go; the store's default writes a file and fsyncs it. */
export interface ArchiveSink {
    write(chunk: Uint8Array): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
}

export interface WriteInput {
    fs: HostFileSystem;
    plan: CollectionPlan;
    facts: HostFacts;
    /** The database copy (a local file we own) and its member path. */
    db: { localPath: string; member: string; integrity: string } | null;
    manifest: Omit<ArchiveManifest, 'files' | 'skipped' | 'warnings' | 'configDb'>;
    maxFileSize: number;
    recipients: readonly string[];
    onProgress?: (p: ArchiveProgress) => void;
}

function readErrorReason(e: unknown): Pick<SkippedEntry, 'reason' | 'detail'> {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { reason: 'missing', detail: 'vanished while archiving' };
    if (code === 'EFBIG') return { reason: 'too-large', detail: e instanceof Error ? e.message : String(e) };
    return { reason: 'unreadable', detail: code ?? (e instanceof Error ? e.message : String(e)) };
}

async function* members(input: WriteInput, out: { manifest?: ArchiveManifest }): AsyncGenerator<Buffer> {
    const { fs, plan, facts } = input;
    const files: ManifestEntry[] = [];
    const skipped = [...plan.skipped];
    const total = plan.entries.reduce((n, e) => n + (e.stat.type === 'file' ? e.stat.size : 0), 0);
    let done = 0;
    const progress = (message: string): void => input.onProgress?.({ phase: 'writing', done, total, message });

    if (input.db) {
        const s = await stat(input.db.localPath);
        const m = { path: input.db.member, type: 'file' as const, size: s.size, mode: 0o600, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: input.manifest.createdAt };
        yield memberHeader(m);
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of createReadStream(input.db.localPath, { end: s.size - 1 })) {
            hash.update(chunk as Buffer);
            size += (chunk as Buffer).length;
            yield chunk as Buffer;
        }
        if (size !== s.size) throw new Error(`database copy changed size while archiving (${s.size} → ${size} bytes)`);
        yield padding(size);
        files.push({ path: m.path, type: 'file', size, mode: '0600', uid: 0, gid: 0, owner: 'root:root', mtime: m.mtime, sha256: hash.digest('hex') });
    }
    for (const entry of plan.entries) {
        const st = entry.stat;
        const base = { path: entry.member, mode: st.mode, uid: st.uid, gid: st.gid, mtime: st.mtime };
        const names = { uname: facts.users.get(st.uid), gname: facts.groups.get(st.gid) };
        const owner = ownerText(st.uid, st.gid, facts.users, facts.groups);
        const named = { ...(names.uname ? { uname: names.uname } : {}), ...(names.gname ? { gname: names.gname } : {}) };
        if (st.type === 'dir') {
            yield memberHeader({ ...base, ...named, type: 'dir', size: 0 });
            files.push({ path: entry.member, type: 'dir', size: 0, mode: modeText(st.mode), uid: st.uid, gid: st.gid, owner, mtime: st.mtime });
        } else if (st.type === 'symlink') {
            let target: string;
            try {
                target = await fs.readlink(entry.hostPath);
            } catch (e) {
                skipped.push({ path: entry.hostPath, ...readErrorReason(e) });
                continue;
            }
            yield memberHeader({ ...base, ...named, type: 'symlink', size: 0, target });
            files.push({ path: entry.member, type: 'symlink', size: 0, mode: modeText(st.mode), uid: st.uid, gid: st.gid, owner, mtime: st.mtime, target });
        } else {
            let data: Uint8Array;
            try {
                data = await fs.readFile(entry.hostPath, input.maxFileSize);
            } catch (e) {
                skipped.push({ path: entry.hostPath, ...readErrorReason(e) });
                continue;
            }
            progress(entry.hostPath);
            yield memberHeader({ ...base, ...named, type: 'file', size: data.length });
            yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
            yield padding(data.length);
            done += data.length;
            const sha256 = createHash('sha256').update(data).digest('hex');
            files.push({ path: entry.member, type: 'file', size: data.length, mode: modeText(st.mode), uid: st.uid, gid: st.gid, owner, mtime: st.mtime, sha256 });
        }
    }
    const manifest: ArchiveManifest = {
        ...input.manifest,
        configDb: input.db ? { member: input.db.member, method: 'sqlite3 VACUUM INTO', integrity: input.db.integrity } : null,
        files,
        skipped,
        warnings: plan.warnings,
    };
    const json = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
    yield memberHeader({ path: MANIFEST_MEMBER, type: 'file', size: json.length, mode: 0o600, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: input.manifest.createdAt });
    yield json;
    yield padding(json.length);
    yield endOfArchive();
    out.manifest = manifest;
    progress('manifest written');
}

function sinkStream(sink: ArchiveSink): Writable {
    return new Writable({
        write(chunk: Buffer, _enc, cb) {
            sink.write(chunk).then(() => cb(), cb);
        },
    });
}

/** Streams the archive into `sink` (not synced or closed here); resolves with the manifest written. */
export async function writeArchive(input: WriteInput, sink: ArchiveSink): Promise<ArchiveManifest> {
    const out: { manifest?: ArchiveManifest } = {};
    const source = Readable.from(members(input, out));
    const gzip = createGzip({ level: 6 });
    try {
        if (input.recipients.length === 0) {
            await pipeline(source, gzip, sinkStream(sink));
        } else {
            ensureWebCrypto();
            const encrypter = new Encrypter();
            for (const r of input.recipients) encrypter.addRecipient(r);
            source.on('error', (e) => gzip.destroy(e));
            source.pipe(gzip);
            const plain = Readable.toWeb(gzip) as unknown as ReadableStream<Uint8Array>;
            const encrypted = await encrypter.encrypt(plain);
            await pipeline(Readable.fromWeb(encrypted as unknown as WebReadableStream), sinkStream(sink));
        }
    } finally {
        source.destroy();
        gzip.destroy();
    }
    if (!out.manifest) throw new Error('archive stream ended before the manifest was written');
    return out.manifest;
}
