// SPDX-License-Identifier: AGPL-3.0-or-later
// `config check|show|path|schema` on real files: OK or every error (exit 0/1), no secret ever printed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCommand } from '../../src/cli/commands/config.ts';
import { runCli } from '../../src/cli/main.ts';

let dir: string;
beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pbh-cli-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
    let out = '';
    let err = '';
    const code = await runCli(['config', ...args], [configCommand], {
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env,
        now: () => 1_795_000_000,
    });
    return { code, out, err };
}

function files(name: string, settings: unknown, secrets?: unknown): string {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(settings));
    if (secrets !== undefined) writeFileSync(join(dir, `${name}.secrets.json`), JSON.stringify(secrets));
    return path;
}

const GOOD = { version: 1, language: 'de', notifications: { targets: [{ type: 'telegram', name: 'tg', chatId: '42' }] } };
const SECRETS = { targets: { tg: { botToken: '777:Very-Secret-Bot-Token' } } };

describe('config check', () => {
    it('prints OK for a valid file', async () => {
        const path = files('good', GOOD, SECRETS);
        expect(await run(['check', '--config', path])).toEqual({ code: 0, out: `OK: ${path} (1 notification target)\n`, err: '' });
    });

    it('prints every error and exits 1', async () => {
        const path = files('bad', { ...GOOD, checkIntervalSeconds: 1, notifications: { targets: [{ type: 'webhook', name: 'w', url: 'ftp://x' }] } });
        const r = await run(['check', '--config', path]);
        expect(r.code).toBe(1);
        expect(r.err).toBe(
            [
                `error: ${path}: checkIntervalSeconds: expected a whole number from 10 to 3600 (got 1)`,
                `error: ${path}: notifications.targets[0].url: expected an https:// or http:// URL`,
                '',
            ].join('\n'),
        );
        expect(r.out).toBe('INVALID: 2 errors\n');
    });

    it('checks the environment overrides too, naming the variable', async () => {
        const path = files('env', GOOD, SECRETS);
        const bad = await run(['check', '--config', path], { PVE_BACKUP_HEALTH_PORT: '99999' });
        expect(bad.code).toBe(1);
        expect(bad.err).toBe('error: environment: server.port (PVE_BACKUP_HEALTH_PORT): expected a whole number from 1 to 65535 (got 99999)\n');
        const good = await run(['check', '--config', path], { PVE_BACKUP_HEALTH_PORT: '9009' });
        expect(good.out).toBe(`OK: ${path} (1 notification target, 1 environment override)\n`);
    });

    it('warns about a missing secret without failing', async () => {
        const path = files('nosecret', GOOD);
        const r = await run(['check', '--config', path]);
        expect(r.code).toBe(0);
        expect(r.out).toBe(`warning: notifications.targets[0] (telegram 'tg'): secret 'botToken' is not set\nOK: ${path} (1 notification target)\n`);
    });

    it('a file named with --config must exist', async () => {
        const path = join(dir, 'missing.json');
        expect(await run(['check', '--config', path])).toEqual({ code: 1, out: 'INVALID: 1 error\n', err: `error: ${path}: no such file\n` });
    });

    it('a broken secrets file is reported without its content', async () => {
        const path = files('brokensecret', GOOD);
        writeFileSync(join(dir, 'brokensecret.secrets.json'), '{"targets": {"tg": {"botToken": 777:Leak}}}');
        const r = await run(['check', '--config', path]);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/brokensecret\.secrets\.json: not valid JSON/);
        expect(r.err + r.out).not.toContain('Leak');
    });
});

describe('config show, path, schema', () => {
    it('show prints the effective settings and which secrets are set, never a secret', async () => {
        const path = files('show', GOOD, SECRETS);
        const r = await run(['show', '--config', path], { PVE_BACKUP_HEALTH_LANGUAGE: 'it' });
        expect(r.code).toBe(0);
        const shown = JSON.parse(r.out);
        expect(shown).toMatchObject({ source: 'file', path, overrides: { language: 'PVE_BACKUP_HEALTH_LANGUAGE' }, secretsSet: ['notifications.targets.0.botToken'] });
        expect(shown.settings.language).toBe('it');
        expect(shown.settings.notifications.targets[0]).toEqual({ type: 'telegram', name: 'tg', chatId: '42', enabled: true, apiUrl: 'https://api.telegram.org' });
        expect(r.out).not.toContain('Very-Secret');
    });

    it('path names both files', async () => {
        expect((await run(['path'])).out).toBe('settings: /etc/pve/backup-health.json\nsecrets:  /etc/pve/priv/backup-health.json\n');
        expect((await run(['path', '--config', '/srv/x.json'])).out).toBe('settings: /srv/x.json\nsecrets:  /srv/x.secrets.json\n');
    });

    it('schema prints the JSON Schema the GUI uses', async () => {
        const r = await run(['schema']);
        expect(JSON.parse(r.out)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    });

    it('bad usage exits 2 with the usage text', async () => {
        for (const args of [[], ['frobnicate'], ['check', '--bogus'], ['check', 'extra']]) {
            const r = await run(args);
            expect(r.code, args.join(' ')).toBe(2);
            expect(r.err).toContain('Usage: pve-backup-health config');
        }
    });
});
