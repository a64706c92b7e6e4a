// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Composition root: the only module that knows concrete adapters. The CLI and the daemon ask it
 * for ready-wired sources and services; nothing else constructs adapters.
 */

import { FileSnapshotSource } from './adapters/file/snapshot-file.ts';
import type { SnapshotSource } from './ports.ts';

export interface SourceOptions {
    snapshotFile?: string;
}

export function composeSnapshotSource(options: SourceOptions): SnapshotSource {
    if (options.snapshotFile !== undefined) return new FileSnapshotSource(options.snapshotFile);
    throw new Error('no data source: pass --snapshot <file>');
}
