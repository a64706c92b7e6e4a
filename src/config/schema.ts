// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The versioned settings document: its schema (also served to the GUI's schema-driven form as
 * `SettingsResponse.schema`), defaults, and validation of untrusted JSON into a DaemonConfig.
 * Pure: no I/O. Errors name the key and the problem
 * (`notifications.targets[1].url: expected an https:// or http:// URL`).
 */

import { PROBLEM_CODES } from '../domain/model.ts';
import { FORMATS } from './formats.ts';
import { REMOTE_SCHEMA, TARGET_SCHEMA } from './target-schema.ts';
import { CONFIG_VERSION, type DaemonConfig } from './types.ts';
import { type Schema, type ValidateOptions, check, fail } from './validate.ts';

const SENSITIVITY: Schema = { type: 'string', enum: ['off', 'low', 'normal', 'high'], default: 'normal' };

const SILENCE_SCHEMA: Schema = {
    type: 'object',
    title: 'Silence',
    properties: {
        id: { type: 'string', minLength: 1, maxLength: 64 },
        remote: { type: 'string', title: 'Remote cluster', description: 'name of a configured remote; empty: this cluster', format: 'path-segment', minLength: 1, maxLength: 64 },
        vmid: { type: 'integer', title: 'VMID', minimum: 100, maximum: 999_999_999 },
        job: { type: 'string', title: 'Job', minLength: 1 },
        codes: { type: 'array', title: 'Problem codes', items: { type: 'string', enum: PROBLEM_CODES } },
        until: { type: 'integer', title: 'Until (epoch seconds)', minimum: 0 },
        reason: { type: 'string', title: 'Reason', maxLength: 500 },
        createdBy: { type: 'string', minLength: 1 },
        createdAt: { type: 'integer', minimum: 0 },
    },
    required: ['id', 'createdBy', 'createdAt'],
    additionalProperties: false,
};

const WINDOW_SCHEMA: Schema = {
    type: 'object',
    title: 'Maintenance window',
    properties: {
        name: { type: 'string', title: 'Name', maxLength: 100 },
        schedule: { type: 'string', title: 'Starts at', description: 'PVE calendar event, e.g. sun 01:00', format: 'calendar-event', minLength: 1 },
        durationMinutes: { type: 'integer', title: 'Duration (minutes)', minimum: 1, maximum: 10_080 },
    },
    required: ['schedule', 'durationMinutes'],
    additionalProperties: false,
};

/** The whole settings document. Order of properties = order of the GUI form. */
export const SETTINGS_SCHEMA: Schema = {
    type: 'object',
    title: 'pve-backup-health settings',
    properties: {
        version: { type: 'integer', const: CONFIG_VERSION, default: CONFIG_VERSION },
        checkIntervalSeconds: { type: 'integer', title: 'Check interval (seconds)', minimum: 10, maximum: 3600, default: 60 },
        historyDays: { type: 'integer', title: 'History window (days)', minimum: 1, maximum: 400, default: 35 },
        graceMinutes: {
            title: 'Grace period (minutes)',
            description: 'How late a scheduled run may start; auto = from the job\'s past durations, at least 30',
            anyOf: [{ type: 'integer', minimum: 30, maximum: 1440 }, { type: 'string', const: 'auto' }],
            default: 'auto',
        },
        ignoreTag: { type: 'string', title: 'Ignore tag', description: 'Guests with this tag are not expected to be backed up', format: 'pve-tag', minLength: 1, default: 'nobackup' },
        reminderHours: { type: 'integer', title: 'Reminder interval (hours)', description: '0 = no reminders', minimum: 0, maximum: 720, default: 24 },
        anomalies: {
            type: 'object',
            title: 'Anomaly sensitivity',
            properties: { size: { ...SENSITIVITY, title: 'Backup size' }, duration: { ...SENSITIVITY, title: 'Backup duration' } },
            additionalProperties: false,
            default: {},
        },
        storage: {
            type: 'object',
            title: 'Storage usage thresholds',
            properties: {
                warnPercent: { type: 'integer', title: 'Warning at (%)', minimum: 1, maximum: 100, default: 85 },
                criticalPercent: { type: 'integer', title: 'Critical at (%)', minimum: 1, maximum: 100, default: 95 },
            },
            additionalProperties: false,
            default: {},
        },
        verifyMaxAgeDays: { type: 'integer', title: 'PBS verification max age (days)', description: '0 = not checked', minimum: 0, maximum: 3650, default: 30 },
        language: { type: 'string', title: 'Message language', enum: ['en', 'de', 'it'], default: 'en' },
        publicUrl: { type: 'string', title: 'Public GUI URL', description: 'Linked from messages, e.g. https://pve.example.com:8006', format: 'http-url' },
        silences: { type: 'array', title: 'Silences', items: SILENCE_SCHEMA, maxItems: 1000, default: [] },
        maintenanceWindows: { type: 'array', title: 'Maintenance windows', items: WINDOW_SCHEMA, maxItems: 100, default: [] },
        remotes: { type: 'array', title: 'Remote clusters', items: REMOTE_SCHEMA, maxItems: 50, default: [] },
        notifications: {
            type: 'object',
            title: 'Notifications',
            properties: { targets: { type: 'array', title: 'Targets', items: TARGET_SCHEMA, maxItems: 50, default: [] } },
            additionalProperties: false,
            default: {},
        },
        server: {
            type: 'object',
            title: 'HTTPS API',
            properties: {
                listenAddress: { type: 'string', title: 'Listen address', format: 'listen-address', default: '::' },
                port: { type: 'integer', title: 'Port', minimum: 1, maximum: 65_535, default: 8009 },
                metricsAccess: {
                    type: 'string',
                    title: '/metrics access',
                    description: 'token: a PVE API token with Sys.Audit; loopback: local callers only',
                    enum: ['token', 'loopback'],
                    default: 'token',
                },
            },
            additionalProperties: false,
            default: {},
        },
        archive: { type: 'object', title: 'Configuration archives', additionalProperties: true, default: {} },
    },
    additionalProperties: false,
};

/** The schema as served to the GUI (`SettingsResponse.schema`). */
export function settingsJsonSchema(): Record<string, unknown> {
    return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...structuredClone(SETTINGS_SCHEMA) };
}

export type ConfigResult = { ok: true; config: DaemonConfig } | { ok: false; errors: string[] };

export interface ValidateConfigOptions {
    /** Where secrets belong, named in the error when one is found in the public document. */
    secretsFile?: string;
}

/** Validates an untrusted settings document; defaults fill what is absent. */
export function validateConfig(input: unknown, options: ValidateConfigOptions = {}): ConfigResult {
    const secretsFile = options.secretsFile ?? '/etc/pve/priv/backup-health.json';
    const o: ValidateOptions = { formats: FORMATS, secretMisplaced: `is a secret: keep it in ${secretsFile}, not in the settings file`, errors: [] };
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
        const version = (input as Record<string, unknown>).version;
        if (version !== undefined && version !== CONFIG_VERSION) {
            return { ok: false, errors: [`version: unsupported settings version ${JSON.stringify(version)} (this build reads version ${CONFIG_VERSION})`] };
        }
    }
    const value = check(SETTINGS_SCHEMA, input, '', o) as DaemonConfig | undefined;
    if (value === undefined || o.errors.length > 0) return { ok: false, errors: o.errors.length > 0 ? o.errors : ['(document): invalid'] };
    crossChecks(value, o);
    return o.errors.length > 0 ? { ok: false, errors: o.errors } : { ok: true, config: value };
}

function unique(names: readonly string[], path: (i: number) => string, what: string, o: ValidateOptions): void {
    const seen = new Set<string>();
    names.forEach((n, i) => {
        if (seen.has(n)) fail(o, path(i), `${what} '${n}' is used twice`);
        seen.add(n);
    });
}

/** Rules that span several keys. */
function crossChecks(c: DaemonConfig, o: ValidateOptions): void {
    if (c.storage.warnPercent >= c.storage.criticalPercent) {
        fail(o, 'storage.warnPercent', `must be below storage.criticalPercent (${c.storage.warnPercent} >= ${c.storage.criticalPercent})`);
    }
    unique(c.notifications.targets.map((t) => t.name), (i) => `notifications.targets[${i}].name`, 'target name', o);
    unique(c.remotes.map((r) => r.name), (i) => `remotes[${i}].name`, 'remote name', o);
    unique(c.silences.map((s) => s.id), (i) => `silences[${i}].id`, 'silence id', o);
    c.silences.forEach((s, i) => {
        if (s.vmid === undefined && s.job === undefined && (s.codes === undefined || s.codes.length === 0)) {
            fail(o, `silences[${i}]`, 'a silence needs vmid, job or codes (an empty one would match nothing)');
        }
    });
    c.remotes.forEach((r, i) => {
        if ([r.fingerprint, r.caFile, r.insecure ? true : undefined].filter((x) => x !== undefined).length > 1) {
            fail(o, `remotes[${i}]`, 'choose one of fingerprint, caFile and insecure');
        }
    });
    c.notifications.targets.forEach((t, i) => {
        if (t.type === 'telegram') t.chatId = String(t.chatId);
        if (t.type === 'webhook') {
            for (const name of Object.keys(t.headers)) {
                const bad = FORMATS['header-name']?.(name) ?? null;
                if (bad !== null) fail(o, `notifications.targets[${i}].headers.${name}`, bad);
                else if (/^(content-length|host|transfer-encoding|connection)$/i.test(name)) {
                    fail(o, `notifications.targets[${i}].headers.${name}`, 'is set by the HTTP client and cannot be overridden');
                } else if (/^(content-type|authorization|x-pbh-signature)$/i.test(name)) {
                    fail(o, `notifications.targets[${i}].headers.${name}`, 'has its own setting (contentType, the authorization secret, hmacSecret)');
                }
            }
        }
    });
}

/** The settings a host gets without any file. */
export function defaultConfig(): DaemonConfig {
    const r = validateConfig({});
    if (!r.ok) throw new Error(`built-in defaults are invalid: ${r.errors.join('; ')}`);
    return r.config;
}
