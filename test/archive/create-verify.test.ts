// SPDX-License-Identifier: AGPL-3.0-or-later
// Archives of a fixture host root with a real WAL-mode config.db that another process keeps
// writing; checked with the real sqlite3 and GNU tar, and verified against a flipped byte.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveStore } from '../../src/adapters/archive/store.ts';
import type { ArchiveManifest } from '../../src/domain/archive/types.ts';
import { DB, cleanTemps, makeRoot, service, sqlite, startWriter, tempDir } from './helpers.ts';

afterAll(cleanTemps);

describe('archive create and verify (fixture root, live WAL database)', () => {
    let root: string;
    let out: string;
    let name: string;
    let manifest: ArchiveManifest;
    let written: number;

    beforeAll(async () => {
        root = makeRoot(1500);
        out = tempDir();
        expect(sqlite(join(root, DB), 'PRAGMA journal_mode;').trim()).toBe('wal');
        const writer = startWriter(join(root, DB));
        // Let the writer commit for a moment so the WAL holds data a plain copy would miss.
        await new Promise((r) => setTimeout(r, 150));
        const r = await service({ outputDir: out, root }).createNow();
        written = await writer.stop();
        name = r.created.name;
        manifest = r.created.manifest;
        expect(r.verify).toMatchObject({ ok: true, errors: [] });
        expect(r.defect).toBeNull();
    });

    it('names the archive <node>-pve-config-<UTC time>.tar.gz and makes it mode 0600', () => {
        expect(name).toBe('pve1-pve-config-20261118T110640Z.tar.gz');
        expect(statSync(join(out, name)).mode & 0o777).toBe(0o600);
    });

    it('holds a consistent online backup of config.db that passes integrity_check', async () => {
        expect(written).toBeGreaterThan(0);
        const store = createArchiveStore({ dir: out });
        const db = (await store.readContents(name, [DB], 1 << 30)).get(DB);
        expect(db).toBeDefined();
        const copy = join(tempDir(), 'config.db');
        writeFileSync(copy, db as Uint8Array);
        expect(sqlite(copy, 'PRAGMA integrity_check;').trim()).toBe('ok');
        const rows = Number(sqlite(copy, 'SELECT count(*) FROM tree;'));
        const live = Number(sqlite(join(root, DB), 'SELECT count(*) FROM tree;'));
        // The writer committed for 150 ms before the backup started: those rows (partly still in the WAL) are in the copy.
        expect(rows).toBeGreaterThan(1500);
        expect(rows).toBeLessThanOrEqual(live);
        expect(manifest.configDb).toEqual({ member: DB, method: 'sqlite3 VACUUM INTO', integrity: 'ok' });
        expect(manifest.files.map((f) => f.path)).not.toContain(`${DB}-wal`);
    });

    it('records node, cluster and versions', () => {
        expect(manifest).toMatchObject({ node: 'pve1', cluster: 'homelab', clusterNodes: ['pve1', 'pve2'], pveVersion: '8.2.4', versionSource: 'dpkg', source: root });
        expect(manifest.packages).toEqual({ 'pve-manager': '8.2.4', 'proxmox-ve': '8.2.0', 'pve-cluster': '8.0.7' });
    });

    it('archives /etc/pve with priv/ but without the pmxcfs virtual dot-files', () => {
        const paths = manifest.files.map((f) => f.path);
        for (const p of ['etc/pve/storage.cfg', 'etc/pve/priv/token.cfg', 'etc/pve/priv/storage/pbs1.enc', 'etc/pve/nodes/pve1/qemu-server/100.conf', 'etc/pve/nodes/pve1/lxc/101.conf']) {
            expect(paths).toContain(p);
        }
        for (const dot of ['.members', '.vmlist', '.version', '.clusterlog', '.rrd']) {
            expect(paths).not.toContain(`etc/pve/${dot}`);
            expect(manifest.skipped).toContainEqual({ path: `/etc/pve/${dot}`, reason: 'excluded', detail: 'pmxcfs virtual file' });
        }
    });

    it('archives node-local files, the hook script vzdump.conf names, and symlinks as links', () => {
        const byPath = new Map(manifest.files.map((f) => [f.path, f]));
        for (const p of ['etc/network/interfaces', 'etc/network/interfaces.d/vlan20', 'etc/hosts', 'etc/hostname', 'etc/corosync/authkey', 'etc/ssh/ssh_host_ed25519_key', 'etc/vzdump.conf', 'etc/default/pveproxy', 'etc/lvm/lvm.conf', 'etc/kernel/cmdline', 'var/lib/pve-manager/jobs/vzdump-backup-1a2b3c4d-0001.json']) {
            expect(byPath.has(p), p).toBe(true);
        }
        expect(byPath.get('usr/local/bin/hook.sh')).toMatchObject({ type: 'file', mode: '0755' });
        expect(byPath.get('root/.ssh/authorized_keys')).toMatchObject({ type: 'symlink', target: '/etc/pve/priv/authorized_keys', size: 0 });
        expect(byPath.get('etc/pve/priv/token.cfg')).toMatchObject({ mode: '0600', owner: 'root:root' });
        const storage = readFileSync(join(root, 'etc/pve/storage.cfg'));
        expect(byPath.get('etc/pve/storage.cfg')?.sha256).toBe(createHash('sha256').update(storage).digest('hex'));
        expect(byPath.get('etc/pve/storage.cfg')?.size).toBe(storage.length);
    });

    it('lists what was skipped and why', () => {
        expect(manifest.skipped).toContainEqual({ path: '/usr/local/bin/job-hook.sh', reason: 'missing', detail: 'hook script named by vzdump.conf or a backup job' });
        expect(manifest.skipped).toContainEqual({ path: '/etc/localtime', reason: 'missing' });
    });

    it('is a standard tar.gz: GNU tar lists it with the manifest last and extracts identical bytes', () => {
        const list = execFileSync('tar', ['-tzf', join(out, name)], { encoding: 'utf8' }).trim().split('\n');
        expect(list[list.length - 1]).toBe('manifest.json');
        expect(list).toContain('etc/pve/priv/shadow.cfg');
        const x = tempDir();
        execFileSync('tar', ['-xzf', join(out, name), '-C', x, 'etc/pve/nodes/pve1/qemu-server/100.conf']);
        expect(readFileSync(join(x, 'etc/pve/nodes/pve1/qemu-server/100.conf'))).toEqual(readFileSync(join(root, 'etc/pve/nodes/pve1/qemu-server/100.conf')));
    });

    it('verify catches a flipped byte anywhere in the file', async () => {
        const dir = tempDir();
        const copy = join(dir, name);
        copyFileSync(join(out, name), copy);
        const bytes = readFileSync(copy);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] as number) ^ 0x01;
        writeFileSync(copy, bytes);
        const r = await createArchiveStore({ dir }).verify(name);
        expect(r.ok).toBe(false);
        expect(r.errors.join('\n')).toMatch(/corrupt|invalid|not a valid archive|check/i);
    });

    it('verify names a member whose bytes differ from the manifest (tar and gzip intact)', async () => {
        const tarBytes = gunzipSync(readFileSync(join(out, name)));
        const at = tarBytes.indexOf('vgname pve');
        expect(at).toBeGreaterThan(0);
        tarBytes[at] = 'V'.charCodeAt(0);
        const dir = tempDir();
        writeFileSync(join(dir, name), gzipSync(tarBytes));
        const r = await createArchiveStore({ dir }).verify(name);
        expect(r.ok).toBe(false);
        expect(r.errors).toEqual([expect.stringMatching(/^etc\/pve\/storage\.cfg: content does not match the manifest/)]);
    });

    it('list shows complete archives only (no partials, no other files)', async () => {
        writeFileSync(join(out, `.${name}.99999.partial`), 'half');
        writeFileSync(join(out, 'notes.txt'), 'x');
        writeFileSync(join(out, 'pve1-pve-config-garbage.tar.gz'), 'x');
        const r = await service({ outputDir: out }).list();
        expect(r.archives.map((a) => a.name)).toEqual([name]);
        expect(r.archives[0]).toMatchObject({ node: 'pve1', encrypted: false, verified: { ok: true }, copies: [] });
        expect(r.schedule).toBe('01:30');
        expect(r.lastRun).toBeUndefined();
    });
});
