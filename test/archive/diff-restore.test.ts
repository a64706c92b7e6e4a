// SPDX-License-Identifier: AGPL-3.0-or-later
// The `archive` CLI (injected factory, real adapters): diff of two archives with secrets
// redacted, restore into a staging directory with the guide, and refusal of dangerous targets
// and members.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfArchive, memberHeader, padding } from '../../src/adapters/archive/tar-format.ts';
import { createArchiveCommand } from '../../src/cli/commands/archive.ts';
import { runCli } from '../../src/cli/main.ts';
import { composeArchives } from '../../src/compose-archives.ts';
import { DB, cleanTemps, makeRoot, sqlite, tempDir } from './helpers.ts';

afterAll(cleanTemps);

const DAY = 86_400;

async function archive(args: string[], now = 1_795_000_000): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(['archive', ...args], [createArchiveCommand(composeArchives)], {
        out: (s) => {
            out += s;
        },
        err: (s) => {
            err += s;
        },
        env: {},
        now: () => now,
    });
    return { code, out, err };
}

describe('archive diff and restore (CLI)', () => {
    let root: string;
    let out: string;
    let a: string;
    let b: string;

    beforeAll(async () => {
        root = makeRoot(50);
        out = tempDir();
        const first = await archive(['create', '--source-root', root, '--output', out]);
        expect(first).toMatchObject({ code: 0, err: '' });
        a = join(out, /created (\S+)/.exec(first.out)?.[1] ?? '');
        const vm = join(root, 'etc/pve/nodes/pve1/qemu-server/100.conf');
        writeFileSync(vm, readFileSync(vm, 'utf8').replace('memory: 4096', 'memory: 8192').replace('CIPASSWORDHASHsecret', 'NEWCIPASSWORDsecret'));
        writeFileSync(join(root, 'etc/pve/nodes/pve1/qemu-server/102.conf'), 'memory: 1024\nname: new\n');
        rmSync(join(root, 'etc/pve/nodes/pve1/lxc/101.conf'));
        writeFileSync(join(root, 'etc/pve/priv/token.cfg'), 'backup@pve!monitor NEWTOKENSECRET-0000\n');
        sqlite(join(root, DB), "UPDATE tree SET name = 'changed' WHERE inode = 1;");
        const second = await archive(['create', '--source-root', root, '--output', out], 1_795_000_000 + DAY);
        expect(second.code).toBe(0);
        b = join(out, /created (\S+)/.exec(second.out)?.[1] ?? '');
    });

    it('create prints the archive and its verification; list shows both', async () => {
        const l = await archive(['list', '--output', out]);
        expect(l.code).toBe(0);
        expect(l.out).toMatch(/^pve1-pve-config-20261119T110640Z\.tar\.gz {2}2026-11-19T11:06:40Z .* verified\npve1-pve-config-20261118T110640Z\.tar\.gz/);
    });

    it('shows added, removed and changed files with a config summary and a redacted unified diff', async () => {
        const d = await archive(['diff', a, b]);
        expect(d.code).toBe(0);
        expect(d.out).toContain('added:   etc/pve/nodes/pve1/qemu-server/102.conf\n');
        expect(d.out).toContain('removed: etc/pve/nodes/pve1/lxc/101.conf\n');
        expect(d.out).toContain('changed: qemu-server/100.conf: cipassword changed; memory 4096 → 8192\n');
        expect(d.out).toContain('changed: priv/token.cfg: secret content changed (not shown)\n');
        expect(d.out).toContain('changed: var/lib/pve-cluster/config.db: secret content changed (not shown)\n');
        expect(d.out).toContain('--- a/etc/pve/nodes/pve1/qemu-server/100.conf\n+++ b/etc/pve/nodes/pve1/qemu-server/100.conf\n@@');
        expect(d.out).toContain('\n-memory: 4096\n+memory: 8192\n');
        expect(d.out).toContain(' cipassword: <redacted>\n');
        for (const secret of ['CIPASSWORDHASH', 'NEWCIPASSWORD', 'TOKENSECRET', 'SHADOWHASH', 'fakesalt']) expect(d.out).not.toContain(secret);
        const json = JSON.parse((await archive(['diff', a, b, '--json'])).out);
        expect(json.changed.find((c: { path: string }) => c.path === 'etc/pve/nodes/pve1/qemu-server/100.conf').summary).toBe('qemu-server/100.conf: cipassword changed; memory 4096 → 8192');
    });

    it('restores into a staging directory and prints the cluster-member guide', async () => {
        const staging = join(tempDir(), 'staging');
        const r = await archive(['restore', b, '--to', staging]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/^extracted \d+ entries of .* to .*staging\n/);
        expect(r.out).toContain("cluster 'homelab'");
        expect(r.out).toContain('pvecm delnode pve1');
        expect(readFileSync(join(staging, 'etc/pve/nodes/pve1/qemu-server/100.conf'), 'utf8')).toContain('memory: 8192');
        expect(statSync(join(staging, DB)).mode & 0o777).toBe(0o600);
        expect(sqlite(join(staging, DB), 'PRAGMA integrity_check;').trim()).toBe('ok');
        expect(lstatSync(join(staging, 'root/.ssh/authorized_keys')).isSymbolicLink()).toBe(true);
        expect(readlinkSync(join(staging, 'root/.ssh/authorized_keys'))).toBe('/etc/pve/priv/authorized_keys');
        expect(statSync(join(staging, 'usr/local/bin/hook.sh')).mode & 0o777).toBe(0o755);
        expect(readFileSync(join(staging, 'manifest.json'), 'utf8')).toContain('"node": "pve1"');
    });

    it('prints the single-node guide for an archive without a cluster', async () => {
        const single = makeRoot(10);
        rmSync(join(single, 'etc/pve/corosync.conf'));
        rmSync(join(single, 'etc/corosync/corosync.conf'));
        const dir = tempDir();
        expect((await archive(['create', '--source-root', single, '--output', dir, '--node', 'solo'])).code).toBe(0);
        const file = join(dir, 'solo-pve-config-20261118T110640Z.tar.gz');
        const staging = join(tempDir(), 's');
        const r = await archive(['restore', file, '--to', staging]);
        expect(r.code).toBe(0);
        expect(r.out).toContain("Archive of node 'solo' (single node)");
        expect(r.out).toContain(`cp ${staging}/var/lib/pve-cluster/config.db /var/lib/pve-cluster/config.db && chmod 0600`);
    });

    it('refuses live system targets and non-empty directories', async () => {
        for (const target of ['/', '/etc', '/etc/pve', '/etc/pve/restore', '/tmp/../etc/x']) {
            const r = await archive(['restore', b, '--to', target]);
            expect(r.code, target).toBe(1);
            expect(r.err).toMatch(/refusing to restore into/);
        }
        const full = tempDir();
        writeFileSync(join(full, 'x'), 'x');
        expect((await archive(['restore', b, '--to', full])).err).toMatch(/is not empty/);
        expect((await archive(['restore', b])).code).toBe(2);
    });

    it('refuses archives with absolute or .. member names and writes nothing', async () => {
        const dir = tempDir();
        const victim = join(tempDir(), 'victim');
        mkdirSync(join(dir, 'sub'));
        writeFileSync(join(dir, 'sub', 'f'), 'x');
        execFileSync('tar', ['-czPf', join(dir, 'abs.tar.gz'), join(dir, 'sub', 'f')]);
        execFileSync('tar', ['-czPf', join(dir, 'dots.tar.gz'), '../sub/f'], { cwd: join(dir, 'sub') });
        for (const [file, why] of [['abs.tar.gz', /absolute path/], ['dots.tar.gz', /contains '\.\.'/]] as const) {
            const r = await archive(['restore', join(dir, file), '--to', victim]);
            expect(r.code).toBe(1);
            expect(r.err).toMatch(why);
        }
        expect(existsSync(victim)).toBe(false);
    });

    it('refuses a member that goes through a symlink the archive created', async () => {
        const outside = tempDir();
        const body = Buffer.from('pwned\n');
        const files = [
            { path: 'etc', type: 'symlink' as const, size: 0, mode: '0777', uid: 0, gid: 0, owner: 'root:root', mtime: 0, target: outside },
            { path: 'etc/evil', type: 'file' as const, size: body.length, mode: '0644', uid: 0, gid: 0, owner: 'root:root', mtime: 0, sha256: createHash('sha256').update(body).digest('hex') },
        ];
        const manifest = Buffer.from(JSON.stringify({ format: 1, tool: 't', node: 'x', cluster: null, clusterNodes: [], createdAt: 0, source: '/', pveVersion: 'unknown', packages: {}, versionSource: 'unknown', configDb: null, files, skipped: [], warnings: [] }));
        const tar = Buffer.concat([
            memberHeader({ path: 'etc', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, mtime: 0, target: outside }),
            memberHeader({ path: 'etc/evil', type: 'file', size: body.length, mode: 0o644, uid: 0, gid: 0, mtime: 0 }),
            body,
            padding(body.length),
            memberHeader({ path: 'manifest.json', type: 'file', size: manifest.length, mode: 0o600, uid: 0, gid: 0, mtime: 0 }),
            manifest,
            padding(manifest.length),
            endOfArchive(),
        ]);
        const file = join(tempDir(), 'x-pve-config-20260101T000000Z.tar.gz');
        writeFileSync(file, gzipSync(tar));
        expect((await archive(['verify', file])).code).toBe(0);
        const r = await archive(['restore', file, '--to', join(tempDir(), 'staging')]);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/goes through a symlink/);
        expect(existsSync(join(outside, 'evil'))).toBe(false);
    });
});
