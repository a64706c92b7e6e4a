// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Until the daemon has its API token (the package creates it, but not without quorum), it reads
 * the node's own files and retries the token creation now and then; once a token exists it
 * switches to the API. The gap is reported in the snapshot, never silent.
 */

import type { ClusterSnapshot } from '../domain/model.ts';
import type { CollectOptions, SnapshotSource, TokenSetupResult } from '../ports.ts';

export interface TokenBootstrapParts {
    /** What to read while there is no token (this node's files). */
    fallback: SnapshotSource;
    /** Runs the package's token setup (`setup cluster`). */
    createToken: () => Promise<TokenSetupResult>;
    /** Builds the API source when a token can be found now, else undefined. */
    apiSource: () => Promise<SnapshotSource | undefined>;
    retrySeconds: number;
}

export class TokenBootstrapSource implements SnapshotSource {
    private api: SnapshotSource | undefined;
    private lastTry = Number.NEGATIVE_INFINITY;
    private lastOutcome = 'no API token yet';

    constructor(private readonly parts: TokenBootstrapParts) {}

    get describe(): string {
        return this.api?.describe ?? this.parts.fallback.describe;
    }

    async collect(options: CollectOptions): Promise<ClusterSnapshot> {
        if (!this.api && options.now - this.lastTry >= this.parts.retrySeconds) {
            this.lastTry = options.now;
            const outcome = await this.parts.createToken();
            this.lastOutcome = outcome.kind === 'created' ? 'token created' : outcome.message;
            if (outcome.kind === 'created') this.api = await this.parts.apiSource();
        }
        if (this.api) return this.api.collect(options);
        const snapshot = await this.parts.fallback.collect(options);
        const message = `the daemon has no PVE API token yet (${this.lastOutcome}); reading only this node's files, retrying every ${Math.round(this.parts.retrySeconds / 60)} min`;
        return { ...snapshot, sourceErrors: [{ what: 'API token', message }, ...snapshot.sourceErrors] };
    }
}
