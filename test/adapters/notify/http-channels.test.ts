// SPDX-License-Identifier: AGPL-3.0-or-later
// Every HTTP channel against a real loopback receiver: method, path, headers, body, auth,
// signature; and errors that name the target and status but never a secret.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier, createNotifiers } from '../../../src/adapters/notify/factory.ts';
import { validateConfig } from '../../../src/config/schema.ts';
import type { NotificationTarget } from '../../../src/config/types.ts';
import { type SimCertificates, generateCertificates } from '../../simulator/cert.ts';
import { BATCH, MESSAGE, type Receiver, failure, ok, startReceiver } from './receiver.ts';

function target(doc: Record<string, unknown>): NotificationTarget {
    const r = validateConfig({ notifications: { targets: [doc] } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config.notifications.targets[0] as NotificationTarget;
}

let rx: Receiver;
beforeAll(async () => {
    rx = await startReceiver();
});
afterAll(() => rx.close());
beforeEach(() => {
    rx.requests = [];
    rx.answer = ok;
});

describe('Home Assistant', () => {
    it('webhook trigger: POST /api/webhook/<id> with the JSON payload', async () => {
        const n = createNotifier(target({ type: 'homeassistant-webhook', name: 'ha', url: `${rx.url}/` }), { webhookId: 'pbh-hook-Secret1' });
        await n.send(BATCH, MESSAGE);
        const [r] = rx.requests;
        expect(r?.method).toBe('POST');
        expect(r?.url).toBe('/api/webhook/pbh-hook-Secret1');
        expect(r?.headers['content-type']).toBe('application/json');
        const body = JSON.parse(r?.body ?? '');
        expect(body).toMatchObject({ source: 'pve-backup-health', kind: 'problem', severity: 'critical', cluster: 'prod', subject: MESSAGE.subject, summary: MESSAGE.summary, text: MESSAGE.text });
        expect(body.problems).toEqual([
            expect.objectContaining({ key: 'backup-failed|101|daily|pve1|', code: 'backup-failed', vmid: 101, guestName: 'web01', job: 'daily', node: 'pve1', storage: null, remote: null, firstSeen: 1_794_990_000 }),
        ]);
    });

    it('notify service: bearer token, {title, message, data}', async () => {
        const n = createNotifier(target({ type: 'homeassistant-notify', name: 'ha', url: rx.url, service: 'mobile_app_pixel_8', data: { tag: 'backup' } }), { token: 'eyJhbGciOi.long-lived' });
        await n.send(BATCH, MESSAGE);
        const [r] = rx.requests;
        expect(r?.url).toBe('/api/services/notify/mobile_app_pixel_8');
        expect(r?.headers.authorization).toBe('Bearer eyJhbGciOi.long-lived');
        expect(JSON.parse(r?.body ?? '')).toEqual({ title: MESSAGE.subject, message: MESSAGE.text, data: { tag: 'backup' } });
    });

    it('a refused token is an error with the status, never the token, even if the receiver echoes it', async () => {
        rx.answer = (req, res) => {
            res.writeHead(401);
            res.end(`401: Unauthorized (${req.headers.authorization})`);
        };
        const n = createNotifier(target({ type: 'homeassistant-notify', name: 'ha', url: rx.url, service: 'notify' }), { token: 'Leaky-Token-42' });
        const e = await failure(n.send(BATCH, MESSAGE));
        expect(e.message).toBe(`homeassistant-notify target 'ha': HTTP 401 from ${rx.url}: 401: Unauthorized (Bearer ***)`);
        expect(e.retryable).toBe(false);
        expect(e.status).toBe(401);
    });
});

describe('generic webhook', () => {
    const secrets = { hmacSecret: 'hmac-K3y', authorization: 'Bearer webhook-Tok' };

    it('sends the JSON payload with custom headers, authorization and an HMAC-SHA256 over the exact body', async () => {
        const t = target({ type: 'webhook', name: 'hook', url: `${rx.url}/hooks/pbh?src=pve`, headers: { 'X-Team': 'ops' } });
        await createNotifier(t, secrets).send(BATCH, MESSAGE);
        const [r] = rx.requests;
        expect(r).toMatchObject({ method: 'POST', url: '/hooks/pbh?src=pve' });
        expect(r?.headers).toMatchObject({ 'x-team': 'ops', authorization: 'Bearer webhook-Tok', 'content-type': 'application/json', 'user-agent': 'pve-backup-health' });
        const expected = `sha256=${createHmac('sha256', 'hmac-K3y').update(r?.raw ?? Buffer.alloc(0)).digest('hex')}`;
        expect(r?.headers['x-pbh-signature']).toBe(expected);
        expect(JSON.parse(r?.body ?? '').subject).toBe(MESSAGE.subject);
    });

    it('fills a body template (JSON-escaped for a JSON content type) and uses the configured method', async () => {
        const t = target({ type: 'webhook', name: 'chat', url: rx.url, method: 'PUT', bodyTemplate: '{"content": "{{subject}}\\n{{text}}", "n": {{count}}, "raw": {{json}}}' });
        await createNotifier(t, {}).send(BATCH, MESSAGE);
        const [r] = rx.requests;
        expect(r?.method).toBe('PUT');
        const body = JSON.parse(r?.body ?? '');
        expect(body.content).toBe(`${MESSAGE.subject}\n${MESSAGE.text}`);
        expect(body.n).toBe(1);
        expect(body.raw.problems[0].vmid).toBe(101);
        expect(r?.headers['x-pbh-signature']).toBeUndefined();
    });

    it('a plain-text template is not escaped', async () => {
        const t = target({ type: 'webhook', name: 'txt', url: rx.url, contentType: 'text/plain; charset=utf-8', bodyTemplate: '[{{severity}}] {{summary}} {{unknown}}' });
        await createNotifier(t, {}).send(BATCH, MESSAGE);
        expect(rx.requests[0]?.body).toBe(`[critical] ${MESSAGE.summary} {{unknown}}`);
    });

    it('a 500 is retryable and names target, status and origin, not the path or query', async () => {
        rx.answer = (_req, res) => {
            res.writeHead(500);
            res.end('database locked');
        };
        const t = target({ type: 'webhook', name: 'hook', url: `${rx.url}/hooks/Path-Secret?key=Query-Secret` });
        const e = await failure(createNotifier(t, secrets).send(BATCH, MESSAGE));
        expect(e.message).toBe(`webhook target 'hook': HTTP 500 from ${rx.url}: database locked`);
        expect(e.retryable).toBe(true);
    });

    it('connection refused and timeouts name the target and the receiver', async () => {
        const closed = await startReceiver();
        const url = closed.url;
        await closed.close();
        const e = await failure(createNotifier(target({ type: 'webhook', name: 'gone', url }), {}).send(BATCH, MESSAGE));
        expect(e.message).toBe(`webhook target 'gone': connection refused (${url})`);
        rx.answer = () => undefined;
        const slow = createNotifier(target({ type: 'webhook', name: 'slow', url: rx.url }), {}, { timeoutMs: 300 });
        const t = await failure(slow.send(BATCH, MESSAGE));
        expect(t.message).toBe(`webhook target 'slow': no answer within 300 ms (${rx.url})`);
        expect(t.retryable).toBe(true);
    });
});

describe('HTTPS receivers', () => {
    let certs: SimCertificates;
    let https: Receiver;
    let dir: string;
    beforeAll(async () => {
        certs = generateCertificates();
        https = await startReceiver(certs);
        dir = mkdtempSync(join(tmpdir(), 'pbh-notify-ca-'));
        writeFileSync(join(dir, 'ca.pem'), certs.ca);
    });
    afterAll(async () => {
        await https.close();
        rmSync(dir, { recursive: true, force: true });
    });

    it('trusts the configured CA file', async () => {
        await createNotifier(target({ type: 'gotify', name: 'g', server: https.url, caFile: join(dir, 'ca.pem') }), { token: 'AppTok' }).send(BATCH, MESSAGE);
        expect(https.requests).toHaveLength(1);
    });

    it('refuses an unknown CA with a clear, non-retryable error', async () => {
        const e = await failure(createNotifier(target({ type: 'gotify', name: 'g', server: https.url }), { token: 'AppTok' }).send(BATCH, MESSAGE));
        expect(e.message).toBe(`gotify target 'g': certificate signed by an unknown CA (set caFile) (${https.url})`);
        expect(e.retryable).toBe(false);
    });
});

describe('push services', () => {
    it('ntfy: POST /<topic>, UTF-8 title as RFC 2047, priority and tags by severity, bearer token', async () => {
        const german = { ...MESSAGE, subject: 'Prüfung nicht möglich: Knoten pve3 – prod' };
        await createNotifier(target({ type: 'ntfy', name: 'n', server: `${rx.url}/`, topic: 'pve-backups' }), { token: 'tk_ntfy' }).send(BATCH, german);
        const [r] = rx.requests;
        expect(r).toMatchObject({ method: 'POST', url: '/pve-backups', body: MESSAGE.text });
        expect(r?.headers).toMatchObject({ priority: '5', tags: 'rotating_light,pve-backup-health', authorization: 'Bearer tk_ntfy' });
        const m = /^=\?UTF-8\?B\?(.+)\?=$/.exec(String(r?.headers.title));
        expect(Buffer.from(m?.[1] ?? '', 'base64').toString('utf8')).toBe(german.subject);
        await createNotifier(target({ type: 'ntfy', name: 'n', server: rx.url, topic: 't' }), {}).send({ ...BATCH, kind: 'recovery', severity: 'info' }, { ...MESSAGE, subject: 'Resolved' });
        expect(rx.requests[1]?.headers).toMatchObject({ title: 'Resolved', priority: '3', tags: 'white_check_mark,pve-backup-health' });
        expect(rx.requests[1]?.headers.authorization).toBeUndefined();
    });

    it('gotify: POST /message with X-Gotify-Key, priority by severity', async () => {
        await createNotifier(target({ type: 'gotify', name: 'g', server: rx.url }), { token: 'A8f-gotify' }).send({ ...BATCH, severity: 'warning' }, MESSAGE);
        const [r] = rx.requests;
        expect(r).toMatchObject({ method: 'POST', url: '/message' });
        expect(r?.headers['x-gotify-key']).toBe('A8f-gotify');
        expect(JSON.parse(r?.body ?? '')).toEqual({ title: MESSAGE.subject, message: MESSAGE.text, priority: 5 });
    });

    it('telegram: POST /bot<token>/sendMessage; a failure never shows the token from the URL', async () => {
        const token = '123456789:AAHsecret-bot-token';
        const n = createNotifier(target({ type: 'telegram', name: 'tg', chatId: -100123, apiUrl: rx.url }), { botToken: token });
        await n.send(BATCH, MESSAGE);
        const [r] = rx.requests;
        expect(r?.url).toBe(`/bot${token}/sendMessage`);
        expect(JSON.parse(r?.body ?? '')).toEqual({ chat_id: '-100123', text: `${MESSAGE.subject}\n\n${MESSAGE.text.trimEnd()}`, disable_web_page_preview: true });
        rx.answer = (req, res) => {
            res.writeHead(400, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: chat not found (${req.url})` }));
        };
        const e = await failure(n.send(BATCH, MESSAGE));
        expect(e.message).toContain(`telegram target 'tg': HTTP 400 from ${rx.url}`);
        expect(e.message).toContain('chat not found (/bot***/sendMessage)');
        expect(e.message).not.toContain('AAHsecret');
    });
});

describe('factory', () => {
    it('a target without its required secret fails on send with a clear error, and does not send', async () => {
        const n = createNotifier(target({ type: 'gotify', name: 'phone', server: rx.url }), {}, { secretsFile: '/etc/pve/priv/backup-health.json' });
        const e = await failure(n.send(BATCH, MESSAGE));
        expect(e.message).toBe("gotify target 'phone': secret 'token' is not set (/etc/pve/priv/backup-health.json: targets.phone)");
        expect(rx.requests).toHaveLength(0);
    });

    it('builds the enabled targets only, in order', () => {
        const r = validateConfig({
            notifications: {
                targets: [
                    { type: 'ntfy', name: 'a', topic: 't' },
                    { type: 'ntfy', name: 'b', topic: 't', enabled: false },
                    { type: 'sendmail', name: 'c', to: ['root'] },
                ],
            },
        });
        if (!r.ok) throw new Error(r.errors.join());
        expect(createNotifiers(r.config, { targets: {}, remotes: {}, archive: {} }).map((n) => `${n.type}:${n.name}`)).toEqual(['ntfy:a', 'sendmail:c']);
    });
});
