// SPDX-License-Identifier: AGPL-3.0-or-later
/** Re-reads every member of an archive and compares it with the manifest inside. */

import { createHash } from 'node:crypto';
import { validateManifest } from '../../domain/archive/manifest.ts';
import { checkMemberPath } from '../../domain/archive/paths.ts';
import { MANIFEST_MEMBER } from '../../domain/archive/types.ts';
import type { ArchiveManifest, ArchiveProgress, VerifyOutcome } from '../../domain/archive/types.ts';
import { type MemberInfo, readMembers } from './read.ts';

const MAX_MANIFEST = 64 * 1024 * 1024;
const MAX_ERRORS = 50;

interface Seen {
    info: MemberInfo;
    size: number;
    sha256?: string;
}

function compare(manifest: ArchiveManifest, seen: Map<string, Seen>, errors: string[]): void {
    const listed = new Set<string>();
    for (const f of manifest.files) {
        listed.add(f.path);
        const m = seen.get(f.path);
        if (!m) {
            errors.push(`${f.path}: in the manifest but not in the archive`);
            continue;
        }
        if (m.info.type !== f.type) errors.push(`${f.path}: is a ${m.info.type} in the archive, the manifest says ${f.type}`);
        else if (f.type === 'file' && (m.size !== f.size || m.sha256 !== f.sha256)) {
            errors.push(`${f.path}: content does not match the manifest (${m.size} bytes, SHA-256 ${m.sha256?.slice(0, 12)}…; expected ${f.size} bytes, ${f.sha256?.slice(0, 12)}…)`);
        } else if (f.type === 'symlink' && m.info.target !== f.target) errors.push(`${f.path}: link target '${m.info.target}' differs from the manifest's '${f.target}'`);
        if ((m.info.mode & 0o7777).toString(8).padStart(4, '0') !== f.mode) errors.push(`${f.path}: mode differs from the manifest`);
    }
    for (const path of seen.keys()) if (!listed.has(path)) errors.push(`${path}: in the archive but not in the manifest`);
}

/**
 * Verifies the archive at `path`. Never throws for a bad archive: every problem found is in
 * `errors` (corruption, truncation, a member whose bytes differ from the manifest, unsafe names).
 */
export async function verifyArchive(path: string, identities: readonly string[], onProgress?: (p: ArchiveProgress) => void): Promise<VerifyOutcome> {
    const errors: string[] = [];
    const seen = new Map<string, Seen>();
    const manifestChunks: Buffer[] = [];
    let manifestSize = 0;
    let sawManifest = false;
    let afterManifest = false;
    try {
        await readMembers(path, identities, (info) => {
            const unsafe = checkMemberPath(info.path);
            if (unsafe) errors.push(unsafe);
            if (info.type === 'other') errors.push(`${info.path}: unsupported member type ${info.tarType}`);
            if (seen.has(info.path) || (info.path === MANIFEST_MEMBER && sawManifest)) errors.push(`${info.path}: appears twice`);
            if (sawManifest) afterManifest = true;
            if (info.path === MANIFEST_MEMBER) {
                sawManifest = true;
                return {
                    data: (c) => {
                        manifestSize += c.length;
                        if (manifestSize <= MAX_MANIFEST) manifestChunks.push(c);
                    },
                };
            }
            const hash = createHash('sha256');
            const entry: Seen = { info, size: 0 };
            seen.set(info.path, entry);
            if (info.type !== 'file') return undefined;
            return {
                data: (c) => {
                    hash.update(c);
                    entry.size += c.length;
                },
                end: () => {
                    entry.sha256 = hash.digest('hex');
                    onProgress?.({ phase: 'verifying', done: seen.size, total: 0, message: info.path });
                },
            };
        });
    } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
        return { ok: false, method: 'members', checked: seen.size, errors: errors.slice(0, MAX_ERRORS) };
    }
    if (!sawManifest) {
        errors.push(`no ${MANIFEST_MEMBER}: not a complete pve-backup-health archive`);
        return { ok: false, method: 'members', checked: seen.size, errors: errors.slice(0, MAX_ERRORS) };
    }
    if (afterManifest) errors.push(`members after ${MANIFEST_MEMBER}: the archive was modified after it was written`);
    if (manifestSize > MAX_MANIFEST) return { ok: false, method: 'members', checked: seen.size, errors: [...errors, `${MANIFEST_MEMBER} is larger than ${MAX_MANIFEST} bytes`] };
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.concat(manifestChunks).toString('utf8'));
    } catch (e) {
        errors.push(`${MANIFEST_MEMBER} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
        return { ok: false, method: 'members', checked: seen.size, errors: errors.slice(0, MAX_ERRORS) };
    }
    const result = validateManifest(parsed);
    if (!result.ok) return { ok: false, method: 'members', checked: seen.size, errors: [...errors, ...result.errors].slice(0, MAX_ERRORS) };
    compare(result.manifest, seen, errors);
    return { ok: errors.length === 0, method: 'members', checked: seen.size, errors: errors.slice(0, MAX_ERRORS), manifest: result.manifest };
}

/** The manifest of an archive, read without checking the other members (fast path for listings). */
export async function readManifest(path: string, identities: readonly string[]): Promise<ArchiveManifest> {
    const chunks: Buffer[] = [];
    let size = 0;
    await readMembers(path, identities, (info) =>
        info.path === MANIFEST_MEMBER
            ? {
                  data: (c) => {
                      size += c.length;
                      if (size <= MAX_MANIFEST) chunks.push(c);
                  },
              }
            : undefined,
    );
    if (chunks.length === 0) throw new Error(`${path} has no ${MANIFEST_MEMBER}`);
    if (size > MAX_MANIFEST) throw new Error(`${MANIFEST_MEMBER} in ${path} is too large`);
    const result = validateManifest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    if (!result.ok) throw new Error(`invalid ${MANIFEST_MEMBER} in ${path}: ${result.errors.join('; ')}`);
    return result.manifest;
}

/** Contents of the named file members (up to `maxBytes` each; larger ones are left out). */
export async function readFileMembers(path: string, identities: readonly string[], wanted: readonly string[], maxBytes: number): Promise<Map<string, Uint8Array>> {
    const want = new Set(wanted);
    const out = new Map<string, Uint8Array>();
    await readMembers(path, identities, (info) => {
        if (info.type !== 'file' || !want.has(info.path) || info.size > maxBytes) return undefined;
        const chunks: Buffer[] = [];
        return { data: (c) => chunks.push(c), end: () => out.set(info.path, Buffer.concat(chunks)) };
    });
    return out;
}
