// SPDX-License-Identifier: AGPL-3.0-or-later
// The settings document: defaults, every key's validation with a message naming key and problem,
// and the JSON Schema served to the GUI.
import { describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA, defaultConfig, settingsJsonSchema, validateConfig } from '../../src/config/schema.ts';
import type { Schema } from '../../src/config/validate.ts';

function errors(doc: unknown): string[] {
    const r = validateConfig(doc);
    return r.ok ? [] : r.errors;
}

function ok(doc: unknown) {
    const r = validateConfig(doc);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config;
}

const SMTP = { type: 'smtp', name: 'mail', host: 'smtp.example.com', from: 'pve@example.com', to: ['admin@example.com'] };

describe('defaults', () => {
    it('an empty document gives the documented defaults', () => {
        expect(defaultConfig()).toEqual({
            version: 1,
            checkIntervalSeconds: 60,
            historyDays: 35,
            graceMinutes: 'auto',
            ignoreTag: 'nobackup',
            reminderHours: 24,
            anomalies: { size: 'normal', duration: 'normal' },
            storage: { warnPercent: 85, criticalPercent: 95 },
            verifyMaxAgeDays: 30,
            language: 'en',
            silences: [],
            maintenanceWindows: [],
            remotes: [],
            notifications: { targets: [] },
            server: { listenAddress: '::', port: 8009, metricsAccess: 'token' },
            archive: {},
        });
    });

    it('fills defaults inside targets and keeps given values', () => {
        const c = ok({ checkIntervalSeconds: 120, notifications: { targets: [SMTP, { type: 'ntfy', name: 'n', topic: 'backups' }] } });
        expect(c.checkIntervalSeconds).toBe(120);
        expect(c.notifications.targets[0]).toEqual({ ...SMTP, enabled: true, security: 'starttls' });
        expect(c.notifications.targets[1]).toEqual({ type: 'ntfy', name: 'n', topic: 'backups', enabled: true, server: 'https://ntfy.sh' });
    });

    it('passes the archive section through untouched', () => {
        const archive = { schedule: 'daily', keep: 7, sftp: [{ host: 'h', path: '/x' }], anything: { nested: true } };
        expect(ok({ archive }).archive).toEqual(archive);
    });
});

describe('every scalar key is validated, errors name the key and the problem', () => {
    it.each([
        [{ version: 2 }, 'version: unsupported settings version 2 (this build reads version 1)'],
        [{ checkIntervalSeconds: 5 }, 'checkIntervalSeconds: expected a whole number from 10 to 3600 (got 5)'],
        [{ checkIntervalSeconds: '60' }, 'checkIntervalSeconds: expected a whole number from 10 to 3600 (got "60")'],
        [{ checkIntervalSeconds: 60.5 }, 'checkIntervalSeconds: expected a whole number from 10 to 3600 (got 60.5)'],
        [{ historyDays: 0 }, 'historyDays: expected a whole number from 1 to 400 (got 0)'],
        [{ graceMinutes: 10 }, 'graceMinutes: expected a whole number from 30 to 1440 or "auto" (got 10)'],
        [{ graceMinutes: 'never' }, 'graceMinutes: expected a whole number from 30 to 1440 or "auto" (got "never")'],
        [{ ignoreTag: 'no backup' }, "ignoreTag: expected a PVE tag (letters, digits, _ + - .), got 'no backup'"],
        [{ ignoreTag: '' }, 'ignoreTag: must not be empty'],
        [{ reminderHours: -1 }, 'reminderHours: expected a whole number from 0 to 720 (got -1)'],
        [{ anomalies: { size: 'extreme' } }, 'anomalies.size: expected one of off, low, normal, high (got "extreme")'],
        [{ anomalies: { duration: 3 } }, 'anomalies.duration: expected one of off, low, normal, high (got 3)'],
        [{ storage: { warnPercent: 101 } }, 'storage.warnPercent: expected a whole number from 1 to 100 (got 101)'],
        [{ storage: { warnPercent: 95, criticalPercent: 90 } }, 'storage.warnPercent: must be below storage.criticalPercent (95 >= 90)'],
        [{ verifyMaxAgeDays: 'x' }, 'verifyMaxAgeDays: expected a whole number from 0 to 3650 (got "x")'],
        [{ language: 'fr' }, 'language: expected one of en, de, it (got "fr")'],
        [{ publicUrl: 'pve.example.com:8006' }, 'publicUrl: expected an https:// or http:// URL'],
        [{ publicUrl: 'https://user:pw@pve.example.com' }, 'publicUrl: credentials do not belong in a URL: put them in the secrets file'],
        [{ server: { listenAddress: 'any' } }, "server.listenAddress: expected an IP address such as :: or 0.0.0.0 (got 'any')"],
        [{ server: { port: 70000 } }, 'server.port: expected a whole number from 1 to 65535 (got 70000)'],
        [{ server: { metricsAccess: 'public' } }, 'server.metricsAccess: expected one of token, loopback (got "public")'],
        [{ archive: [] }, 'archive: expected an object'],
        [[], '(document): expected an object'],
        [{ checkInterval: 60 }, "checkInterval: unknown key (did you mean 'checkIntervalSeconds'?)"],
        [{ server: { listen: '::' } }, "server.listen: unknown key (did you mean 'listenAddress'?)"],
    ])('%j', (doc, message) => {
        expect(errors(doc)).toContain(message);
    });

    it('accepts the listen addresses people write', () => {
        for (const a of ['::', '0.0.0.0', '127.0.0.1', '::1', 'fe80::1', '2001:db8::8:800:200c:417a', '::ffff:192.0.2.1', 'localhost']) {
            expect(errors({ server: { listenAddress: a } })).toEqual([]);
        }
        for (const a of ['256.0.0.1', '1.2.3', ':::', '1::2::3', ':1::', 'example.com']) expect(errors({ server: { listenAddress: a } })).toHaveLength(1);
    });

    it('reports every error at once, not only the first', () => {
        expect(errors({ historyDays: 0, language: 'fr', server: { port: 0 } })).toHaveLength(3);
    });
});

describe('lists', () => {
    it('silences: codes must be problem codes, something must be selected, ids unique', () => {
        const base = { id: 's1', createdBy: 'root@pam', createdAt: 1_700_000_000 };
        expect(errors({ silences: [{ ...base, vmid: 101, codes: ['backup-failed'], until: 1_800_000_000, reason: 'migration' }] })).toEqual([]);
        expect(errors({ silences: [{ ...base, codes: ['backup-explosion'] }] })[0]).toMatch(/^silences\[0\]\.codes\[0\]: expected one of backup-failed, /);
        expect(errors({ silences: [base] })).toEqual(['silences[0]: a silence needs vmid, job or codes (an empty one would match nothing)']);
        expect(errors({ silences: [{ ...base, job: 'a' }, { ...base, job: 'b' }] })).toEqual(["silences[1].id: silence id 's1' is used twice"]);
        expect(errors({ silences: [{ id: 's', vmid: 1 }] })).toEqual([
            'silences[0].vmid: expected a whole number from 100 to 999999999 (got 1)',
            'silences[0].createdBy: missing (expected a string)',
            'silences[0].createdAt: missing (expected a whole number of at least 0)',
        ]);
    });

    it('maintenance windows: the schedule must be a PVE calendar event', () => {
        expect(errors({ maintenanceWindows: [{ name: 'patch day', schedule: 'sun 01:00', durationMinutes: 120 }] })).toEqual([]);
        expect(errors({ maintenanceWindows: [{ schedule: '0 1 * * 0', durationMinutes: 60 }] })).toEqual([
            "maintenanceWindows[0].schedule: invalid calendar event '0 1 * * 0': unable to parse calendar event at ' 1 * * 0'",
        ]);
        expect(errors({ maintenanceWindows: [{ schedule: 'daily' }] })).toEqual(['maintenanceWindows[0].durationMinutes: missing (expected a whole number from 1 to 10080)']);
    });

    it('remotes: https URL, token id form, one trust option, unique names', () => {
        const r = { name: 'dc2', url: 'https://pve2.example.com:8006', tokenId: 'monitor@pve!health' };
        expect(ok({ remotes: [r] }).remotes).toEqual([r]);
        expect(errors({ remotes: [{ ...r, url: 'http://pve2:8006' }] })).toEqual(['remotes[0].url: expected an https:// URL']);
        expect(errors({ remotes: [{ ...r, tokenId: 'monitor' }] })[0]).toMatch(/^remotes\[0\]\.tokenId: expected user@realm!tokenid/);
        expect(errors({ remotes: [{ ...r, fingerprint: 'AB:CD' }] })).toEqual(['remotes[0].fingerprint: expected a SHA-256 fingerprint (AA:BB:… , 32 bytes)']);
        expect(errors({ remotes: [{ ...r, caFile: '/etc/pve/pve-root-ca.pem', insecure: true }] })).toEqual(['remotes[0]: choose one of fingerprint, caFile and insecure']);
        expect(errors({ remotes: [r, r] })).toEqual(["remotes[1].name: remote name 'dc2' is used twice"]);
    });
});

describe('notification targets', () => {
    const t = (target: Record<string, unknown>) => errors({ notifications: { targets: [target] } });

    it('the brief\'s example: a bad URL names the target index and key', () => {
        const doc = { notifications: { targets: [SMTP, { type: 'webhook', name: 'hook', url: 'ftp://example.com/hook' }] } };
        expect(errors(doc)).toEqual(['notifications.targets[1].url: expected an https:// or http:// URL']);
    });

    it('accepts one valid target of every type', () => {
        const targets = [
            { type: 'homeassistant-webhook', name: 'ha1', url: 'http://homeassistant.local:8123' },
            { type: 'homeassistant-notify', name: 'ha2', url: 'https://ha.example.com', service: 'mobile_app_pixel_8', data: { tag: 'backup' } },
            { type: 'webhook', name: 'hook', url: 'https://example.com/hook?x=1', method: 'PUT', headers: { 'X-Team': 'ops' }, bodyTemplate: '{"text":"{{text}}"}' },
            { ...SMTP, port: 465, security: 'tls', username: 'pve', caFile: '/etc/ssl/ca.pem' },
            { type: 'sendmail', name: 'local', to: ['root'], from: 'Backup Health <pve@example.com>' },
            { type: 'ntfy', name: 'ntfy', server: 'https://ntfy.example.com', topic: 'pve-backups' },
            { type: 'gotify', name: 'gotify', server: 'https://gotify.example.com', insecure: true },
            { type: 'telegram', name: 'tg', chatId: -1001234567890 },
        ];
        const c = ok({ notifications: { targets } });
        expect(c.notifications.targets.map((x) => x.type)).toEqual(targets.map((x) => x.type));
        const tg = c.notifications.targets[7];
        expect(tg?.type === 'telegram' && tg.chatId).toBe('-1001234567890');
        expect(tg?.type === 'telegram' && tg.apiUrl).toBe('https://api.telegram.org');
    });

    it.each([
        [{ name: 'x' }, 'notifications.targets[0].type: missing (one of homeassistant-webhook, homeassistant-notify, webhook, smtp, sendmail, ntfy, gotify, telegram)'],
        [{ type: 'slack', name: 'x' }, 'notifications.targets[0].type: expected one of homeassistant-webhook, homeassistant-notify, webhook, smtp, sendmail, ntfy, gotify, telegram (got "slack")'],
        [{ type: 'gotify', name: 'x' }, 'notifications.targets[0].server: missing (expected a string)'],
        [{ type: 'gotify', name: 'bad name', server: 'https://g' }, "notifications.targets[0].name: expected letters, digits and . _ ~ - only (got 'bad name')"],
        [{ type: 'ntfy', name: 'n', topic: 'a/b' }, "notifications.targets[0].topic: expected letters, digits and . _ ~ - only (got 'a/b')"],
        [{ ...SMTP, to: [] }, 'notifications.targets[0].to: needs at least 1 entry'],
        [{ ...SMTP, to: ['not an address'] }, "notifications.targets[0].to[0]: expected an e-mail address (got 'not an address')"],
        [{ ...SMTP, security: 'ssl' }, 'notifications.targets[0].security: expected one of starttls, tls, none (got "ssl")'],
        [{ type: 'sendmail', name: 's', to: ['root'], sendmailPath: 'sendmail' }, "notifications.targets[0].sendmailPath: expected an absolute path (got 'sendmail')"],
        [{ type: 'telegram', name: 't', chatId: 'my chat' }, 'notifications.targets[0].chatId: expected a string or a whole number (got "my chat")'],
        [{ type: 'webhook', name: 'w', url: 'https://x', headers: { 'Bad Header': 'v' } }, "notifications.targets[0].headers.Bad Header: not a valid HTTP header name: 'Bad Header'"],
        [{ type: 'webhook', name: 'w', url: 'https://x', headers: { 'X-A': 'a\r\nX-Injected: 1' } }, 'notifications.targets[0].headers.X-A: a header value must be one line of printable characters'],
        [{ type: 'webhook', name: 'w', url: 'https://x', headers: { Host: 'evil' } }, 'notifications.targets[0].headers.Host: is set by the HTTP client and cannot be overridden'],
        [{ type: 'webhook', name: 'w', url: 'https://x', colour: 'red' }, 'notifications.targets[0].colour: unknown key'],
    ])('%j', (target, message) => {
        expect(t(target)).toContain(message);
    });

    it('target names are unique', () => {
        expect(errors({ notifications: { targets: [SMTP, SMTP] } })).toEqual(["notifications.targets[1].name: target name 'mail' is used twice"]);
    });

    it('a secret in the public file is refused without echoing it', () => {
        const e = t({ type: 'gotify', name: 'g', server: 'https://g.example.com', token: 'A1b2C3d4E5-secret' });
        expect(e).toEqual(['notifications.targets[0].token: is a secret: keep it in /etc/pve/priv/backup-health.json, not in the settings file']);
        expect(e.join()).not.toContain('A1b2C3d4E5');
        const r = errors({ remotes: [{ name: 'r', url: 'https://r', tokenId: 'a@pve!b', tokenSecret: 'uuid-secret-value' }] });
        expect(r.join()).toContain('remotes[0].tokenSecret: is a secret');
        expect(r.join()).not.toContain('uuid-secret-value');
    });
});

describe('JSON Schema for the GUI', () => {
    const schema = settingsJsonSchema();

    it('declares draft 2020-12 and describes every top-level key', () => {
        expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
        // publicUrl is the one key without a default.
        expect(Object.keys((schema.properties ?? {}) as object).sort()).toEqual([...Object.keys(defaultConfig()), 'publicUrl'].sort());
    });

    it('marks every secret writeOnly, and only secrets', () => {
        const writeOnly: string[] = [];
        const walk = (s: Schema, path: string) => {
            if (s.writeOnly) writeOnly.push(path);
            for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`);
            if (s.items) walk(s.items, `${path}[]`);
            for (const b of s.oneOf ?? []) walk(b, `${path}<${b.properties?.type?.const}>`);
        };
        walk(SETTINGS_SCHEMA, '');
        expect(writeOnly.sort()).toEqual([
            '.notifications.targets[]<gotify>.token',
            '.notifications.targets[]<homeassistant-notify>.token',
            '.notifications.targets[]<homeassistant-webhook>.webhookId',
            '.notifications.targets[]<ntfy>.token',
            '.notifications.targets[]<smtp>.password',
            '.notifications.targets[]<telegram>.botToken',
            '.notifications.targets[]<webhook>.authorization',
            '.notifications.targets[]<webhook>.hmacSecret',
            '.remotes[].tokenSecret',
        ]);
    });

    it('is a deep copy: the GUI response cannot change the validator', () => {
        (schema.properties as Record<string, { default?: unknown }>).checkIntervalSeconds = { default: 1 };
        expect(defaultConfig().checkIntervalSeconds).toBe(60);
    });
});
