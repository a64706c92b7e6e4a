// SPDX-License-Identifier: AGPL-3.0-or-later
// `notify test`: a test message through every (or the named) target, OK or the error per target,
// exit 1 if any failed. Real channels (via the adapters' factory) against loopback receivers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifiers } from '../../src/adapters/notify/factory.ts';
import { createNotifyCommand } from '../../src/cli/commands/notify.ts';
import { runCli } from '../../src/cli/main.ts';
import { type Receiver, ok, startReceiver } from '../adapters/notify/receiver.ts';

let dir: string;
let rx: Receiver;
let deadUrl: string;

beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pbh-cli-notify-'));
    rx = await startReceiver();
    const dead = await startReceiver();
    deadUrl = dead.url;
    await dead.close();
});
afterAll(async () => {
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
    rx.requests = [];
    rx.answer = ok;
});

const command = createNotifyCommand({ notifiers: (c, s) => createNotifiers(c, s), source: () => 'pve1' });

async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(['notify', ...args], [command], {
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env: {},
        now: () => 1_795_000_000,
    });
    return { code, out, err };
}

function settings(name: string, targets: unknown[], secrets: unknown = {}, extra: Record<string, unknown> = {}): string {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({ version: 1, ...extra, notifications: { targets } }));
    writeFileSync(join(dir, `${name}.secrets.json`), JSON.stringify({ targets: secrets }));
    return path;
}

describe('notify test', () => {
    it('sends a test message through every enabled target and reports each; exit 1 if one failed', async () => {
        const path = settings(
            'two',
            [
                { type: 'webhook', name: 'hook', url: `${rx.url}/hook` },
                { type: 'gotify', name: 'phone', server: deadUrl },
                { type: 'ntfy', name: 'off', server: rx.url, topic: 't', enabled: false },
            ],
            { phone: { token: 'Gotify-Token-Never-Printed' } },
            { language: 'de', publicUrl: 'https://pve.example.com:8006' },
        );
        const r = await run(['test', '--config', path]);
        expect(r.code).toBe(1);
        expect(r.out).toBe(`OK      webhook 'hook'\nFAILED  gotify target 'phone': connection refused (${deadUrl})\n`);
        expect(r.out + r.err).not.toContain('Gotify-Token');
        expect(rx.requests.map((q) => q.url)).toEqual(['/hook']);
        const body = JSON.parse(rx.requests[0]?.body ?? '');
        expect(body).toMatchObject({ kind: 'test', severity: 'info', subject: 'Testnachricht von pve-backup-health', problems: [] });
        expect(body.text).toBe(
            'Dies ist eine Testnachricht von pve-backup-health auf pve1. Wenn Sie sie lesen können, funktioniert dieses Benachrichtigungsziel.\n\nDetails: https://pve.example.com:8006\n',
        );
    });

    it('--target sends only to that target, even a disabled one, and exits 0 on success', async () => {
        const path = settings('one', [
            { type: 'gotify', name: 'phone', server: deadUrl },
            { type: 'ntfy', name: 'off', server: rx.url, topic: 'pbh', enabled: false },
        ]);
        const r = await run(['test', '--target', 'off', '--config', path]);
        expect(r).toEqual({ code: 0, out: "OK      ntfy 'off'\n", err: '' });
        expect(rx.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /pbh']);
    });

    it('names a missing secret as the failure of its target', async () => {
        const path = settings('nosecret', [{ type: 'telegram', name: 'tg', chatId: '1', apiUrl: rx.url }]);
        const r = await run(['test', '--config', path]);
        expect(r.code).toBe(1);
        expect(r.out).toBe(`FAILED  telegram target 'tg': secret 'botToken' is not set (secrets file: targets.tg)\n`);
        expect(rx.requests).toHaveLength(0);
    });

    it('an unknown --target, no targets, or invalid settings exit 1 with a reason', async () => {
        const path = settings('names', [{ type: 'webhook', name: 'hook', url: rx.url }]);
        expect(await run(['test', '--target', 'nope', '--config', path])).toEqual({ code: 1, out: '', err: "notify test: no target named 'nope' (targets: hook)\n" });
        const empty = settings('empty', []);
        expect(await run(['test', '--config', empty])).toEqual({ code: 1, out: '', err: `notify test: no enabled notification targets in ${empty}\n` });
        const bad = settings('bad', [{ type: 'webhook', name: 'hook' }]);
        const r = await run(['test', '--config', bad]);
        expect(r.code).toBe(1);
        expect(r.err).toContain(`error: ${bad}: notifications.targets[0].url: missing (expected a string)\n`);
        expect(rx.requests).toHaveLength(0);
    });

    it('bad usage exits 2', async () => {
        for (const args of [[], ['send'], ['test', '--bogus']]) {
            const r = await run(args);
            expect(r.code, args.join(' ')).toBe(2);
            expect(r.err).toContain('Usage: pve-backup-health notify test');
        }
    });
});
