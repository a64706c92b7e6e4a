// SPDX-License-Identifier: AGPL-3.0-or-later
// Off-host copies and remote nodes over a real SSH server on 127.0.0.1: SFTP push with a pinned
// host key, pull of a remote node's configuration (sqlite3 VACUUM INTO run remotely), and refusal
// of a wrong host key or client key.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalHostFs } from '../../src/adapters/archive/local-fs.ts';
import { createArchiveStore } from '../../src/adapters/archive/store.ts';
import { openRemoteHostFs } from '../../src/adapters/ssh/remote-fs.ts';
import { createSftpCopier } from '../../src/adapters/ssh/sftp-push.ts';
import type { PullTarget, PushTarget } from '../../src/domain/archive/settings.ts';
import { DB, cleanTemps, makeRoot, service, settings, sqlite, tempDir } from './helpers.ts';
import { type TestSshServer, generateKey, startSshServer } from './ssh-server.ts';

const WRONG_PIN = `SHA256:${'A'.repeat(43)}`;

describe('SSH push and pull (loopback ssh2 server)', () => {
    let server: TestSshServer;
    let keyFile: string;
    let remoteTmp: string;
    let local: string;
    let localName: string;

    beforeAll(async () => {
        remoteTmp = tempDir('pbh-remote-tmp-');
        server = await startSshServer({ ...process.env, TMPDIR: remoteTmp });
        keyFile = join(tempDir(), 'id_ed25519');
        writeFileSync(keyFile, server.clientKey, { mode: 0o600 });
        local = tempDir();
        const created = await createArchiveStore({ dir: local }).create({ source: createLocalHostFs({ root: makeRoot(20) }), createdAt: 1_795_000_000, include: [], exclude: [], recipients: [], tool: 't' });
        localName = created.name;
    });
    afterAll(async () => {
        await server?.close();
        cleanTemps();
    });

    const target = (over: Partial<PushTarget> = {}): PushTarget => ({ name: 'nas', host: '127.0.0.1', port: server.port, user: 'root', hostKey: server.hostKey, keyFile, path: tempDir('pbh-push-'), ...over });

    it('pushes an archive over SFTP: same bytes, mode 0600, no temp file left; again is a no-op', async () => {
        const t = target();
        const store = createArchiveStore({ dir: local });
        await createSftpCopier().push(t, { name: localName, ...(await store.open(localName)) });
        expect(readdirSync(t.path)).toEqual([localName]);
        expect(readFileSync(join(t.path, localName))).toEqual(readFileSync(join(local, localName)));
        expect(statSync(join(t.path, localName)).mode & 0o777).toBe(0o600);
        await createSftpCopier().push(t, { name: localName, ...(await store.open(localName)) });
        expect(readdirSync(t.path)).toEqual([localName]);
    });

    it('refuses a server whose host key does not match the pin, before sending anything', async () => {
        const t = target({ hostKey: WRONG_PIN });
        const store = createArchiveStore({ dir: local });
        await expect(createSftpCopier().push(t, { name: localName, ...(await store.open(localName)) })).rejects.toThrow(
            new RegExp(`host key mismatch for root@127\\.0\\.0\\.1:${server.port}: pinned ${WRONG_PIN}, the server offered ${server.hostKey.replace(/[+/]/g, '\\$&')}; refusing to connect`),
        );
        expect(readdirSync(t.path)).toEqual([]);
    });

    it('authenticates with the key file only: another key is refused', async () => {
        const other = join(tempDir(), 'other');
        writeFileSync(other, generateKey().private, { mode: 0o600 });
        const t = target({ keyFile: other });
        const store = createArchiveStore({ dir: local });
        await expect(createSftpCopier().push(t, { name: localName, ...(await store.open(localName)) })).rejects.toThrow(/refused the key .*other/);
        await expect(createSftpCopier().push(target({ keyFile: '/nonexistent/key' }), { name: localName, ...(await store.open(localName)) })).rejects.toThrow(/cannot read SSH key file \/nonexistent\/key: ENOENT/);
    });

    it("pulls a remote node's configuration with a remote sqlite3 VACUUM INTO and leaves nothing behind there", async () => {
        const remoteRoot = makeRoot(200);
        writeFileSync(join(remoteRoot, 'etc/hostname'), 'pve2\n');
        const pull: PullTarget = { name: 'pve2', host: '127.0.0.1', port: server.port, user: 'root', hostKey: server.hostKey, keyFile, sourceRoot: remoteRoot };
        const out = tempDir();
        const store = createArchiveStore({ dir: out });
        const source = await openRemoteHostFs(pull);
        const created = await store.create({ source, createdAt: 1_795_000_000, include: [], exclude: [], recipients: [], tool: 't' }).finally(() => source.close());
        expect(created.name).toBe('pve2-pve-config-20261118T110640Z.tar.gz');
        expect(created.manifest.source).toBe(`ssh root@127.0.0.1:${server.port} ${remoteRoot}`);
        expect(created.manifest.configDb?.integrity).toBe('ok');
        expect(created.manifest.files.find((f) => f.path === 'root/.ssh/authorized_keys')).toMatchObject({ type: 'symlink', target: '/etc/pve/priv/authorized_keys' });
        expect(created.manifest.files.find((f) => f.path === 'etc/pve/priv/token.cfg')).toMatchObject({ mode: '0600' });
        expect((await store.verify(created.name)).ok).toBe(true);
        const db = (await store.readContents(created.name, [DB], 1 << 30)).get(DB) as Uint8Array;
        const copy = join(tempDir(), 'c.db');
        writeFileSync(copy, db);
        expect(sqlite(copy, 'SELECT count(*) FROM tree;').trim()).toBe('200');
        expect(server.commands.some((c) => c.includes('VACUUM INTO'))).toBe(true);
        expect(readdirSync(remoteTmp)).toEqual([]);
    });

    it('a cycle pulls, pushes every new archive and records the copies; a wrong pin becomes a problem', async () => {
        const remoteRoot = makeRoot(20);
        writeFileSync(join(remoteRoot, 'etc/hostname'), 'pve3\n');
        const out = tempDir();
        const push = target();
        const pull: PullTarget = { name: 'pve3-pull', host: '127.0.0.1', port: server.port, user: 'root', hostKey: server.hostKey, keyFile, sourceRoot: remoteRoot };
        const svc = service({ outputDir: out, root: makeRoot(20), settings: settings(out, { push: [push], pull: [pull] }) });
        const r = await svc.runArchiveCycle();
        expect(r).toMatchObject({ ok: true, errors: [], removed: [] });
        expect(r.created.map((n) => n.replace(/-pve-config-.*/, ''))).toEqual(['pve1', 'pve3']);
        expect(readdirSync(push.path).sort()).toEqual([...r.created].sort());
        // Newest first: the pull ran after the local archive.
        expect((await svc.list()).archives.map((a) => [a.node, a.copies, a.verified?.ok])).toEqual([
            ['pve3', ['nas'], true],
            ['pve1', ['nas'], true],
        ]);
        expect(await svc.problems()).toEqual([]);

        const bad = service({ outputDir: out, root: makeRoot(5), now: 1_795_003_600, settings: settings(out, { pull: [{ ...pull, hostKey: WRONG_PIN }] }) });
        const r2 = await bad.runArchiveCycle();
        expect(r2.ok).toBe(false);
        const problems = await bad.problems();
        expect(problems.map((p) => [p.code, p.severity, p.node])).toEqual([['config-archive-failed', 'critical', 'pve3']]);
        expect(problems[0]?.message).toMatch(/^pve3 \(pull 'pve3-pull'\): configuration archive failed: host key mismatch/);
    });
});
