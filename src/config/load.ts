// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads and writes the settings files. On a PVE node: `/etc/pve/backup-health.json` (pmxcfs,
 * cluster-wide) and the secrets in `/etc/pve/priv/backup-health.json` (root only). Elsewhere:
 * `--config <file>` and its sibling `<file minus .json>.secrets.json`.
 *
 *     const store = new ConfigStore({ location: configLocation(), env: process.env });
 *     const { config, secrets, errors, source } = await store.load();
 *
 * An invalid file never replaces a good one: `load()` keeps the last good settings
 * (`source: 'last-good'`) and returns the errors. `save()` writes temp file + rename in the same
 * directory; without quorum pmxcfs refuses with EACCES, reported as 'cluster not quorate' with
 * nothing changed.
 */

import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { applyEnvOverrides, attributeErrors } from './env.ts';
import { defaultConfig, validateConfig } from './schema.ts';
import { missingSecrets, serializeSecrets, validateSecrets } from './secrets.ts';
import type { ConfigSecrets, DaemonConfig } from './types.ts';

export const PVE_CONFIG_FILE = '/etc/pve/backup-health.json';
export const PVE_SECRETS_FILE = '/etc/pve/priv/backup-health.json';
/** pmxcfs refuses files above 1 MiB (EFBIG). */
const MAX_BYTES = 1024 * 1024;

export interface ConfigLocation {
    configFile: string;
    secretsFile: string;
    /** The files live in pmxcfs: EACCES means "no quorum", modes 0444/0555 mean read-only. */
    clusterFs: boolean;
}

/** The PVE paths, or a local file and its sibling secrets file. */
export function configLocation(configFile?: string): ConfigLocation {
    if (configFile === undefined) return { configFile: PVE_CONFIG_FILE, secretsFile: PVE_SECRETS_FILE, clusterFs: true };
    const stem = configFile.endsWith('.json') ? configFile.slice(0, -'.json'.length) : configFile;
    return { configFile, secretsFile: `${stem}.secrets.json`, clusterFs: configFile.startsWith('/etc/pve/') };
}

export type ConfigSource = 'file' | 'defaults' | 'last-good';

export interface LoadResult {
    /** Effective settings: file (or last good, or defaults) plus environment overrides. */
    config: DaemonConfig;
    /** The file's settings without environment overrides: what the GUI edits and `save` writes. */
    fileConfig: DaemonConfig;
    secrets: ConfigSecrets;
    /** Why the file (or an override) was not taken; empty when all is well. Never holds a secret. */
    errors: string[];
    /** Problems that do not stop the settings from being used (e.g. a target's secret is not set). */
    warnings: string[];
    source: ConfigSource;
    path: string;
    /** Settings path → environment variable that overrides it. */
    overrides: Record<string, string>;
}

/** The subset of node:fs/promises the store uses; tests pass a wrapper that fails on purpose. */
export type ConfigFs = Pick<typeof nodeFs, 'readFile' | 'open' | 'rename' | 'rm' | 'stat' | 'access'>;

export class ConfigSaveError extends Error {
    constructor(
        message: string,
        /** read-only: no quorum or no permission; invalid: the settings were rejected; io: anything else. */
        readonly reason: 'read-only' | 'invalid' | 'io',
        readonly errors: string[] = [],
    ) {
        super(message);
        this.name = 'ConfigSaveError';
    }
}

/** A JSON syntax error as `line L, column C`, without V8's excerpt of the text (it may be a secret). */
function jsonError(e: unknown, text: string): string {
    const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    if (pos === undefined) return 'not valid JSON';
    const before = text.slice(0, Number(pos));
    const line = before.split('\n').length;
    return `not valid JSON (line ${line}, column ${Number(pos) - before.lastIndexOf('\n')})`;
}

function errnoOf(e: unknown): string | undefined {
    return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

type Read = { kind: 'absent' } | { kind: 'text'; text: string } | { kind: 'error'; message: string };

export class ConfigStore {
    readonly location: ConfigLocation;
    private readonly env: Record<string, string | undefined>;
    private readonly fs: ConfigFs;
    private good: { fileConfig: DaemonConfig; secrets: ConfigSecrets } | undefined;
    private last: LoadResult | undefined;

    constructor(options: { location: ConfigLocation; env?: Record<string, string | undefined>; fs?: ConfigFs }) {
        this.location = options.location;
        this.env = options.env ?? {};
        this.fs = options.fs ?? nodeFs;
    }

    /** The result of the latest load or save, if any. */
    current(): LoadResult | undefined {
        return this.last;
    }

    async load(): Promise<LoadResult> {
        const errors: string[] = [];
        const { configFile, secretsFile } = this.location;
        const file = await this.read(configFile);
        let fileConfig: DaemonConfig | undefined;
        let source: ConfigSource = 'file';
        if (file.kind === 'absent') {
            fileConfig = defaultConfig();
            source = 'defaults';
        } else if (file.kind === 'error') errors.push(file.message);
        else {
            const parsed = this.parse(file.text, configFile, errors);
            if (parsed !== undefined) {
                const r = validateConfig(parsed, { secretsFile });
                if (r.ok) fileConfig = r.config;
                else errors.push(...r.errors.map((e) => `${configFile}: ${e}`));
            }
        }
        let secrets = await this.loadSecrets(errors);
        if (fileConfig === undefined || secrets === undefined) {
            if (this.good) {
                // Keep running on the last good pair; never mix new settings with old secrets.
                ({ fileConfig, secrets } = this.good);
                source = 'last-good';
            } else {
                // First load: a valid settings file still counts, so its targets fail loudly
                // for want of secrets instead of silently not existing.
                if (fileConfig === undefined) source = 'defaults';
                fileConfig ??= defaultConfig();
                secrets ??= { targets: {}, remotes: {}, archive: {} };
            }
        } else if (errors.length === 0) this.good = { fileConfig, secrets };
        const effective = this.withEnv(fileConfig, errors);
        this.last = {
            config: effective.config,
            fileConfig,
            secrets,
            errors,
            warnings: missingSecrets(effective.config, secrets),
            source,
            path: configFile,
            overrides: effective.overrides,
        };
        return this.last;
    }

    /**
     * Writes settings and secrets (validated first). Throws ConfigSaveError; on failure the files
     * on disk and the loaded settings are unchanged.
     */
    async save(config: DaemonConfig, secrets: ConfigSecrets): Promise<LoadResult> {
        const { configFile, secretsFile } = this.location;
        const checked = validateConfig(JSON.parse(JSON.stringify(config)), { secretsFile });
        if (!checked.ok) throw new ConfigSaveError(`settings not saved: ${checked.errors.join('; ')}`, 'invalid', checked.errors);
        const configText = `${JSON.stringify(checked.config, null, 2)}\n`;
        const secretsText = serializeSecrets(secrets);
        for (const [path, text] of [[configFile, configText], [secretsFile, secretsText]] as const) {
            if (Buffer.byteLength(text) > MAX_BYTES) throw new ConfigSaveError(`settings not saved: ${path} would exceed 1 MiB (pmxcfs limit)`, 'invalid');
        }
        const oldSecrets = await this.read(secretsFile);
        const secretsChanged = oldSecrets.kind !== 'text' || oldSecrets.text !== secretsText;
        if (secretsChanged) await this.writeAtomic(secretsFile, secretsText, 0o600);
        try {
            await this.writeAtomic(configFile, configText, 0o640);
        } catch (e) {
            // Put the old secrets back so settings and secrets never disagree.
            if (secretsChanged && oldSecrets.kind === 'text') await this.writeAtomic(secretsFile, oldSecrets.text, 0o600).catch(() => undefined);
            throw e;
        }
        return this.load();
    }

    /**
     * Whether a save can succeed now. pmxcfs shows 0444/0555 without quorum (root would pass an
     * access() check), so the directory's mode bits decide there.
     */
    async writable(): Promise<boolean> {
        const dir = dirname(this.location.configFile);
        try {
            if (this.location.clusterFs) return ((await this.fs.stat(dir)).mode & 0o222) !== 0;
            await this.fs.access(dir, nodeFs.constants.W_OK);
            return true;
        } catch {
            return false;
        }
    }

    private withEnv(fileConfig: DaemonConfig, errors: string[]): { config: DaemonConfig; overrides: Record<string, string> } {
        const applied = applyEnvOverrides(fileConfig, this.env);
        if (Object.keys(applied.overrides).length === 0) return { config: fileConfig, overrides: {} };
        const r = validateConfig(applied.document, { secretsFile: this.location.secretsFile });
        if (r.ok) return { config: r.config, overrides: applied.overrides };
        errors.push(...attributeErrors(r.errors, applied.overrides).map((e) => `environment: ${e}`));
        return { config: fileConfig, overrides: {} };
    }

    private async loadSecrets(errors: string[]): Promise<ConfigSecrets | undefined> {
        const path = this.location.secretsFile;
        const read = await this.read(path);
        if (read.kind === 'absent') return { targets: {}, remotes: {}, archive: {} };
        if (read.kind === 'error') {
            errors.push(read.message);
            return undefined;
        }
        const parsed = this.parse(read.text, path, errors);
        if (parsed === undefined) return undefined;
        const r = validateSecrets(parsed);
        if (r.ok) return r.secrets;
        errors.push(...r.errors.map((e) => `${path}: ${e}`));
        return undefined;
    }

    private parse(text: string, path: string, errors: string[]): unknown {
        try {
            return JSON.parse(text);
        } catch (e) {
            errors.push(`${path}: ${jsonError(e, text)}`);
            return undefined;
        }
    }

    private async read(path: string): Promise<Read> {
        try {
            const st = await this.fs.stat(path);
            if (st.size > MAX_BYTES) return { kind: 'error', message: `${path}: larger than 1 MiB, not read` };
            return { kind: 'text', text: await this.fs.readFile(path, 'utf8') };
        } catch (e) {
            const code = errnoOf(e);
            if (code === 'ENOENT') return { kind: 'absent' };
            if (code === 'EACCES' || code === 'EPERM') return { kind: 'error', message: `${path}: permission denied (the daemon must run as root)` };
            return { kind: 'error', message: `${path}: cannot read (${code ?? (e instanceof Error ? e.message : String(e))})` };
        }
    }

    private async writeAtomic(path: string, text: string, mode: number): Promise<void> {
        const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
        try {
            const handle = await this.fs.open(tmp, 'w', mode);
            try {
                await handle.writeFile(text, 'utf8');
                await handle.sync();
            } finally {
                await handle.close();
            }
            await this.fs.rename(tmp, path);
        } catch (e) {
            await this.fs.rm(tmp, { force: true }).catch(() => undefined);
            throw this.saveError(e, path);
        }
    }

    private saveError(e: unknown, path: string): ConfigSaveError {
        const code = errnoOf(e);
        if ((code === 'EACCES' || code === 'EROFS') && this.location.clusterFs) {
            return new ConfigSaveError('cluster not quorate: /etc/pve is read-only, settings not saved', 'read-only');
        }
        if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new ConfigSaveError(`cannot write ${path}: permission denied, settings not saved`, 'read-only');
        if (code === 'EFBIG') return new ConfigSaveError(`cannot write ${path}: file too large for /etc/pve (1 MiB), settings not saved`, 'io');
        return new ConfigSaveError(`cannot write ${path}: ${code ?? (e instanceof Error ? e.message : String(e))}, settings not saved`, 'io');
    }
}
