// SPDX-License-Identifier: AGPL-3.0-or-later
/** Part of the composition root: the data sources (snapshot file, PVE API, host files). */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createFileTaskLogCache, createMemoryTaskLogCache } from './adapters/cache/task-log-cache.ts';
import { FileSnapshotSource } from './adapters/file/snapshot-file.ts';
import { createLocalSnapshotSource, readLocalEnrichment } from './adapters/local/local-source.ts';
import { createApiSnapshotSource } from './adapters/pve-api/collector.ts';
import { PveApiError } from './adapters/pve-api/errors.ts';
import { createTransport } from './adapters/pve-api/transport.ts';
import { LayeredSource } from './app/layered-source.ts';
import type { SnapshotSource } from './ports.ts';

export interface ApiSourceSettings {
    url: string;
    /** `user@realm!tokenid=secret`. */
    token: string;
    fingerprint?: string;
    caFile?: string;
    insecure?: boolean;
    remote?: string;
    /** Parsed task logs are cached here by UPID; in memory when absent. */
    cacheDir?: string;
}

export interface SourceOptions {
    snapshotFile?: string;
    api?: ApiSourceSettings;
    /** Root of the host's files (`/` on a PVE node; a fixture tree in tests). */
    hostRoot?: string;
}

/** Whether `root` looks like a PVE node (pmxcfs mounted), so its files can enrich API data. */
function isPveHost(root: string): boolean {
    return existsSync(join(root, 'etc/pve/.members'));
}

export function composeSnapshotSource(options: SourceOptions): SnapshotSource {
    if (options.snapshotFile !== undefined) return new FileSnapshotSource(options.snapshotFile);
    const root = options.hostRoot ?? '/';
    if (!options.api) {
        if (isPveHost(root)) return createLocalSnapshotSource({ rootDir: root });
        throw new Error('no data source: pass --snapshot <file> or --api-url <url> with --token');
    }
    const a = options.api;
    const transport = createTransport({
        baseUrl: a.url,
        token: a.token,
        tls: {
            ...(a.fingerprint !== undefined ? { fingerprint: a.fingerprint } : {}),
            ...(a.caFile !== undefined ? { caFile: a.caFile } : {}),
            ...(a.insecure ? { insecure: true } : {}),
        },
    });
    const cache = a.cacheDir !== undefined ? createFileTaskLogCache({ dir: a.cacheDir }) : createMemoryTaskLogCache();
    const primary = createApiSnapshotSource({ transport, cache, ...(a.remote !== undefined ? { remote: a.remote } : {}) });
    if (!isPveHost(root)) return primary;
    return new LayeredSource({
        primary,
        enrich: (tasksSince) => readLocalEnrichment({ rootDir: root, tasksSince, cache }),
        fallback: createLocalSnapshotSource({ rootDir: root, cache }),
        canFallBack: (e) => e instanceof PveApiError && ['network', 'timeout', 'http', 'node-offline'].includes(e.kind),
    });
}
