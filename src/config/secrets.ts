// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The secrets document (`/etc/pve/priv/backup-health.json`), kept by owner NAME so reordering
 * targets never hands one target's token to another:
 *
 *     { "version": 1,
 *       "apiToken": "backup-health@pve!daemon=…",
 *       "targets": { "phone": { "token": "…" } },
 *       "remotes": { "dc2": { "tokenSecret": "…" } },
 *       "archive": { "passphrase": "…" } }
 *
 * The API speaks of secrets by settings path (`notifications.targets.0.token`, as
 * SettingsResponse.secretsSet does); this module converts. No function here ever puts a secret
 * value into an error or a returned public object.
 */

import { type ConfigSecrets, type DaemonConfig, REMOTE_SECRET_KEYS, TARGET_SECRET_KEYS } from './types.ts';

export type SecretsResult = { ok: true; secrets: ConfigSecrets } | { ok: false; errors: string[] };

function isObject(x: unknown): x is Record<string, unknown> {
    return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stringMap(x: unknown, path: string, errors: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    if (x === undefined) return out;
    if (!isObject(x)) {
        errors.push(`${path}: expected an object`);
        return out;
    }
    for (const [k, v] of Object.entries(x)) {
        if (typeof v === 'string') out[k] = v;
        else errors.push(`${path}.${k}: expected a string`);
    }
    return out;
}

function ownerMap(x: unknown, path: string, errors: string[]): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    if (x === undefined) return out;
    if (!isObject(x)) {
        errors.push(`${path}: expected an object`);
        return out;
    }
    for (const [name, v] of Object.entries(x)) out[name] = stringMap(v, `${path}.${name}`, errors);
    return out;
}

/** Validates the secrets document; errors name the path, never the value. */
export function validateSecrets(input: unknown): SecretsResult {
    const errors: string[] = [];
    if (!isObject(input)) return { ok: false, errors: ['(document): expected an object'] };
    if (input.version !== undefined && input.version !== 1) errors.push('version: unsupported secrets version (this build reads version 1)');
    for (const k of Object.keys(input)) {
        if (!['version', 'apiToken', 'targets', 'remotes', 'archive'].includes(k)) errors.push(`${k}: unknown key`);
    }
    if (input.apiToken !== undefined && typeof input.apiToken !== 'string') errors.push('apiToken: expected a string');
    const secrets: ConfigSecrets = {
        targets: ownerMap(input.targets, 'targets', errors),
        remotes: ownerMap(input.remotes, 'remotes', errors),
        archive: stringMap(input.archive, 'archive', errors),
    };
    if (typeof input.apiToken === 'string' && input.apiToken !== '') secrets.apiToken = input.apiToken;
    return errors.length > 0 ? { ok: false, errors } : { ok: true, secrets };
}

/** Settings paths of the secrets that are set, in the API's form (`notifications.targets.0.token`). */
export function secretsSet(config: DaemonConfig, secrets: ConfigSecrets): string[] {
    const out: string[] = [];
    config.notifications.targets.forEach((t, i) => {
        const mine = secrets.targets[t.name] ?? {};
        for (const { key } of TARGET_SECRET_KEYS[t.type]) if (mine[key]) out.push(`notifications.targets.${i}.${key}`);
    });
    config.remotes.forEach((r, i) => {
        const mine = secrets.remotes[r.name] ?? {};
        for (const key of REMOTE_SECRET_KEYS) if (mine[key]) out.push(`remotes.${i}.${key}`);
    });
    for (const [k, v] of Object.entries(secrets.archive)) if (v) out.push(`archive.${k}`);
    return out;
}

/** What the API and `config show` may reveal: the settings (which hold no secret) and which secrets are set. */
export function publicSettings(config: DaemonConfig, secrets: ConfigSecrets): { settings: Record<string, unknown>; secretsSet: string[] } {
    return { settings: structuredClone(config) as unknown as Record<string, unknown>, secretsSet: secretsSet(config, secrets) };
}

export type SecretUpdateResult = { ok: true; secrets: ConfigSecrets } | { ok: false; errors: string[] };

/**
 * Applies `SettingsUpdate.secrets` (path → value; '' removes) against the NEW settings, and drops
 * secrets of targets and remotes that no longer exist.
 */
export function applySecretUpdates(config: DaemonConfig, current: ConfigSecrets, updates: Record<string, string>): SecretUpdateResult {
    const next = pruneSecrets(config, current);
    const errors: string[] = [];
    for (const [path, value] of Object.entries(updates)) {
        if (typeof value !== 'string') {
            errors.push(`secrets.${path}: expected a string`);
            continue;
        }
        const slot = locate(config, next, path);
        if (typeof slot === 'string') {
            errors.push(`secrets.${path}: ${slot}`);
            continue;
        }
        if (value === '') delete slot.map[slot.key];
        else slot.map[slot.key] = value;
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, secrets: next };
}

function locate(config: DaemonConfig, s: ConfigSecrets, path: string): { map: Record<string, string>; key: string } | string {
    const t = /^notifications\.targets\.(\d+)\.([A-Za-z]+)$/.exec(path);
    if (t) {
        const target = config.notifications.targets[Number(t[1])];
        if (!target) return 'no such target';
        const key = t[2] as string;
        if (!TARGET_SECRET_KEYS[target.type].some((k) => k.key === key)) return `a ${target.type} target has no secret '${key}'`;
        s.targets[target.name] ??= {};
        return { map: s.targets[target.name] as Record<string, string>, key };
    }
    const r = /^remotes\.(\d+)\.([A-Za-z]+)$/.exec(path);
    if (r) {
        const remote = config.remotes[Number(r[1])];
        if (!remote) return 'no such remote';
        const key = r[2] as string;
        if (!(REMOTE_SECRET_KEYS as readonly string[]).includes(key)) return `a remote has no secret '${key}'`;
        s.remotes[remote.name] ??= {};
        return { map: s.remotes[remote.name] as Record<string, string>, key };
    }
    const a = /^archive\.([A-Za-z0-9_-]+)$/.exec(path);
    if (a) return { map: s.archive, key: a[1] as string };
    return 'unknown secret path';
}

/** A copy without the secrets of targets and remotes the settings no longer name. */
export function pruneSecrets(config: DaemonConfig, s: ConfigSecrets): ConfigSecrets {
    const out: ConfigSecrets = { targets: {}, remotes: {}, archive: { ...s.archive } };
    if (s.apiToken !== undefined) out.apiToken = s.apiToken;
    for (const t of config.notifications.targets) if (s.targets[t.name]) out.targets[t.name] = { ...s.targets[t.name] };
    for (const r of config.remotes) if (s.remotes[r.name]) out.remotes[r.name] = { ...s.remotes[r.name] };
    return out;
}

/** Required secrets that are missing: the target or remote cannot work (reported, not fatal). */
export function missingSecrets(config: DaemonConfig, s: ConfigSecrets): string[] {
    const out: string[] = [];
    config.notifications.targets.forEach((t, i) => {
        const mine = s.targets[t.name] ?? {};
        for (const { key, required } of TARGET_SECRET_KEYS[t.type]) {
            if (required && !mine[key]) out.push(`notifications.targets[${i}] (${t.type} '${t.name}'): secret '${key}' is not set`);
        }
        if (t.type === 'smtp' && t.username !== undefined && !mine.password) {
            out.push(`notifications.targets[${i}] (smtp '${t.name}'): secret 'password' is not set but username is`);
        }
    });
    config.remotes.forEach((r, i) => {
        if (!s.remotes[r.name]?.tokenSecret) out.push(`remotes[${i}] ('${r.name}'): secret 'tokenSecret' is not set`);
    });
    return out;
}

/** The secrets file as written: stable key order, a version. */
export function serializeSecrets(s: ConfigSecrets): string {
    const doc = { version: 1, ...(s.apiToken !== undefined ? { apiToken: s.apiToken } : {}), targets: s.targets, remotes: s.remotes, archive: s.archive };
    return `${JSON.stringify(doc, null, 2)}\n`;
}
