// SPDX-License-Identifier: AGPL-3.0-or-later
// ConfigStore on real temp files: defaults, last good config on a broken file, environment
// overrides, atomic save, and the read-only pmxcfs (no quorum) path where nothing may be lost.
import * as fsp from 'node:fs/promises';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSaveError, type ConfigFs, ConfigStore, configLocation } from '../../src/config/load.ts';
import type { ConfigSecrets } from '../../src/config/types.ts';

let dir: string;
let file: string;
let secretsFile: string;

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pbh-config-'));
    file = join(dir, 'backup-health.json');
    secretsFile = join(dir, 'backup-health.secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = { version: 1, checkIntervalSeconds: 120, language: 'de', notifications: { targets: [{ type: 'gotify', name: 'phone', server: 'https://gotify.example.com' }] } };
const SECRETS = { version: 1, targets: { phone: { token: 'Gotify-Secret-4711' } } };

function write(path: string, value: unknown): void {
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
}

function store(env: Record<string, string> = {}, fs?: ConfigFs, clusterFs = false): ConfigStore {
    return new ConfigStore({ location: { ...configLocation(file), clusterFs }, env, ...(fs ? { fs } : {}) });
}

describe('configLocation', () => {
    it('uses the pmxcfs files by default and a sibling secrets file for a local path', () => {
        expect(configLocation()).toEqual({ configFile: '/etc/pve/backup-health.json', secretsFile: '/etc/pve/priv/backup-health.json', clusterFs: true });
        expect(configLocation('/srv/pbh/settings.json')).toEqual({ configFile: '/srv/pbh/settings.json', secretsFile: '/srv/pbh/settings.secrets.json', clusterFs: false });
        expect(configLocation('/srv/pbh/settings').secretsFile).toBe('/srv/pbh/settings.secrets.json');
    });
});

describe('load', () => {
    it('gives the defaults when no file exists', async () => {
        const r = await store().load();
        expect(r).toMatchObject({ source: 'defaults', errors: [], warnings: [], path: file });
        expect(r.config.checkIntervalSeconds).toBe(60);
    });

    it('reads settings and secrets', async () => {
        write(file, GOOD);
        write(secretsFile, SECRETS);
        const r = await store().load();
        expect(r).toMatchObject({ source: 'file', errors: [], warnings: [] });
        expect(r.config.language).toBe('de');
        expect(r.secrets.targets.phone?.token).toBe('Gotify-Secret-4711');
    });

    it('keeps the last good settings when the file becomes invalid, and takes the fixed file again', async () => {
        write(file, GOOD);
        write(secretsFile, SECRETS);
        const s = store();
        await s.load();
        write(file, { ...GOOD, checkIntervalSeconds: 1 });
        const broken = await s.load();
        expect(broken.source).toBe('last-good');
        expect(broken.errors).toEqual([`${file}: checkIntervalSeconds: expected a whole number from 10 to 3600 (got 1)`]);
        expect(broken.config.checkIntervalSeconds).toBe(120);
        expect(broken.secrets.targets.phone?.token).toBe('Gotify-Secret-4711');

        write(file, '{ "version": 1,\n  "language": "it",\n}');
        const syntax = await s.load();
        expect(syntax).toMatchObject({ source: 'last-good', errors: [`${file}: not valid JSON (line 3, column 1)`] });
        expect(syntax.config.language).toBe('de');

        write(file, { ...GOOD, checkIntervalSeconds: 300 });
        const fixed = await s.load();
        expect(fixed).toMatchObject({ source: 'file', errors: [] });
        expect(fixed.config.checkIntervalSeconds).toBe(300);
    });

    it('a broken secrets file keeps the last good pair, and its error never shows the content', async () => {
        write(file, GOOD);
        write(secretsFile, SECRETS);
        const s = store();
        await s.load();
        write(file, { ...GOOD, language: 'it' });
        write(secretsFile, '{"targets": {"phone": {"token": Leaked-Token-99}}}');
        const r = await s.load();
        expect(r.source).toBe('last-good');
        expect(r.config.language).toBe('de');
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toMatch(new RegExp(`^${secretsFile}: not valid JSON`));
        expect(JSON.stringify(r.errors)).not.toContain('Leaked');
    });

    it('an invalid file on the first load falls back to the defaults and says why', async () => {
        write(file, { language: 'fr' });
        const r = await store().load();
        expect(r).toMatchObject({ source: 'defaults', errors: [`${file}: language: expected one of en, de, it (got "fr")`] });
        expect(r.config.language).toBe('en');
    });

    it('a readable settings file without its secrets still counts, and warns about the missing secret', async () => {
        write(file, GOOD);
        const r = await store().load();
        expect(r.source).toBe('file');
        expect(r.warnings).toEqual(["notifications.targets[0] (gotify 'phone'): secret 'token' is not set"]);
    });

    it('applies environment overrides on top of the file, and lists them', async () => {
        write(file, GOOD);
        const r = await store({ PVE_BACKUP_HEALTH_CHECK_INTERVAL: '90', PVE_BACKUP_HEALTH_LANGUAGE: 'it' }).load();
        expect(r.config).toMatchObject({ checkIntervalSeconds: 90, language: 'it' });
        expect(r.fileConfig).toMatchObject({ checkIntervalSeconds: 120, language: 'de' });
        expect(r.overrides).toEqual({ checkIntervalSeconds: 'PVE_BACKUP_HEALTH_CHECK_INTERVAL', language: 'PVE_BACKUP_HEALTH_LANGUAGE' });
    });

    it('a bad override is an error naming the variable; the file settings stay in force', async () => {
        write(file, GOOD);
        const r = await store({ PVE_BACKUP_HEALTH_LANGUAGE: 'klingon' }).load();
        expect(r.errors).toEqual(['environment: language (PVE_BACKUP_HEALTH_LANGUAGE): expected one of en, de, it (got "klingon")']);
        expect(r.config.language).toBe('de');
    });

    it('says when a file cannot be read for lack of permission', async () => {
        write(file, GOOD);
        const denied: ConfigFs = { ...fsp, readFile: (async () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }))) as ConfigFs['readFile'] };
        const r = await store({}, denied).load();
        expect(r.errors[0]).toBe(`${file}: permission denied (the daemon must run as root)`);
    });
});

describe('save', () => {
    const secrets: ConfigSecrets = { targets: { phone: { token: 'New-Token-1234' } }, remotes: {}, archive: {} };

    it('writes both files via a temp file + rename in the same directory, and loads the result', async () => {
        const calls: string[] = [];
        const spy: ConfigFs = {
            ...fsp,
            open: ((path: string, ...rest: unknown[]) => {
                calls.push(`open ${path}`);
                return (fsp.open as (...a: unknown[]) => unknown)(path, ...rest);
            }) as ConfigFs['open'],
            rename: (async (from: string, to: string) => {
                calls.push(`rename ${from} -> ${to}`);
                return fsp.rename(from, to);
            }) as ConfigFs['rename'],
        };
        const s = store({}, spy);
        const loaded = await s.load();
        const config = { ...loaded.config, language: 'it' as const, notifications: { targets: [{ type: 'gotify' as const, name: 'phone', enabled: true, server: 'https://g.example.com' }] } };
        const r = await s.save(config, secrets);
        expect(r).toMatchObject({ source: 'file', errors: [], warnings: [] });
        expect(r.config.language).toBe('it');
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(config);
        expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).toEqual({ version: 1, targets: { phone: { token: 'New-Token-1234' } }, remotes: {}, archive: {} });
        expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
        const tmp = calls.filter((c) => c.startsWith('open ')).map((c) => c.slice(5));
        expect(tmp).toHaveLength(2);
        for (const t of tmp) expect(t.startsWith(join(dir, '.'))).toBe(true);
        expect(calls.filter((c) => c.startsWith('rename'))).toEqual([`rename ${tmp[0]} -> ${secretsFile}`, `rename ${tmp[1]} -> ${file}`]);
        expect(readdirSync(dir).sort()).toEqual(['backup-health.json', 'backup-health.secrets.json']);

        // Unchanged secrets are not rewritten (pmxcfs replicates every write to every node).
        calls.length = 0;
        await s.save({ ...config, historyDays: 40 }, secrets);
        expect(calls.filter((c) => c.startsWith('rename'))).toEqual([`rename ${calls[0]?.slice(5)} -> ${file}`]);
    });

    it('keeps the daemon API token the package setup wrote when settings are saved', async () => {
        writeFileSync(secretsFile, JSON.stringify({ apiToken: 'backup-health@pve!daemon=1234-uuid' }));
        const s = store();
        const loaded = await s.load();
        expect(loaded.secrets.apiToken).toBe('backup-health@pve!daemon=1234-uuid');
        await s.save({ ...loaded.config, language: 'it' }, loaded.secrets);
        expect(JSON.parse(readFileSync(secretsFile, 'utf8')).apiToken).toBe('backup-health@pve!daemon=1234-uuid');
    });

    it('refuses invalid settings and writes nothing', async () => {
        const s = store();
        const { config } = await s.load();
        const err = await s.save({ ...config, checkIntervalSeconds: 0 }, secrets).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigSaveError);
        expect((err as ConfigSaveError).reason).toBe('invalid');
        expect((err as ConfigSaveError).errors).toEqual(['checkIntervalSeconds: expected a whole number from 10 to 3600 (got 0)']);
        expect(readdirSync(dir)).toEqual([]);
    });

    it('without quorum (EACCES on pmxcfs) reports it clearly and loses nothing', async () => {
        write(file, GOOD);
        write(secretsFile, SECRETS);
        const before = [readFileSync(file, 'utf8'), readFileSync(secretsFile, 'utf8')];
        const readOnly: ConfigFs = { ...fsp, open: (async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))) as ConfigFs['open'] };
        const s = store({}, readOnly, true);
        const loaded = await s.load();
        const err = await s.save({ ...loaded.config, language: 'it' }, secrets).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigSaveError);
        expect((err as Error).message).toBe('cluster not quorate: /etc/pve is read-only, settings not saved');
        expect((err as ConfigSaveError).reason).toBe('read-only');
        expect([readFileSync(file, 'utf8'), readFileSync(secretsFile, 'utf8')]).toEqual(before);
        expect(s.current()?.config.language).toBe('de');
        expect(readdirSync(dir).sort()).toEqual(['backup-health.json', 'backup-health.secrets.json']);
    });

    it('when quorum is lost between the two writes, the old secrets are put back', async () => {
        write(file, GOOD);
        write(secretsFile, SECRETS);
        const oldSecrets = readFileSync(secretsFile, 'utf8');
        let opens = 0;
        const flaky: ConfigFs = {
            ...fsp,
            open: ((path: string, ...rest: unknown[]) => {
                opens++;
                // 1st open: new secrets (ok), 2nd: settings (quorum gone), 3rd: restoring secrets.
                if (opens === 2) return Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
                return (fsp.open as (...a: unknown[]) => unknown)(path, ...rest);
            }) as ConfigFs['open'],
        };
        const s = store({}, flaky, true);
        const loaded = await s.load();
        await expect(s.save({ ...loaded.config, language: 'it' }, secrets)).rejects.toThrow('cluster not quorate');
        expect(readFileSync(secretsFile, 'utf8')).toBe(oldSecrets);
        expect(JSON.parse(readFileSync(file, 'utf8')).language).toBe('de');
        expect(readdirSync(dir).sort()).toEqual(['backup-health.json', 'backup-health.secrets.json']);
    });

    it('writable() reads pmxcfs mode bits (0555 without quorum, even for root)', async () => {
        const s = store({}, undefined, true);
        expect(await s.writable()).toBe(true);
        await fsp.chmod(dir, 0o555);
        try {
            expect(await s.writable()).toBe(false);
        } finally {
            await fsp.chmod(dir, 0o755);
        }
    });
});
