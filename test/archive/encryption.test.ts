// SPDX-License-Identifier: AGPL-3.0-or-later
// age encryption round trip: only the public key is on the host; without the identity an
// archive reveals nothing; verify, diff and restore decrypt with --identity.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveCommand } from '../../src/cli/commands/archive.ts';
import { runCli } from '../../src/cli/main.ts';
import { composeArchives } from '../../src/compose-archives.ts';
import { cleanTemps, makeRoot, service, tempDir } from './helpers.ts';

afterAll(cleanTemps);

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

describe('encrypted archives (age)', () => {
    let root: string;
    let out: string;
    let identityFile: string;
    let first: string;

    beforeAll(async () => {
        const identity = await generateIdentity();
        const recipient = await identityToRecipient(identity);
        identityFile = join(tempDir(), 'archive-key.txt');
        writeFileSync(identityFile, `# created: 2026-11-18T00:00:00Z\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600 });
        root = makeRoot(30);
        out = tempDir();
        const r = await archive(['create', '--source-root', root, '--output', out, '--recipient', recipient]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        first = join(out, 'pve1-pve-config-20261118T110640Z.tar.gz.age');
        const vm = join(root, 'etc/pve/nodes/pve1/qemu-server/100.conf');
        writeFileSync(vm, readFileSync(vm, 'utf8').replace('memory: 4096', 'memory: 8192'));
        expect((await archive(['create', '--source-root', root, '--output', out, '--recipient', recipient], 1_795_000_000 + 3600)).code).toBe(0);
    });

    it('writes an age file that reveals nothing without the identity', () => {
        const bytes = readFileSync(first);
        expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
        for (const plain of ['storage.cfg', 'TOKENSECRET', 'manifest.json', 'pve1']) expect(bytes.includes(plain), plain).toBe(false);
        expect(() => gunzipSync(bytes)).toThrow();
    });

    it('without the identity, only the recorded digest can be checked; a different identity fails', async () => {
        const byDigest = await archive(['verify', first]);
        expect(byDigest).toMatchObject({ code: 0, out: 'OK: the file re-read matches the SHA-256 recorded when it was written (encrypted: its members can be checked with --identity)\n' });
        const elsewhere = join(tempDir(), 'pve1-pve-config-20261118T110640Z.tar.gz.age');
        writeFileSync(elsewhere, readFileSync(first));
        const none = await archive(['verify', elsewhere]);
        expect(none.code).toBe(1);
        expect(none.out).toContain('is encrypted: pass the age identity file (--identity FILE)');
        const other = join(tempDir(), 'other.txt');
        writeFileSync(other, `${await generateIdentity()}\n`);
        const wrong = await archive(['verify', first, '--identity', other]);
        expect(wrong.code).toBe(1);
        expect(wrong.out).toMatch(/cannot decrypt/);
        expect((await archive(['verify', first, '--identity', join(tempDir(), 'missing.txt')])).code).toBe(1);
    });

    it('verifies, diffs and restores with --identity', async () => {
        const v = await archive(['verify', first, '--identity', identityFile]);
        expect(v).toMatchObject({ code: 0, out: expect.stringMatching(/^OK: \d+ members match the manifest\n$/) });
        const second = join(out, 'pve1-pve-config-20261118T120640Z.tar.gz.age');
        const d = await archive(['diff', first, second, '--identity', identityFile]);
        expect(d.code).toBe(0);
        expect(d.out).toContain('changed: qemu-server/100.conf: memory 4096 → 8192\n');
        const staging = join(tempDir(), 'staging');
        const r = await archive(['restore', second, '--to', staging, '--identity', identityFile]);
        expect(r.code).toBe(0);
        expect(readFileSync(join(staging, 'etc/pve/nodes/pve1/qemu-server/100.conf'), 'utf8')).toContain('memory: 8192');
    });

    it('the daemon API (no identity on the host) verifies by digest and answers 409 for contents', async () => {
        const svc = service({ outputDir: out });
        const second = 'pve1-pve-config-20261118T120640Z.tar.gz.age';
        expect(await svc.verify(second)).toEqual({ ok: true, checked: 0, errors: [] });
        await expect(svc.manifest(second)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/encrypted/) });
        await expect(svc.diff('pve1-pve-config-20261118T110640Z.tar.gz.age', second)).rejects.toMatchObject({ status: 409 });
    });

    it('detects a flipped byte in the ciphertext, with the identity and by the recorded digest', async () => {
        const copy = join(tempDir(), 'pve1-pve-config-20261118T110640Z.tar.gz.age');
        const bytes = readFileSync(first);
        const at = bytes.length - 100;
        bytes[at] = (bytes[at] as number) ^ 0x80;
        writeFileSync(copy, bytes);
        const r = await archive(['verify', copy, '--identity', identityFile]);
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/^FAILED/);
        writeFileSync(first, bytes);
        const d = await archive(['verify', first]);
        expect(d.code).toBe(1);
        expect(d.out).toMatch(/SHA-256 .* differs from the .* recorded when it was written/);
        expect((await archive(['list', '--output', out])).out).toMatch(/20261118T110640Z\.tar\.gz\.age .* FAILED: the file's SHA-256/);
    });
});
