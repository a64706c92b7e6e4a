// SPDX-License-Identifier: AGPL-3.0-or-later
// The package's cluster setup: default config, node marker, API user + token with the secret
// stored root-only. Runs against a pmxcfs-shaped directory and the pveum stand-in
// (stubs/pveum.cjs, a real process keeping users and tokens in a state file and logging calls).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterEnv, setupCluster } from '../../packaging/cluster-setup.ts';
import { validateConfig } from '../../src/config/schema.ts';
import { validateSecrets } from '../../src/config/secrets.ts';

const stub = join(import.meta.dirname, 'stubs/pveum.cjs');
const top = mkdtempSync(join(tmpdir(), 'pbh-cluster-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

let n = 0;
interface World {
    pve: string;
    stubDir: string;
    log: () => string[];
    state: () => { users: Record<string, { tokens: Record<string, { secret: string }> }>; acl: unknown[] };
    env: (node?: string) => ClusterEnv;
    secrets: () => Record<string, unknown>;
}

/** A fresh /etc/pve look-alike (with pmxcfs' virtual .version/.members) and pveum state. */
function world(members: object = { nodename: 'pve1', version: 3 }): World {
    const base = join(top, `w${++n}`);
    const pve = join(base, 'etc-pve');
    const stubDir = join(base, 'pveum');
    for (const d of ['priv', 'nodes/pve1', 'nodes/pve2']) mkdirSync(join(pve, d), { recursive: true });
    mkdirSync(stubDir);
    chmodSync(join(pve, 'priv'), 0o700);
    writeFileSync(join(pve, '.version'), '1\n');
    writeFileSync(join(pve, '.members'), JSON.stringify(members));
    const stubEnv = { ...process.env, PVEUM_STUB_STATE: join(stubDir, 'state.json'), PVEUM_STUB_LOG: join(stubDir, 'calls.log') };
    return {
        pve,
        stubDir,
        log: () => (existsSync(join(stubDir, 'calls.log')) ? readFileSync(join(stubDir, 'calls.log'), 'utf8').trim().split('\n') : []),
        state: () => JSON.parse(readFileSync(join(stubDir, 'state.json'), 'utf8')),
        secrets: () => JSON.parse(readFileSync(join(pve, 'priv/backup-health.json'), 'utf8')),
        env: (node = 'pve1') => ({
            pveDir: pve,
            nodeName: node,
            version: '0.1.0',
            defaultConfig: '{\n  "version": 1\n}\n',
            pveum: (args) => {
                const r = spawnSync(process.execPath, [stub, ...args], { encoding: 'utf8', env: stubEnv });
                return { code: r.status, stdout: r.stdout, stderr: r.stderr };
            },
        }),
    };
}

describe('cluster setup', () => {
    it('ships a default config the daemon accepts', () => {
        const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../packaging/default-config.json'), 'utf8'));
        expect(validateConfig(shipped)).toMatchObject({ ok: true });
    });

    it('on a fresh cluster: default config, node marker, PVEAuditor user, token secret stored root-only', () => {
        const w = world();
        const r = setupCluster(w.env());
        expect(r.status).toBe('done');
        expect(w.log()).toEqual([
            'pveum user list --full 1 --output-format json',
            'pveum user add backup-health@pve --comment pve-backup-health daemon (read-only, created by the package)',
            'pveum acl modify / --users backup-health@pve --roles PVEAuditor',
            'pveum user token add backup-health@pve daemon --privsep 0 --comment pve-backup-health daemon --output-format json',
        ]);
        const secret = w.state().users['backup-health@pve']!.tokens.daemon!.secret;
        expect(w.secrets()).toEqual({ version: 1, apiToken: `backup-health@pve!daemon=${secret}` });
        // What the daemon reads: the token, as its own secrets validation sees it.
        expect(validateSecrets(w.secrets())).toMatchObject({ ok: true, secrets: { apiToken: `backup-health@pve!daemon=${secret}` } });
        expect(statSync(join(w.pve, 'priv/backup-health.json')).mode & 0o777).toBe(0o600);
        expect(readFileSync(join(w.pve, 'backup-health.json'), 'utf8')).toBe('{\n  "version": 1\n}\n');
        expect(readFileSync(join(w.pve, 'nodes/pve1/backup-health.installed'), 'utf8')).toBe('0.1.0\n');
        // The secret goes to the file only, never into what is printed.
        expect(r.messages.join('\n')).not.toContain(secret);
        expect(r.messages).toContain(`created API token backup-health@pve!daemon; secret stored in ${join(w.pve, 'priv/backup-health.json')}`);
    });

    it('a second run, and the second node of the cluster, only look', () => {
        const w = world();
        setupCluster(w.env());
        const secrets = w.secrets();
        const calls = w.log().length;
        expect(setupCluster(w.env())).toEqual({ status: 'done', messages: [] });
        expect(setupCluster(w.env('pve2'))).toEqual({ status: 'done', messages: [] });
        expect(w.log().slice(calls)).toEqual(['pveum user list --full 1 --output-format json', 'pveum user list --full 1 --output-format json']);
        expect(w.secrets()).toEqual(secrets);
        expect(existsSync(join(w.pve, 'nodes/pve2/backup-health.installed'))).toBe(true);
    });

    it('keeps existing settings and other secrets (merge), adding only the token', () => {
        const w = world();
        writeFileSync(join(w.pve, 'backup-health.json'), '{"version":1,"intervalSeconds":120}\n');
        writeFileSync(join(w.pve, 'priv/backup-health.json'), '{"version":1,"targets":{"phone":{"token":"s3cr3t"}}}\n');
        expect(setupCluster(w.env()).status).toBe('done');
        expect(readFileSync(join(w.pve, 'backup-health.json'), 'utf8')).toBe('{"version":1,"intervalSeconds":120}\n');
        expect(w.secrets()).toMatchObject({ version: 1, targets: { phone: { token: 's3cr3t' } }, apiToken: expect.stringMatching(/^backup-health@pve!daemon=[0-9a-f-]{36}$/) });
    });

    it('re-creates a token whose secret was lost, and keeps the existing user and its ACL', () => {
        const w = world();
        setupCluster(w.env());
        const first = w.secrets().apiToken;
        rmSync(join(w.pve, 'priv/backup-health.json'));
        const calls = w.log().length;
        const r = setupCluster(w.env());
        expect(r.status).toBe('done');
        expect(r.messages[0]).toMatch(/exists but its secret is not stored: re-creating it/);
        expect(w.log().slice(calls)).toEqual([
            'pveum user list --full 1 --output-format json',
            'pveum user token remove backup-health@pve daemon',
            'pveum user token add backup-health@pve daemon --privsep 0 --comment pve-backup-health daemon --output-format json',
        ]);
        expect(w.secrets().apiToken).not.toBe(first);
        expect(w.state().acl).toHaveLength(1);
    });

    it('skips without quorum or without pmxcfs, writing and calling nothing', () => {
        const w = world({ nodename: 'pve1', cluster: { name: 'c', quorate: 0 } });
        const r = setupCluster(w.env());
        expect(r).toEqual({ status: 'skipped', messages: ['the cluster has no quorum: API token and default config not set up yet; the daemon retries'] });
        expect(w.log()).toEqual([]);
        expect(existsSync(join(w.pve, 'backup-health.json'))).toBe(false);

        const unmounted = world();
        rmSync(join(unmounted.pve, '.version'));
        expect(setupCluster(unmounted.env()).messages[0]).toMatch(/etc-pve is not mounted \(pve-cluster not running\)/);
        expect(existsSync(join(unmounted.pve, 'nodes/pve1/backup-health.installed'))).toBe(false);
    });

    it('skips when pveum says there is no quorum, and when pveum is missing', () => {
        const w = world({ nodename: 'pve1', cluster: { name: 'c', quorate: 1 } });
        writeFileSync(join(w.stubDir, 'no-quorum'), '');
        const r = setupCluster(w.env());
        expect(r.status).toBe('skipped');
        expect(r.messages.join()).toMatch(/pveum user add: cluster not ready - no quorum\?: setup skipped; the daemon retries/);
        expect(existsSync(join(w.pve, 'priv/backup-health.json'))).toBe(false);

        const none = world();
        const env = { ...none.env(), pveum: () => ({ code: null, stdout: '', stderr: '' }) };
        expect(setupCluster(env).messages.join()).toMatch(/pveum is not installed/);
    });

    it('fails without touching a secrets file that is not valid JSON', () => {
        const w = world();
        writeFileSync(join(w.pve, 'priv/backup-health.json'), '{ broken');
        const r = setupCluster(w.env());
        expect(r.status).toBe('failed');
        expect(r.messages.join()).toMatch(/priv\/backup-health\.json is not valid JSON; not touching it/);
        expect(readFileSync(join(w.pve, 'priv/backup-health.json'), 'utf8')).toBe('{ broken');
        expect(w.log().filter((l) => l.includes('token add'))).toEqual([]);
    });

    it('fails with pveum’s message on other errors, and never prints what pveum printed on stdout', () => {
        const w = world();
        const env = { ...w.env(), pveum: () => ({ code: 0, stdout: 'not json secret-123', stderr: '' }) };
        const r = setupCluster(env);
        expect(r).toEqual({ status: 'failed', messages: [`wrote default config ${join(w.pve, 'backup-health.json')}`, 'pveum user list: output is not JSON'] });
        const env2 = { ...w.env(), pveum: (a: string[]) => (a[0] === 'user' && a[1] === 'list' ? { code: 0, stdout: '[]', stderr: '' } : { code: 255, stdout: '', stderr: 'create user failed: something odd\n' }) };
        expect(setupCluster(env2)).toEqual({ status: 'failed', messages: ['pveum user add failed: create user failed: something odd'] });
    });
});

describe('setup cluster (bundled helper, real process): exit codes for the daemon', () => {
    const dir = join(top, 'helper');
    const helper = join(dir, 'setup.js');
    beforeAll(async () => {
        mkdirSync(join(dir, 'bin'), { recursive: true });
        await build({
            entryPoints: [join(import.meta.dirname, '../../packaging/setup.ts')],
            bundle: true,
            platform: 'node',
            target: 'node18',
            format: 'cjs',
            outfile: helper,
            define: { __PBH_VERSION__: '"0.1.0"' },
            logLevel: 'warning',
        });
        writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
        writeFileSync(join(dir, 'bin/pveum'), `#!/bin/sh\nexec "${process.execPath}" "${stub}" "$@"\n`, { mode: 0o755 });
        writeFileSync(join(dir, 'default.json'), '{}\n');
    });

    it('exits 75 without quorum, 0 once it could set up, 0 again when nothing is missing', () => {
        const w = world({ nodename: 'pve1', cluster: { name: 'c', quorate: 0 } });
        const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, PVEUM_STUB_STATE: join(w.stubDir, 'state.json'), PVEUM_STUB_LOG: join(w.stubDir, 'calls.log') };
        const run = () => spawnSync(process.execPath, [helper, 'cluster', '--pve-dir', w.pve, '--default-config', join(dir, 'default.json')], { encoding: 'utf8', env });
        const skipped = run();
        expect(skipped.status).toBe(75);
        expect(skipped.stderr).toMatch(/^pve-backup-health: the cluster has no quorum/);
        writeFileSync(join(w.pve, '.members'), JSON.stringify({ nodename: 'pve1', cluster: { name: 'c', quorate: 1 } }));
        const done = run();
        expect(done.status).toBe(0);
        expect(done.stderr).toMatch(/created API token backup-health@pve!daemon/);
        expect(w.secrets().apiToken).toMatch(/^backup-health@pve!daemon=/);
        expect(run()).toMatchObject({ status: 0, stderr: '' });
        writeFileSync(join(w.pve, 'priv/backup-health.json'), '[]');
        expect(run().status).toBe(1);
    });
});
