// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What changed between two archives: added, removed and changed members from the manifests, and
 * for changed text files a redacted unified diff plus one-line summaries of configuration keys
 * (`qemu-server/100.conf: memory 4096 → 8192`). No peer tool offers this (field-notes §2.7).
 */

import { REDACTED, isSecretKey, isSecretMember, redactText } from './redact.ts';
import { unifiedDiff } from './text-diff.ts';
import type { ArchiveManifest, ManifestEntry } from './types.ts';

export type ChangeKind = 'content' | 'type' | 'mode' | 'owner' | 'target';

export interface ManifestChange {
    path: string;
    kinds: ChangeKind[];
}

export interface ManifestDiff {
    added: string[];
    removed: string[];
    changed: ManifestChange[];
}

export interface ArchiveChange {
    path: string;
    diff?: string;
    summary?: string;
}

export interface ArchiveDiff {
    added: string[];
    removed: string[];
    changed: ArchiveChange[];
}

/** Text files larger than this are compared by hash only. */
export const MAX_DIFF_BYTES = 1024 * 1024;

export function diffManifests(a: ArchiveManifest, b: ArchiveManifest): ManifestDiff {
    const before = new Map(a.files.map((e) => [e.path, e]));
    const after = new Map(b.files.map((e) => [e.path, e]));
    const added = [...after.keys()].filter((p) => !before.has(p)).sort();
    const removed = [...before.keys()].filter((p) => !after.has(p)).sort();
    const changed: ManifestChange[] = [];
    for (const [path, x] of before) {
        const y = after.get(path);
        if (!y) continue;
        const kinds = entryChanges(x, y);
        if (kinds.length > 0) changed.push({ path, kinds });
    }
    changed.sort((p, q) => p.path.localeCompare(q.path));
    return { added, removed, changed };
}

function entryChanges(x: ManifestEntry, y: ManifestEntry): ChangeKind[] {
    if (x.type !== y.type) return ['type'];
    const kinds: ChangeKind[] = [];
    if (x.type === 'file' && (x.sha256 !== y.sha256 || x.size !== y.size)) kinds.push('content');
    if (x.type === 'symlink' && x.target !== y.target) kinds.push('target');
    if (x.mode !== y.mode) kinds.push('mode');
    if (x.owner !== y.owner) kinds.push('owner');
    return kinds;
}

/** Whether a changed member's content is worth reading for a text diff. */
export function wantsContent(change: ManifestChange, b: ArchiveManifest): boolean {
    if (!change.kinds.includes('content') || isSecretMember(change.path)) return false;
    const entry = b.files.find((e) => e.path === change.path);
    return entry !== undefined && entry.size <= MAX_DIFF_BYTES;
}

/** Decodes UTF-8 text; null for binary content (NUL bytes or invalid UTF-8). */
export function asText(bytes: Uint8Array): string | null {
    if (bytes.subarray(0, 8192).includes(0)) return null;
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        return null;
    }
}

/** Short name for summaries: guest configs as `qemu-server/100.conf`, other /etc/pve files relative to it. */
export function shortName(path: string): string {
    const guest = /^etc\/pve\/nodes\/[^/]+\/((?:qemu-server|lxc)\/[^/]+)$/.exec(path);
    if (guest) return guest[1] as string;
    return path.startsWith('etc/pve/') ? path.slice('etc/pve/'.length) : path;
}

/**
 * Key → value of `key: value` config files (guest configs, datacenter.cfg, vzdump.conf) and of
 * section configs (`type: id` headers with indented `key value` lines, e.g. storage.cfg), keys
 * prefixed by their section. Guest snapshot sections (`[name]`) are prefixed `[name] `.
 */
export function configValues(text: string): Map<string, string> {
    const out = new Map<string, string>();
    const lines = text.split('\n');
    let section = '';
    lines.forEach((raw, i) => {
        if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
        const snap = /^\[([^\]]+)\]\s*$/.exec(raw);
        if (snap) {
            section = `[${snap[1]}] `;
            return;
        }
        const indented = /^\s+([\w.-]+)(?:\s+(.*))?$/.exec(raw);
        if (indented && section !== '') {
            out.set(`${section}${indented[1]}`, (indented[2] ?? '').trim());
            return;
        }
        const kv = /^([\w.-]+)\s*:\s*(.*)$/.exec(raw);
        if (!kv) return;
        const key = kv[1] as string;
        const value = (kv[2] as string).trim();
        // A section-config header (`dir: local`) starts a section whose properties follow indented.
        if (/^[a-z][\w-]*$/.test(key) && /^[\w.@!-]+$/.test(value) && /^\s+\S/.test(lines[i + 1] ?? '')) {
            section = `${key} ${value}: `;
            out.set(`${key} ${value}`, '(section)');
        } else if (section.startsWith('[')) out.set(`${section}${key}`, value);
        else {
            section = '';
            out.set(key, value);
        }
    });
    return out;
}

function show(key: string, value: string): string {
    const k = key.replace(/^.*[: ]/, '');
    return isSecretKey(k) ? REDACTED : value;
}

/** `memory 4096 → 8192; net1 added; balloon removed` for two versions of a config file. */
export function summarizeConfigChange(path: string, before: string, after: string): string | undefined {
    const a = configValues(before);
    const b = configValues(after);
    const parts: string[] = [];
    for (const [key, value] of b) {
        const old = a.get(key);
        if (old === undefined) parts.push(value === '(section)' ? `${key} added` : `${key} added (${show(key, value)})`);
        else if (old !== value) parts.push(isSecretKey(key.replace(/^.*[: ]/, '')) ? `${key} changed` : `${key} ${old} → ${value}`);
    }
    for (const key of a.keys()) if (!b.has(key)) parts.push(`${key} removed`);
    if (parts.length === 0) return undefined;
    const shown = parts.slice(0, 12).join('; ') + (parts.length > 12 ? `; … ${parts.length - 12} more` : '');
    return `${shortName(path)}: ${shown}`;
}

/** Summary and redacted diff of one changed member. */
export function describeChange(change: ManifestChange, before?: Uint8Array, after?: Uint8Array): ArchiveChange {
    const { path, kinds } = change;
    const meta = kinds.filter((k) => k !== 'content');
    const metaText = meta.length > 0 ? ` (${meta.join(', ')} changed)` : '';
    if (!kinds.includes('content')) return { path, summary: `${shortName(path)}:${metaText.replace(/^ \((.*)\)$/, ' $1')}` };
    if (isSecretMember(path)) return { path, summary: `${shortName(path)}: secret content changed (not shown)${metaText}` };
    const a = before ? asText(before) : null;
    const b = after ? asText(after) : null;
    if (a === null || b === null) return { path, summary: `${shortName(path)}: ${before && after ? 'binary content changed' : 'content changed (too large to compare)'}${metaText}` };
    const diff = unifiedDiff(redactText(a), redactText(b), path);
    const summary = summarizeConfigChange(path, a, b) ?? `${shortName(path)}: content changed${metaText}`;
    return diff === '' ? { path, summary } : { path, summary, diff };
}

/** The full diff, given the contents of the members {@link wantsContent} asked for. */
export function buildArchiveDiff(a: ArchiveManifest, b: ArchiveManifest, contentA: Map<string, Uint8Array>, contentB: Map<string, Uint8Array>): ArchiveDiff {
    const d = diffManifests(a, b);
    return {
        added: d.added,
        removed: d.removed,
        changed: d.changed.map((c) => describeChange(c, contentA.get(c.path), contentB.get(c.path))),
    };
}
