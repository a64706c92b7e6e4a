// SPDX-License-Identifier: AGPL-3.0-or-later
/** Reading a manifest back from an archive: shape checks with messages that name the field. */

import { checkMemberPath } from './paths.ts';
import type { ArchiveManifest, ConfigDbInfo, ManifestEntry, SkippedEntry } from './types.ts';
import { MANIFEST_FORMAT } from './types.ts';

export type ManifestResult = { ok: true; manifest: ArchiveManifest } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SHA256 = /^[0-9a-f]{64}$/;
const MODE = /^[0-7]{4}$/;

function checkEntry(e: unknown, where: string, errors: string[]): ManifestEntry | null {
    if (!isObj(e)) {
        errors.push(`${where}: not an object`);
        return null;
    }
    const before = errors.length;
    const path = typeof e.path === 'string' ? e.path : '';
    const pathError = checkMemberPath(path);
    if (pathError) errors.push(`${where}.path: ${pathError}`);
    if (e.type !== 'file' && e.type !== 'dir' && e.type !== 'symlink') errors.push(`${where}.type: expected file, dir or symlink`);
    for (const k of ['size', 'uid', 'gid', 'mtime'] as const) {
        if (typeof e[k] !== 'number' || !Number.isFinite(e[k]) || (e[k] as number) < 0) errors.push(`${where}.${k}: expected a number ≥ 0`);
    }
    if (typeof e.mode !== 'string' || !MODE.test(e.mode)) errors.push(`${where}.mode: expected four octal digits`);
    if (typeof e.owner !== 'string') errors.push(`${where}.owner: expected a string`);
    if (e.type === 'file' && (typeof e.sha256 !== 'string' || !SHA256.test(e.sha256))) errors.push(`${where}.sha256: expected 64 hex digits`);
    if (e.type === 'symlink' && (typeof e.target !== 'string' || e.target === '')) errors.push(`${where}.target: expected the link target`);
    return errors.length === before ? (e as unknown as ManifestEntry) : null;
}

function checkSkipped(s: unknown, where: string, errors: string[]): SkippedEntry | null {
    if (!isObj(s) || typeof s.path !== 'string' || typeof s.reason !== 'string') {
        errors.push(`${where}: expected { path, reason }`);
        return null;
    }
    return s as unknown as SkippedEntry;
}

/** Checks a parsed `manifest.json`; a valid result may be used as an {@link ArchiveManifest}. */
export function validateManifest(input: unknown): ManifestResult {
    const errors: string[] = [];
    if (!isObj(input)) return { ok: false, errors: ['manifest: not a JSON object'] };
    if (typeof input.format !== 'number' || input.format > MANIFEST_FORMAT || input.format < 1) {
        errors.push(`manifest.format: expected 1..${MANIFEST_FORMAT}, got ${JSON.stringify(input.format)}`);
    }
    for (const k of ['tool', 'node', 'source', 'pveVersion', 'versionSource'] as const) {
        if (typeof input[k] !== 'string') errors.push(`manifest.${k}: expected a string`);
    }
    if (input.cluster !== null && typeof input.cluster !== 'string') errors.push('manifest.cluster: expected a string or null');
    if (typeof input.createdAt !== 'number' || !Number.isFinite(input.createdAt)) errors.push('manifest.createdAt: expected epoch seconds');
    if (!isObj(input.packages)) errors.push('manifest.packages: expected an object');
    for (const k of ['clusterNodes', 'warnings'] as const) {
        if (!Array.isArray(input[k]) || !(input[k] as unknown[]).every((x) => typeof x === 'string')) errors.push(`manifest.${k}: expected a list of strings`);
    }
    if (input.configDb !== null) {
        const db = input.configDb as Partial<ConfigDbInfo> | undefined;
        if (!isObj(db) || typeof db.member !== 'string' || typeof db.integrity !== 'string') errors.push('manifest.configDb: expected { member, method, integrity } or null');
    }
    if (!Array.isArray(input.files)) errors.push('manifest.files: expected a list');
    else {
        const seen = new Set<string>();
        input.files.forEach((e, i) => {
            const entry = checkEntry(e, `manifest.files[${i}]`, errors);
            if (entry && seen.has(entry.path)) errors.push(`manifest.files[${i}].path: '${entry.path}' listed twice`);
            if (entry) seen.add(entry.path);
        });
    }
    if (!Array.isArray(input.skipped)) errors.push('manifest.skipped: expected a list');
    else
        input.skipped.forEach((s, i) => {
            checkSkipped(s, `manifest.skipped[${i}]`, errors);
        });
    if (errors.length > 0) return { ok: false, errors: errors.slice(0, 20) };
    return { ok: true, manifest: input as unknown as ArchiveManifest };
}
