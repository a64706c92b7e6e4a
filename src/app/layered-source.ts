// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The data source used on a PVE node: the API first, enriched with what only the host's files
 * know (job state files: which job started which task), and the host's files alone when the API
 * cannot be reached — said plainly in the snapshot's source errors, never silently.
 */

import type { ClusterSnapshot } from '../domain/model.ts';
import { type LocalEnrichment, enrichWithLocal } from '../domain/snapshot/merge.ts';
import type { CollectOptions, SnapshotSource } from '../ports.ts';

export interface LayeredSourceParts {
    primary: SnapshotSource;
    /**
     * Reads the local node's job states and its tasks since a time; `wantLog` names the tasks
     * whose logs are worth reading (those the primary could not deliver).
     */
    enrich?: (tasksSince: number, wantLog: (upid: string) => boolean) => Promise<LocalEnrichment>;
    /** Used when the primary fails with an error `canFallBack` accepts. */
    fallback?: SnapshotSource;
    /** Auth and permission errors must reach the admin, not be papered over by a fallback. */
    canFallBack?: (error: unknown) => boolean;
}

export class LayeredSource implements SnapshotSource {
    readonly describe: string;

    constructor(private readonly parts: LayeredSourceParts) {
        this.describe = parts.primary.describe;
    }

    async collect(options: CollectOptions): Promise<ClusterSnapshot> {
        let snapshot: ClusterSnapshot;
        try {
            snapshot = await this.parts.primary.collect(options);
        } catch (e) {
            const fallback = this.parts.fallback;
            if (!fallback || !(this.parts.canFallBack?.(e) ?? false)) throw e;
            snapshot = await fallback.collect(options);
            const message = `${e instanceof Error ? e.message : String(e)}; using this node's own files (${fallback.describe}) instead`;
            return { ...snapshot, sourceErrors: [{ what: this.parts.primary.describe, message }, ...snapshot.sourceErrors] };
        }
        if (!this.parts.enrich) return snapshot;
        try {
            // Local logs only fill gaps (enrichWithLocal): re-reading those the API gave is wasted work.
            const delivered = new Set(snapshot.tasks.filter((t) => t.log !== undefined).map((t) => t.upid));
            return enrichWithLocal(snapshot, await this.parts.enrich(options.historyFrom, (upid) => !delivered.has(upid)));
        } catch (e) {
            // The API data stands on its own; losing the enrichment is worth a note, not a failure.
            const message = `could not read local job state files: ${e instanceof Error ? e.message : String(e)}`;
            return { ...snapshot, sourceErrors: [...snapshot.sourceErrors, { what: 'local files', message }] };
        }
    }
}
