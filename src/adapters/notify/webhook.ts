// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Generic webhook: the JSON payload (or the target's body template), extra headers, an optional
 * `Authorization` header from the secrets, and an optional HMAC-SHA256 signature over the exact
 * body bytes: `X-PBH-Signature: sha256=<hex>` (the receiver recomputes it with the shared secret).
 */

import { createHmac } from 'node:crypto';
import type { WebhookTarget } from '../../config/types.ts';
import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';
import type { Notifier } from '../../ports.ts';
import { redactor } from './errors.ts';
import { httpCall, tlsAndTimeout } from './http.ts';
import { renderTemplate, webhookPayload } from './payload.ts';

export const SIGNATURE_HEADER = 'X-PBH-Signature';

export function signBody(secret: string, body: Buffer): string {
    return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookSecrets {
    hmacSecret?: string;
    authorization?: string;
}

export function webhookNotifier(target: WebhookTarget, secrets: WebhookSecrets, timeoutMs?: number): Notifier {
    const label = `webhook target '${target.name}'`;
    const redact = redactor([secrets.hmacSecret, secrets.authorization]);
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            const payload = webhookPayload(batch, message);
            const text = target.bodyTemplate !== undefined
                ? renderTemplate(target.bodyTemplate, payload, /json/i.test(target.contentType))
                : JSON.stringify(payload);
            const body = Buffer.from(text, 'utf8');
            // Lower-case names, so a configured header replaces a default instead of doubling it.
            const headers: Record<string, string> = { 'user-agent': 'pve-backup-health' };
            for (const [k, v] of Object.entries(target.headers)) headers[k.toLowerCase()] = v;
            headers['content-type'] = target.contentType;
            if (secrets.authorization) headers.authorization = secrets.authorization;
            if (secrets.hmacSecret) headers[SIGNATURE_HEADER.toLowerCase()] = signBody(secrets.hmacSecret, body);
            await httpCall({ url: target.url, method: target.method, headers, body, ...tlsAndTimeout(target, timeoutMs, signal) }, { label, redact });
        },
    };
}
