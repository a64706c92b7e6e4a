// SPDX-License-Identifier: AGPL-3.0-or-later
// The secrets document: kept by name, exposed only as "which paths are set", updated by API path.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/schema.ts';
import { applySecretUpdates, missingSecrets, publicSettings, serializeSecrets, validateSecrets } from '../../src/config/secrets.ts';
import type { ConfigSecrets, DaemonConfig } from '../../src/config/types.ts';

const config = ((): DaemonConfig => {
    const r = validateConfig({
        notifications: {
            targets: [
                { type: 'gotify', name: 'phone', server: 'https://gotify.example.com' },
                { type: 'webhook', name: 'hook', url: 'https://hooks.example.com/x' },
                { type: 'smtp', name: 'mail', host: 'smtp.example.com', username: 'pve', from: 'pve@example.com', to: ['a@example.com'] },
            ],
        },
        remotes: [{ name: 'dc2', url: 'https://pve2.example.com:8006', tokenId: 'monitor@pve!health' }],
    });
    if (!r.ok) throw new Error(r.errors.join());
    return r.config;
})();

const SECRETS: ConfigSecrets = {
    apiToken: 'backup-health@pve!daemon=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    targets: { phone: { token: 'gotify-token-123' }, hook: { hmacSecret: 'hmac-xyz-789' }, gone: { token: 'old-token-000' } },
    remotes: { dc2: { tokenSecret: '11111111-2222-3333-4444-555555555555' } },
    archive: { passphrase: 'correct horse battery staple' },
};

describe('secrets document', () => {
    it('round-trips through its file form', () => {
        const r = validateSecrets(JSON.parse(serializeSecrets(SECRETS)));
        expect(r).toEqual({ ok: true, secrets: SECRETS });
    });

    it('names the bad path, never the value', () => {
        const r = validateSecrets({ version: 1, apiToken: 87654321, targets: { phone: { token: 12345678 } }, remotes: 'x', colour: 'red', archive: { key: ['s3cr3t-in-list'] } });
        expect(r.ok).toBe(false);
        if (!r.ok) {
            expect(r.errors).toEqual([
                'colour: unknown key',
                'apiToken: expected a string',
                'targets.phone.token: expected a string',
                'remotes: expected an object',
                'archive.key: expected a string',
            ]);
            expect(r.errors.join()).not.toContain('87654321');
            expect(r.errors.join()).not.toMatch(/12345678|s3cr3t/);
        }
    });
});

describe('publicSettings', () => {
    it('lists which secrets are set by API path and contains no secret value', () => {
        const pub = publicSettings(config, SECRETS);
        expect(pub.secretsSet).toEqual(['notifications.targets.0.token', 'notifications.targets.1.hmacSecret', 'remotes.0.tokenSecret', 'archive.passphrase']);
        const json = JSON.stringify(pub);
        for (const v of ['gotify-token-123', 'hmac-xyz-789', '11111111-2222', 'horse battery', 'old-token', 'aaaaaaaa-bbbb']) expect(json).not.toContain(v);
        expect((pub.settings.notifications as { targets: unknown[] }).targets).toHaveLength(3);
    });
});

describe('applySecretUpdates', () => {
    it('sets, replaces and removes by path, and drops secrets of targets that are gone', () => {
        const r = applySecretUpdates(config, SECRETS, {
            'notifications.targets.0.token': 'new-gotify',
            'notifications.targets.1.hmacSecret': '',
            'notifications.targets.2.password': 'smtp-pw',
            'remotes.0.tokenSecret': 'new-uuid',
            'archive.passphrase': '',
        });
        expect(r).toEqual({
            ok: true,
            secrets: {
                apiToken: SECRETS.apiToken,
                targets: { phone: { token: 'new-gotify' }, hook: {}, mail: { password: 'smtp-pw' } },
                remotes: { dc2: { tokenSecret: 'new-uuid' } },
                archive: {},
            },
        });
        expect(SECRETS.targets.phone?.token).toBe('gotify-token-123');
    });

    it('follows the target by name when the list is reordered', () => {
        const reordered = { ...config, notifications: { targets: [config.notifications.targets[1], config.notifications.targets[0]] } } as DaemonConfig;
        const r = applySecretUpdates(reordered, SECRETS, {});
        expect(r.ok && r.secrets.targets.phone).toEqual({ token: 'gotify-token-123' });
        expect(publicSettings(reordered, SECRETS).secretsSet).toEqual(['notifications.targets.0.hmacSecret', 'notifications.targets.1.token', 'remotes.0.tokenSecret', 'archive.passphrase']);
    });

    it('rejects paths that are not secrets, without echoing values', () => {
        const r = applySecretUpdates(config, SECRETS, {
            'notifications.targets.0.server': 'value-1',
            'notifications.targets.9.token': 'value-2',
            'remotes.0.url': 'value-3',
            'server.port': 'value-4',
            apiToken: 'value-5',
        });
        expect(r.ok).toBe(false);
        if (!r.ok) {
            expect(r.errors).toEqual([
                "secrets.notifications.targets.0.server: a gotify target has no secret 'server'",
                'secrets.notifications.targets.9.token: no such target',
                "secrets.remotes.0.url: a remote has no secret 'url'",
                'secrets.server.port: unknown secret path',
                'secrets.apiToken: unknown secret path',
            ]);
            expect(r.errors.join()).not.toContain('value-');
        }
    });
});

describe('missingSecrets', () => {
    it('names targets and remotes that cannot work', () => {
        expect(missingSecrets(config, { targets: {}, remotes: {}, archive: {} })).toEqual([
            "notifications.targets[0] (gotify 'phone'): secret 'token' is not set",
            "notifications.targets[2] (smtp 'mail'): secret 'password' is not set but username is",
            "remotes[0] ('dc2'): secret 'tokenSecret' is not set",
        ]);
        expect(missingSecrets(config, { ...SECRETS, targets: { ...SECRETS.targets, mail: { password: 'x' } } })).toEqual([]);
    });
});
