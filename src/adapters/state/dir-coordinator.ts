// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Coordinator over a shared directory: on PVE `/etc/pve/priv/backup-health/` in pmxcfs, which
 * every node sees and corosync replicates; without quorum pmxcfs refuses writes (EACCES), which
 * `heartbeat` reports as false. Files stay tiny (pmxcfs keeps everything in RAM).
 */

import { mkdir, readdir } from 'node:fs/promises';
import type { Coordinator } from '../../ports.ts';
import { JsonFileStore } from './json-files.ts';

interface Beat {
    node: string;
    at: number;
}

function safeNode(node: string): string {
    return node.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export class DirectoryCoordinator implements Coordinator {
    private readonly store: JsonFileStore;

    constructor(private readonly dir: string) {
        this.store = new JsonFileStore(dir);
    }

    async heartbeat(node: string, now: number): Promise<boolean> {
        try {
            await mkdir(this.dir, { recursive: true, mode: 0o700 });
            await this.store.write(`heartbeat-${safeNode(node)}`, { node, at: now } satisfies Beat);
            return true;
        } catch {
            return false;
        }
    }

    async alive(now: number, maxAgeSeconds: number): Promise<string[]> {
        const names = await readdir(this.dir).catch(() => [] as string[]);
        const nodes: string[] = [];
        for (const f of names) {
            const m = /^heartbeat-([a-z0-9-]+)\.json$/.exec(f);
            if (!m) continue;
            const beat = await this.store.read<Beat>(`heartbeat-${m[1]}`).catch(() => undefined);
            if (beat && typeof beat.at === 'number' && now - beat.at <= maxAgeSeconds && beat.at <= now + 60) nodes.push(beat.node);
        }
        return nodes.sort();
    }

    readShared<T>(name: string): Promise<T | undefined> {
        return this.store.read<T>(name);
    }

    writeShared(name: string, value: unknown): Promise<void> {
        return this.store.write(name, value);
    }
}
