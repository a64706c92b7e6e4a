// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Views over the archive directory and its index: the archive list as the API shows it, the
 * retention candidates, the per-source health inputs and the problems of failed pushes, and the
 * overall progress of an archive task.
 */

import type { Problem } from '../model.ts';
import type { ArchiveSourceHealth } from './health.ts';
import { parseArchiveName } from './name.ts';
import type { RetentionItem } from './retention.ts';
import type { PullTarget, PushTarget } from './settings.ts';
import type { ArchiveIndex, ArchiveProgress, StoredArchive } from './types.ts';

export interface ArchiveListItem {
    name: string;
    node: string;
    createdAt: number;
    size: number;
    encrypted: boolean;
    verified?: { at: number; ok: boolean; error?: string };
    copies: string[];
}

/** Archives with what the index knows about them, newest first. */
export function archiveList(archives: readonly StoredArchive[], index: ArchiveIndex): ArchiveListItem[] {
    const out = archives.flatMap((a): ArchiveListItem[] => {
        const p = parseArchiveName(a.name);
        const entry = index.archives[a.name];
        if (!p) return [];
        return [{ name: a.name, node: p.node, createdAt: p.createdAt, size: a.size, encrypted: p.encrypted, ...(entry?.verified ? { verified: entry.verified } : {}), copies: entry?.copies ?? [] }];
    });
    return out.sort((x, y) => y.createdAt - x.createdAt || x.name.localeCompare(y.name));
}

export function retentionItems(archives: readonly StoredArchive[], index: ArchiveIndex): RetentionItem[] {
    return archiveList(archives, index).map((a) => ({ name: a.name, node: a.node, createdAt: a.createdAt, verifiedOk: a.verified?.ok === true }));
}

/** Health inputs: this node (`local`) and every pull target, with their newest verified archive. */
export function healthSources(archives: readonly StoredArchive[], index: ArchiveIndex, localNode: string | undefined, pulls: readonly PullTarget[]): ArchiveSourceHealth[] {
    const newestGood = new Map<string, number>();
    for (const a of archiveList(archives, index)) {
        if (a.verified?.ok === true) newestGood.set(a.node, Math.max(newestGood.get(a.node) ?? 0, a.createdAt));
    }
    const source = (key: string, configuredNode?: string): ArchiveSourceHealth => {
        const node = configuredNode ?? index.runs[key]?.node;
        const run = index.runs[key];
        const good = node === undefined ? undefined : newestGood.get(node);
        return { source: key, ...(node ? { node } : {}), ...(run ? { lastRun: run } : {}), ...(good !== undefined ? { newestGood: good } : {}) };
    };
    return [source('local', localNode), ...pulls.map((t) => source(t.name, t.node))];
}

/** Index key of a push target's last run. */
export function pushKey(target: PushTarget): string {
    return `push:${target.name}`;
}

/** A failed off-host copy: a warning, the archive itself is fine on this host. */
export function pushProblems(index: ArchiveIndex, targets: readonly PushTarget[]): Problem[] {
    return targets.flatMap((t): Problem[] => {
        const run = index.runs[pushKey(t)];
        if (!run || run.ok) return [];
        return [
            {
                code: 'config-archive-failed',
                severity: 'warning',
                message: `configuration archive copy to '${t.name}' (${t.user}@${t.host}:${t.path}) failed: ${run.error ?? 'unknown error'}`,
                evidence: { details: { target: t.name, at: run.at } },
            },
        ];
    });
}

/** Share of a whole archive task (0..1) at the start and end of each phase. */
const PHASE_SHARE: Record<ArchiveProgress['phase'], [number, number]> = {
    database: [0, 0.1],
    collecting: [0.1, 0.15],
    writing: [0.15, 0.7],
    verifying: [0.7, 0.8],
    pulling: [0.8, 0.85],
    retention: [0.85, 0.9],
    pushing: [0.9, 1],
};

/** Overall progress after `p`; never goes backwards. */
export function taskProgress(previous: number, p: ArchiveProgress): number {
    const [from, to] = PHASE_SHARE[p.phase];
    const within = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    return Math.max(previous, from + (to - from) * within);
}
