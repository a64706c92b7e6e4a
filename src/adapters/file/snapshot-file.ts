// SPDX-License-Identifier: AGPL-3.0-or-later
/** A SnapshotSource reading a snapshot JSON file (`check --snapshot`, the demo, scenario tests). */

import { readFile } from 'node:fs/promises';
import { decodeSnapshot } from '../../domain/snapshot/decode.ts';
import type { ClusterSnapshot } from '../../domain/model.ts';
import type { CollectOptions, SnapshotSource } from '../../ports.ts';

export class SnapshotFileError extends Error {}

export class FileSnapshotSource implements SnapshotSource {
    readonly describe: string;

    constructor(private readonly path: string) {
        this.describe = path;
    }

    async collect(_options: CollectOptions): Promise<ClusterSnapshot> {
        let text: string;
        try {
            text = await readFile(this.path, 'utf8');
        } catch (e) {
            throw new SnapshotFileError(`cannot read snapshot ${this.path}: ${(e as Error).message}`);
        }
        let json: unknown;
        try {
            json = JSON.parse(text);
        } catch (e) {
            throw new SnapshotFileError(`snapshot ${this.path} is not valid JSON: ${(e as Error).message}`);
        }
        const r = decodeSnapshot(json);
        if (!r.ok) {
            throw new SnapshotFileError(`snapshot ${this.path} is invalid:\n  ${r.errors.join('\n  ')}`);
        }
        return r.snapshot;
    }
}
