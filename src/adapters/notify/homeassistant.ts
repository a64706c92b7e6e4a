// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Home Assistant, two ways:
 * - webhook trigger: `POST <ha>/api/webhook/<id>` with the JSON payload (no auth: the id is the secret);
 * - notify service: `POST <ha>/api/services/notify/<service>` with a long-lived access token,
 *   body `{ title, message, data }`.
 */

import type { HomeAssistantNotifyTarget, HomeAssistantWebhookTarget } from '../../config/types.ts';
import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';
import type { Notifier } from '../../ports.ts';
import { redactor } from './errors.ts';
import { httpCall, tlsAndTimeout } from './http.ts';
import { webhookPayload } from './payload.ts';

function base(url: string): string {
    return url.replace(/\/+$/, '');
}

export function homeAssistantWebhookNotifier(target: HomeAssistantWebhookTarget, webhookId: string, timeoutMs?: number): Notifier {
    const label = `homeassistant-webhook target '${target.name}'`;
    const redact = redactor([webhookId]);
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            await httpCall(
                {
                    url: `${base(target.url)}/api/webhook/${encodeURIComponent(webhookId)}`,
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify(webhookPayload(batch, message)),
                    ...tlsAndTimeout(target, timeoutMs, signal),
                },
                { label, redact },
            );
        },
    };
}

export function homeAssistantNotifyNotifier(target: HomeAssistantNotifyTarget, token: string, timeoutMs?: number): Notifier {
    const label = `homeassistant-notify target '${target.name}'`;
    const redact = redactor([token]);
    return {
        name: target.name,
        type: target.type,
        async send(_batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            await httpCall(
                {
                    url: `${base(target.url)}/api/services/notify/${encodeURIComponent(target.service)}`,
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
                    body: JSON.stringify({ title: message.subject, message: message.text, data: target.data ?? {} }),
                    ...tlsAndTimeout(target, timeoutMs, signal),
                },
                { label, redact },
            );
        },
    };
}
