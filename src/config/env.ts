// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Environment overrides: `PVE_BACKUP_HEALTH_<NAME>=<value>` replaces one scalar setting (e.g. in
 * a systemd drop-in). Values are written as in the file: numbers as digits, everything else as
 * text. An empty value counts as unset. Lists (targets, remotes, silences, windows) cannot be
 * overridden; secrets never come from the environment here.
 */

export const ENV_PREFIX = 'PVE_BACKUP_HEALTH_';

/** Variable name (after the prefix) → settings path. README documents this table. */
export const ENV_OVERRIDES: readonly { env: string; path: string }[] = [
    { env: 'CHECK_INTERVAL', path: 'checkIntervalSeconds' },
    { env: 'HISTORY_DAYS', path: 'historyDays' },
    { env: 'GRACE_MINUTES', path: 'graceMinutes' },
    { env: 'IGNORE_TAG', path: 'ignoreTag' },
    { env: 'REMINDER_HOURS', path: 'reminderHours' },
    { env: 'SIZE_ANOMALY', path: 'anomalies.size' },
    { env: 'DURATION_ANOMALY', path: 'anomalies.duration' },
    { env: 'STORAGE_WARN_PERCENT', path: 'storage.warnPercent' },
    { env: 'STORAGE_CRITICAL_PERCENT', path: 'storage.criticalPercent' },
    { env: 'VERIFY_MAX_AGE_DAYS', path: 'verifyMaxAgeDays' },
    { env: 'LANGUAGE', path: 'language' },
    { env: 'PUBLIC_URL', path: 'publicUrl' },
    { env: 'LISTEN_ADDRESS', path: 'server.listenAddress' },
    { env: 'PORT', path: 'server.port' },
    { env: 'METRICS_ACCESS', path: 'server.metricsAccess' },
];

export interface EnvApplied {
    /** The document with the overrides written in (the input is not modified). */
    document: unknown;
    /** Settings path → variable that set it. */
    overrides: Record<string, string>;
}

function parseValue(text: string): string | number {
    return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
}

/** Writes the overrides into a copy of a raw settings document (before validation). */
export function applyEnvOverrides(document: unknown, env: Record<string, string | undefined>): EnvApplied {
    const overrides: Record<string, string> = {};
    const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    // A document that is not an object is left for validation to reject.
    if (!isObject(document)) return { document, overrides };
    const out = structuredClone(document);
    for (const { env: name, path } of ENV_OVERRIDES) {
        const raw = env[ENV_PREFIX + name];
        if (raw === undefined || raw === '') continue;
        const keys = path.split('.');
        let node: Record<string, unknown> = out;
        for (const k of keys.slice(0, -1)) {
            const next = node[k];
            if (!isObject(next)) node[k] = {};
            node = node[k] as Record<string, unknown>;
        }
        node[keys[keys.length - 1] as string] = parseValue(raw);
        overrides[path] = ENV_PREFIX + name;
    }
    return { document: out, overrides };
}

/** Names the variable in errors about overridden keys: `language (PVE_BACKUP_HEALTH_LANGUAGE): …`. */
export function attributeErrors(errors: readonly string[], overrides: Record<string, string>): string[] {
    return errors.map((e) => {
        for (const [path, name] of Object.entries(overrides)) {
            if (e.startsWith(`${path}: `)) return `${path} (${name})${e.slice(path.length)}`;
        }
        return e;
    });
}
