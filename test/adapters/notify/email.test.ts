// SPDX-License-Identifier: AGPL-3.0-or-later
// E-mail channels: SMTP against a loopback SMTP server (STARTTLS, implicit TLS, plain; AUTH
// PLAIN and LOGIN), and the local sendmail as a fake script that keeps what it was given.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../../src/adapters/notify/factory.ts';
import { validateConfig } from '../../../src/config/schema.ts';
import type { NotificationTarget } from '../../../src/config/types.ts';
import { type SimCertificates, generateCertificates } from '../../simulator/cert.ts';
import { parseMail } from './mime.ts';
import { BATCH, MESSAGE, failure } from './receiver.ts';
import { type SmtpServer, startSmtp } from './smtp-server.ts';

function target(doc: Record<string, unknown>): NotificationTarget {
    const r = validateConfig({ notifications: { targets: [doc] } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config.notifications.targets[0] as NotificationTarget;
}

const PASSWORD = 'Sm7p-Pass/word';
let certs: SimCertificates;
let dir: string;
let caFile: string;

beforeAll(() => {
    certs = generateCertificates();
    dir = mkdtempSync(join(tmpdir(), 'pbh-mail-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, certs.ca);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectMessage(raw: string | undefined): void {
    const mail = parseMail(raw ?? '');
    expect(mail.headers.subject).toBe(MESSAGE.subject);
    expect(mail.headers.from).toBe('PVE Backup Health <pve@example.com>');
    expect(mail.headers.to).toBe('admin@example.com, ops@example.com');
    expect(mail.headers['x-pbh-kind']).toBe('problem');
    expect(mail.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/i);
    expect(mail.body.trimEnd()).toBe(MESSAGE.text.trimEnd());
}

const SMTP = { type: 'smtp', name: 'mail', host: '127.0.0.1', from: 'PVE Backup Health <pve@example.com>', to: ['admin@example.com', 'ops@example.com'] };

describe('SMTP', () => {
    let server: SmtpServer | undefined;
    afterAll(async () => server?.close());

    it('STARTTLS with AUTH: upgrades before authenticating, then delivers the message', async () => {
        server = await startSmtp({ mode: 'starttls', certs, users: { pve: PASSWORD } });
        const t = target({ ...SMTP, port: server.port, security: 'starttls', username: 'pve', caFile });
        await createNotifier(t, { password: PASSWORD }).send(BATCH, MESSAGE);
        const s = server.sessions.at(-1);
        expect(s).toMatchObject({ startedTls: true, from: 'pve@example.com', rcpt: ['admin@example.com', 'ops@example.com'] });
        expect(s?.auth).toMatchObject({ user: 'pve', pass: PASSWORD, ok: true });
        expectMessage(s?.data);
        await server.close();
        server = undefined;
    });

    it('implicit TLS with AUTH LOGIN', async () => {
        server = await startSmtp({ mode: 'tls', certs, users: { pve: PASSWORD } });
        const t = target({ ...SMTP, port: server.port, security: 'tls', username: 'pve', caFile });
        await createNotifier(t, { password: PASSWORD }).send(BATCH, MESSAGE);
        const s = server.sessions.at(-1);
        expect(s?.tls).toBe(true);
        expect(s?.auth?.ok).toBe(true);
        expectMessage(s?.data);
        await server.close();
        server = undefined;
    });

    it('plain SMTP without auth (a local relay)', async () => {
        server = await startSmtp({ mode: 'plain' });
        await createNotifier(target({ ...SMTP, port: server.port, security: 'none' }), {}).send(BATCH, MESSAGE);
        const s = server.sessions.at(-1);
        expect(s).toMatchObject({ tls: false, startedTls: false });
        expect(s?.auth).toBeUndefined();
        expectMessage(s?.data);
        await server.close();
        server = undefined;
    });

    it('STARTTLS required but not offered: refuses to send in clear text', async () => {
        server = await startSmtp({ mode: 'plain', users: { pve: PASSWORD } });
        const t = target({ ...SMTP, port: server.port, security: 'starttls', username: 'pve' });
        const e = await failure(createNotifier(t, { password: PASSWORD }).send(BATCH, MESSAGE));
        expect(e.message).toBe(`smtp target 'mail': STARTTLS failed at 127.0.0.1:${server.port}: 502 5.5.2 Error: command not recognized`);
        expect(e.retryable).toBe(false);
        expect(server.sessions.at(-1)?.auth).toBeUndefined();
        await server.close();
        server = undefined;
    });

    it('a rejected password is a permanent error that never contains the password', async () => {
        server = await startSmtp({ mode: 'starttls', certs, users: { pve: 'the-right-one' } });
        const t = target({ ...SMTP, port: server.port, username: 'pve', caFile });
        const e = await failure(createNotifier(t, { password: PASSWORD }).send(BATCH, MESSAGE));
        expect(e.message).toBe(`smtp target 'mail': authentication failed at 127.0.0.1:${server.port}: 535 5.7.8 Error: authentication failed`);
        expect(e.message).not.toContain(PASSWORD);
        expect(e.retryable).toBe(false);
        await server.close();
        server = undefined;
    });

    it('nobody listening: a retryable error naming host and port', async () => {
        const gone = await startSmtp({ mode: 'plain' });
        const port = gone.port;
        await gone.close();
        const e = await failure(createNotifier(target({ ...SMTP, port, security: 'none' }), {}).send(BATCH, MESSAGE));
        expect(e.message).toBe(`smtp target 'mail': connection refused (127.0.0.1:${port})`);
        expect(e.retryable).toBe(true);
    });
});

describe('sendmail', () => {
    function fakeSendmail(script: string): string {
        const path = join(dir, `sendmail-${Math.random().toString(36).slice(2)}`);
        writeFileSync(path, `#!/bin/sh\n${script}\n`);
        chmodSync(path, 0o755);
        return path;
    }

    it('runs `sendmail -t -i` and writes the whole message to its stdin', async () => {
        const out = join(dir, 'out.eml');
        const path = fakeSendmail(`echo "$@" > '${out}.args'\ncat > '${out}'`);
        const t = target({ type: 'sendmail', name: 'local', to: ['admin@example.com', 'ops@example.com'], from: 'PVE Backup Health <pve@example.com>', sendmailPath: path });
        await createNotifier(t, {}).send(BATCH, MESSAGE);
        expect(readFileSync(`${out}.args`, 'utf8')).toBe('-t -i\n');
        expectMessage(readFileSync(out, 'utf8'));
    });

    it('local recipients without a domain (root) reach the message headers, for `-t`', async () => {
        const out = join(dir, 'local.eml');
        const path = fakeSendmail(`cat > '${out}'`);
        await createNotifier(target({ type: 'sendmail', name: 'local', to: ['root', 'backup-admins'], from: 'root', sendmailPath: path }), {}).send(BATCH, MESSAGE);
        const mail = parseMail(readFileSync(out, 'utf8'));
        expect(mail.headers.to).toBe('<root>, <backup-admins>');
        expect(mail.headers.from).toBe('<root>');
    });

    it('a non-zero exit is an error with the status and what sendmail said', async () => {
        const path = fakeSendmail("cat > /dev/null\necho 'sendmail: fatal: queue file write error' >&2\nexit 75");
        const e = await failure(createNotifier(target({ type: 'sendmail', name: 'local', to: ['root'], sendmailPath: path }), {}).send(BATCH, MESSAGE));
        expect(e.message).toBe(`sendmail target 'local': ${path} exited with status 75: sendmail: fatal: queue file write error`);
    });

    it('a missing binary is named', async () => {
        const missing = join(dir, 'no-such-sendmail');
        expect(existsSync(missing)).toBe(false);
        const e = await failure(createNotifier(target({ type: 'sendmail', name: 'local', to: ['root'], sendmailPath: missing }), {}).send(BATCH, MESSAGE));
        expect(e.message).toBe(`sendmail target 'local': cannot run ${missing} (not found)`);
        expect(e.retryable).toBe(false);
    });

    it('a hanging sendmail is killed after the timeout', async () => {
        const path = fakeSendmail('exec sleep 30');
        const n = createNotifier(target({ type: 'sendmail', name: 'local', to: ['root'], sendmailPath: path }), {}, { timeoutMs: 300 });
        const e = await failure(n.send(BATCH, MESSAGE));
        expect(e.message).toBe(`sendmail target 'local': ${path} did not finish within 300 ms`);
    });
});
