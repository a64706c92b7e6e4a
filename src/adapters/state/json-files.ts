// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Small JSON documents in one directory, written atomically: temp file in the same directory,
 * fsync, rename, fsync the directory. A crash leaves either the old or the new document.
 */

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StateStore } from '../../ports.ts';

const NAME = /^[a-z0-9][a-z0-9-]*$/;

export async function writeJsonAtomic(path: string, dir: string, value: unknown, mode = 0o600): Promise<void> {
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await open(tmp, 'wx', mode);
    try {
        await fh.writeFile(`${JSON.stringify(value)}\n`);
        await fh.sync();
    } catch (e) {
        await fh.close();
        await rm(tmp, { force: true });
        throw e;
    }
    await fh.close();
    try {
        await rename(tmp, path);
    } catch (e) {
        await rm(tmp, { force: true });
        throw e;
    }
    const d = await open(dir, 'r').catch(() => undefined);
    await d?.sync().catch(() => undefined);
    await d?.close();
}

export class JsonFileStore implements StateStore {
    constructor(
        private readonly dir: string,
        private readonly mode = 0o600,
    ) {}

    private path(name: string): string {
        if (!NAME.test(name)) throw new Error(`invalid state document name '${name}'`);
        return join(this.dir, `${name}.json`);
    }

    async read<T>(name: string): Promise<T | undefined> {
        let text: string;
        try {
            text = await readFile(this.path(name), 'utf8');
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
            throw e;
        }
        try {
            return JSON.parse(text) as T;
        } catch {
            // A damaged document is set aside, not fatal: the daemon rebuilds it.
            await rename(this.path(name), `${this.path(name)}.corrupt`).catch(() => undefined);
            return undefined;
        }
    }

    async write(name: string, value: unknown): Promise<void> {
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        await writeJsonAtomic(this.path(name), this.dir, value, this.mode);
    }
}
