// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * TaskLogCache implementations: one JSON file per UPID on disk (written atomically: temp file +
 * rename), and an in-memory one for tests and one-shot runs. Entries carry a format version: when
 * the parser's output changes, bump it and old entries are ignored (re-fetched and re-parsed).
 *
 *     const cache = createFileTaskLogCache({ dir: '/var/lib/pve-backup-health/task-logs', version: 1 });
 */

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedVzdumpLog } from '../../domain/vzdump-log/types.ts';
import type { Logger, TaskLogCache } from '../../ports.ts';

export interface FileTaskLogCacheOptions {
    dir: string;
    /** Format version of the stored parse results. Default 1. */
    version?: number;
    logger?: Logger;
}

interface Entry {
    v: number;
    upid: string;
    log: ParsedVzdumpLog;
}

/** File name of a UPID: colons and other specials percent-encoded, so the name is portable. */
export function cacheFileName(upid: string): string {
    return `${encodeURIComponent(upid).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}.json`;
}

function isParsedLog(v: unknown): v is ParsedVzdumpLog {
    if (typeof v !== 'object' || v === null) return false;
    const o = v as Record<string, unknown>;
    return typeof o.outcome === 'string' && Array.isArray(o.guests) && Array.isArray(o.warnings) && typeof o.lineCount === 'number';
}

export function createFileTaskLogCache(options: FileTaskLogCacheOptions): TaskLogCache {
    const version = options.version ?? 1;
    let ready: Promise<unknown> | undefined;
    const ensureDir = () => {
        ready ??= mkdir(options.dir, { recursive: true, mode: 0o750 });
        return ready;
    };
    return {
        async get(upid) {
            let text: string;
            try {
                text = await readFile(join(options.dir, cacheFileName(upid)), 'utf8');
            } catch {
                return undefined;
            }
            try {
                const entry = JSON.parse(text) as Partial<Entry>;
                if (entry.v === version && entry.upid === upid && isParsedLog(entry.log)) return entry.log;
            } catch {
                options.logger?.warn('ignoring unreadable task log cache entry', { upid });
            }
            return undefined;
        },
        put(upid, log) {
            // Encoded here, and the write is a function that never sees the parse: a suspended
            // async function keeps its arguments, and a parse kept alive while the write waits
            // ages into V8's old space (3 800 of them in a cold cycle).
            return write(upid, Buffer.from(JSON.stringify({ v: version, upid, log } satisfies Entry), 'utf8'));
        },
    };

    async function write(upid: string, data: Buffer): Promise<void> {
        await ensureDir();
        const file = join(options.dir, cacheFileName(upid));
        const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
        try {
            await writeFile(tmp, data, { mode: 0o640 });
            await rename(tmp, file);
        } catch (err) {
            await unlink(tmp).catch(() => {});
            throw err;
        }
    }
}

export interface MemoryTaskLogCache extends TaskLogCache {
    readonly size: number;
}

export function createMemoryTaskLogCache(): MemoryTaskLogCache {
    const map = new Map<string, ParsedVzdumpLog>();
    return {
        get: async (upid) => map.get(upid),
        put: async (upid, log) => void map.set(upid, log),
        get size() {
            return map.size;
        },
    };
}
