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
    /** Whether this host's files may enrich or stand in for the API (not for another cluster). Default true. */
    localFiles?: boolean;
}

/** Whether `root` looks like a PVE node (pmxcfs mounted), so its files can enrich API data. */
export function isPveHost(root: string): boolean {
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
    if (options.localFiles === false || !isPveHost(root)) return primary;
    return new LayeredSource({
        primary,
        enrich: (tasksSince, wantLog) => readLocalEnrichment({ rootDir: root, tasksSince, wantLog, cache }),
        fallback: createLocalSnapshotSource({ rootDir: root, cache }),
        canFallBack: (e) => e instanceof PveApiError && ['network', 'timeout', 'http', 'node-offline'].includes(e.kind),
    });
}

/** A remote as the settings describe it, with its token secret from the secrets file (if set). */
export interface RemoteSourceSettings {
    name: string;
    url: string;
    tokenId: string;
    tokenSecret?: string;
    fingerprint?: string;
    caFile?: string;
    insecure?: boolean;
}

/** A source that cannot be read, for a remote that lacks what it needs: judged unknown, with why. */
function unusableSource(describe: string, why: string): SnapshotSource {
    return { describe, collect: () => Promise.reject(new Error(why)) };
}

/** The configured remotes as sources of their own (never layered with this host's files). */
export function composeRemoteSources(remotes: readonly RemoteSourceSettings[], secretsFile: string, cacheDir?: string): Array<{ remote: string; source: SnapshotSource }> {
    return remotes.map((r) => {
        if (r.tokenSecret === undefined || r.tokenSecret === '') {
            return { remote: r.name, source: unusableSource(r.url, `no API token secret for remote ${r.name}: set remotes.${r.name}.tokenSecret in ${secretsFile}`) };
        }
        const api: ApiSourceSettings = { url: r.url, token: `${r.tokenId}=${r.tokenSecret}`, remote: r.name };
        if (r.fingerprint !== undefined) api.fingerprint = r.fingerprint;
        if (r.caFile !== undefined) api.caFile = r.caFile;
        if (r.insecure) api.insecure = true;
        if (cacheDir !== undefined) api.cacheDir = join(cacheDir, `remote-${r.name}`);
        try {
            return { remote: r.name, source: composeSnapshotSource({ api, localFiles: false }) };
        } catch (e) {
            return { remote: r.name, source: unusableSource(r.url, `remote ${r.name}: ${(e as Error).message}`) };
        }
    });
}
