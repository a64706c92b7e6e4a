// SPDX-License-Identifier: AGPL-3.0-or-later
/** Push services: ntfy, Gotify and Telegram. Priorities follow the batch's worst severity. */

import type { GotifyTarget, NtfyTarget, TelegramTarget } from '../../config/types.ts';
import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';
import type { Severity } from '../../domain/model.ts';
import type { Notifier } from '../../ports.ts';
import { redactor } from './errors.ts';
import { httpCall, tlsAndTimeout } from './http.ts';

const trim = (url: string) => url.replace(/\/+$/, '');

/** ntfy priorities 1 (min) … 5 (max/urgent). */
const NTFY_PRIORITY: Record<Severity, string> = { critical: '5', unknown: '4', warning: '3', info: '2' };
/** Gotify priorities 0 … 10; Android shows ≥ 8 as high priority. */
const GOTIFY_PRIORITY: Record<Severity, number> = { critical: 8, unknown: 6, warning: 5, info: 2 };
/** Telegram's limit for one message. */
const TELEGRAM_MAX = 4096;

function ntfyTags(batch: AlertBatch): string {
    if (batch.kind === 'recovery') return 'white_check_mark,pve-backup-health';
    if (batch.kind === 'test') return 'test_tube,pve-backup-health';
    const icon = batch.severity === 'critical' ? 'rotating_light' : batch.severity === 'unknown' ? 'question' : 'warning';
    return `${icon},pve-backup-health`;
}

/** HTTP headers are Latin-1; ntfy decodes RFC 2047 encoded words, so umlauts survive. */
export function headerText(value: string): string {
    const line = value.replace(/[\r\n]+/g, ' ');
    return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

export function ntfyNotifier(target: NtfyTarget, token: string | undefined, timeoutMs?: number): Notifier {
    const label = `ntfy target '${target.name}'`;
    const redact = redactor([token]);
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            const headers: Record<string, string> = {
                'Content-Type': 'text/plain; charset=utf-8',
                Title: headerText(message.subject),
                Priority: batch.kind === 'recovery' || batch.kind === 'test' ? '3' : NTFY_PRIORITY[batch.severity],
                Tags: ntfyTags(batch),
            };
            if (token) headers.Authorization = `Bearer ${token}`;
            const url = `${trim(target.server)}/${encodeURIComponent(target.topic)}`;
            await httpCall({ url, method: 'POST', headers, body: message.text, ...tlsAndTimeout(target, timeoutMs, signal) }, { label, redact });
        },
    };
}

export function gotifyNotifier(target: GotifyTarget, token: string, timeoutMs?: number): Notifier {
    const label = `gotify target '${target.name}'`;
    const redact = redactor([token]);
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            const priority = batch.kind === 'recovery' || batch.kind === 'test' ? GOTIFY_PRIORITY.info : GOTIFY_PRIORITY[batch.severity];
            const body = JSON.stringify({ title: message.subject, message: message.text, priority });
            await httpCall(
                {
                    url: `${trim(target.server)}/message`,
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json', 'X-Gotify-Key': token },
                    body,
                    ...tlsAndTimeout(target, timeoutMs, signal),
                },
                { label, redact },
            );
        },
    };
}

export function telegramText(message: RenderedMessage): string {
    const full = `${message.subject}\n\n${message.text}`.trimEnd();
    return full.length <= TELEGRAM_MAX ? full : `${full.slice(0, TELEGRAM_MAX - 1)}…`;
}

export function telegramNotifier(target: TelegramTarget, botToken: string, timeoutMs?: number): Notifier {
    const label = `telegram target '${target.name}'`;
    // The token is part of the URL path: errors carry only the origin, and the redactor catches the rest.
    const redact = redactor([botToken]);
    return {
        name: target.name,
        type: target.type,
        async send(_batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            const body = JSON.stringify({ chat_id: target.chatId, text: telegramText(message), disable_web_page_preview: true });
            await httpCall(
                {
                    url: `${trim(target.apiUrl)}/bot${botToken}/sendMessage`,
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body,
                    ...tlsAndTimeout({}, timeoutMs, signal),
                },
                { label, redact },
            );
        },
    };
}
