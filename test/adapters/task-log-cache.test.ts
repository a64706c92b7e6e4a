// SPDX-License-Identifier: AGPL-3.0-or-later
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFileName, createFileTaskLogCache, createMemoryTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { parseVzdumpLog } from '../../src/domain/vzdump-log/parse.ts';

const UPID = 'UPID:pve1:000A1B2C:0098F3A1:6779D993:vzdump::root@pam:';
const LOG = parseVzdumpLog(['INFO: starting new backup job: vzdump 100 --quiet 1', 'INFO: Backup job finished successfully', 'TASK OK']);
const dirs: string[] = [];

function tempDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'pbh-cache-'));
    dirs.push(d);
    return join(d, 'task-logs');
}

afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('file task log cache', () => {
    it('stores a parsed log per UPID and reads it back', async () => {
        const dir = tempDir();
        const cache = createFileTaskLogCache({ dir });
        expect(await cache.get(UPID)).toBeUndefined();
        await cache.put(UPID, LOG);
        expect(await createFileTaskLogCache({ dir }).get(UPID)).toEqual(LOG);
        // Written atomically: no temp file is left behind.
        expect(readdirSync(dir)).toEqual([cacheFileName(UPID)]);
        expect(cacheFileName(UPID)).not.toContain(':');
    });

    it('ignores entries of another format version', async () => {
        const dir = tempDir();
        await createFileTaskLogCache({ dir, version: 1 }).put(UPID, LOG);
        expect(await createFileTaskLogCache({ dir, version: 2 }).get(UPID)).toBeUndefined();
    });

    it('treats a corrupt entry as missing', async () => {
        const dir = tempDir();
        const cache = createFileTaskLogCache({ dir });
        await cache.put(UPID, LOG);
        writeFileSync(join(dir, cacheFileName(UPID)), '{"v":1,"upid":');
        expect(await cache.get(UPID)).toBeUndefined();
        await cache.put(UPID, LOG);
        expect(await cache.get(UPID)).toEqual(LOG);
    });
});

describe('memory task log cache', () => {
    it('keeps logs in memory', async () => {
        const cache = createMemoryTaskLogCache();
        await cache.put(UPID, LOG);
        expect(await cache.get(UPID)).toBe(LOG);
        expect(cache.size).toBe(1);
    });
});
