// SPDX-License-Identifier: AGPL-3.0-or-later
// Failure while writing: a writer process killed with SIGKILL mid-archive, and a full disk.
// Neither may leave anything that looks like an archive, nor touch older archives.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalHostFs } from '../../src/adapters/archive/local-fs.ts';
import { createArchiveStore, openFileSink } from '../../src/adapters/archive/store.ts';
import { ArchiveService } from '../../src/app/archives.ts';
import { parseArchiveName } from '../../src/domain/archive/name.ts';
import { cleanTemps, makeRoot, settings, tempDir } from './helpers.ts';

afterAll(cleanTemps);

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('crash safety', () => {
    it('kill -9 while a large file is being written leaves no file that looks like an archive', async () => {
        const root = makeRoot(20);
        mkdirSync(join(root, 'opt/big'), { recursive: true });
        // Random bytes do not compress: writing them takes long enough to be killed mid-way.
        writeFileSync(join(root, 'opt/big/blob.bin'), randomBytes(48 * 1024 * 1024));
        const out = tempDir();
        const bundle = join(tempDir(), 'create-child.mjs');
        await build({ entryPoints: [resolve(import.meta.dirname, 'create-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });

        const child = spawn(process.execPath, [bundle, root, out], { stdio: ['ignore', 'pipe', 'pipe'] });
        const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
        let killedAt = -1;
        for (let i = 0; i < 2000 && killedAt < 0; i++) {
            await new Promise((r) => setTimeout(r, 5));
            for (const name of readdirSync(out)) {
                if (!/\.\d+\.partial$/.test(name) || name.includes('config-db')) continue;
                const size = statSync(join(out, name), { throwIfNoEntry: false })?.size ?? 0;
                if (size > 1024 * 1024) {
                    child.kill('SIGKILL');
                    killedAt = size;
                }
            }
        }
        expect(await exited).toBe('SIGKILL');
        expect(killedAt).toBeGreaterThan(0);

        const left = readdirSync(out);
        expect(left.filter((n) => parseArchiveName(n) !== null)).toEqual([]);
        expect(left.some((n) => n.endsWith('.partial'))).toBe(true);
        const store = createArchiveStore({ dir: out });
        expect(await store.list()).toEqual([]);

        // The next run removes what the dead writer left, then writes a complete archive.
        expect((await store.cleanPartials()).length).toBe(left.length);
        expect(readdirSync(out)).toEqual([]);
        const created = await store.create({ source: createLocalHostFs({ root }), createdAt: 1_795_000_000, include: [], exclude: [], recipients: [], tool: 't' });
        expect((await store.list()).map((a) => a.name)).toEqual([created.name]);
        expect((await store.verify(created.name)).ok).toBe(true);
    });

    it('disk full fails cleanly: temp file removed, older archives untouched, config-archive-failed raised', async () => {
        const root = makeRoot(20);
        const out = tempDir();
        let diskFull = false;
        const store = createArchiveStore({
            dir: out,
            openSink: async (path) => {
                const sink = await openFileSink(path);
                let written = 0;
                return {
                    ...sink,
                    async write(chunk) {
                        written += chunk.length;
                        if (diskFull && written > 16 * 1024) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
                        await sink.write(chunk);
                    },
                };
            },
        });
        let now = 1_795_000_000;
        const svc = new ArchiveService({
            store,
            hosts: { local: (r) => createLocalHostFs({ root: r ?? '/' }), remote: () => Promise.reject(new Error('no remotes')) },
            clock: { now: () => now },
            settings: settings(out, { retention: { keepLast: 1 } }),
            timeZone: 'UTC',
            tool: 't',
            sourceRoot: root,
        });
        const first = await svc.runArchiveCycle();
        expect(first).toMatchObject({ ok: true, errors: [] });
        const [older] = first.created as [string];
        const before = { files: readdirSync(out).sort(), hash: sha(join(out, older)) };

        diskFull = true;
        now += 86_400;
        const second = await svc.runArchiveCycle();
        expect(second.ok).toBe(false);
        expect(second.created).toEqual([]);
        expect(second.errors).toEqual([expect.stringMatching(/^local: disk full \(ENOSPC\) while writing to .*: no archive was created; older archives are untouched$/)]);
        expect(readdirSync(out).sort()).toEqual(before.files);
        expect(sha(join(out, older))).toBe(before.hash);

        const problems = await svc.problems();
        expect(problems.map((p) => [p.code, p.severity])).toEqual([['config-archive-failed', 'critical']]);
        expect(problems[0]?.message).toMatch(/^pve1: configuration archive failed: disk full \(ENOSPC\)/);
        expect((await svc.list()).lastRun).toMatchObject({ ok: false, at: now });
    });
});
