// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Builds notifiers from the settings. A target whose required secret is missing still becomes a
 * notifier, one that fails with a clear error on every send, so `notify test` and the
 * notification log show the problem instead of the target silently not existing.
 */

import type { ConfigSecrets, DaemonConfig, NotificationTarget } from '../../config/types.ts';
import { TARGET_SECRET_KEYS } from '../../config/types.ts';
import type { Notifier } from '../../ports.ts';
import { sendmailNotifier, smtpNotifier } from './email.ts';
import { NotifyError } from './errors.ts';
import { homeAssistantNotifyNotifier, homeAssistantWebhookNotifier } from './homeassistant.ts';
import { gotifyNotifier, ntfyNotifier, telegramNotifier } from './push.ts';
import { type RetryOptions, withRetry } from './retry.ts';
import { webhookNotifier } from './webhook.ts';

export interface NotifierDeps {
    /** Per request / per sendmail run; default 10 s. */
    timeoutMs?: number;
    /** Where secrets live, named in the "not set" error. */
    secretsFile?: string;
}

function failing(target: NotificationTarget, message: string): Notifier {
    return {
        name: target.name,
        type: target.type,
        send: () => Promise.reject(new NotifyError(`${target.type} target '${target.name}': ${message}`, false)),
    };
}

/** One target's notifier; `secrets` are that target's own (`targets.<name>` of the secrets file). */
export function createNotifier(target: NotificationTarget, secrets: Readonly<Record<string, string>>, deps: NotifierDeps = {}): Notifier {
    const missing = TARGET_SECRET_KEYS[target.type].filter((k) => k.required && !secrets[k.key]).map((k) => k.key);
    if (target.type === 'smtp' && target.username !== undefined && !secrets.password) missing.push('password');
    if (missing.length > 0) {
        return failing(target, `secret '${missing.join("', '")}' is not set (${deps.secretsFile ?? 'secrets file'}: targets.${target.name})`);
    }
    const t = deps.timeoutMs;
    switch (target.type) {
        case 'homeassistant-webhook':
            return homeAssistantWebhookNotifier(target, secrets.webhookId as string, t);
        case 'homeassistant-notify':
            return homeAssistantNotifyNotifier(target, secrets.token as string, t);
        case 'webhook': {
            const s: { hmacSecret?: string; authorization?: string } = {};
            if (secrets.hmacSecret) s.hmacSecret = secrets.hmacSecret;
            if (secrets.authorization) s.authorization = secrets.authorization;
            return webhookNotifier(target, s, t);
        }
        case 'smtp':
            return smtpNotifier(target, secrets.password, t);
        case 'sendmail':
            return sendmailNotifier(target, t);
        case 'ntfy':
            return ntfyNotifier(target, secrets.token || undefined, t);
        case 'gotify':
            return gotifyNotifier(target, secrets.token as string, t);
        case 'telegram':
            return telegramNotifier(target, secrets.botToken as string, t);
    }
}

export interface CreateNotifiersOptions extends NotifierDeps {
    /**
     * Wrap each target in `withRetry` with this policy. Absent or false: one attempt per send,
     * for callers that retry themselves (the daemon's dispatch) or want the error now (`notify test`).
     */
    retry?: RetryOptions | false;
}

/** The enabled targets' notifiers, in settings order. */
export function createNotifiers(config: DaemonConfig, secrets: ConfigSecrets, options: CreateNotifiersOptions = {}): Notifier[] {
    return config.notifications.targets
        .filter((t) => t.enabled)
        .map((t) => {
            const n = createNotifier(t, secrets.targets[t.name] ?? {}, options);
            return options.retry ? withRetry(n, options.retry) : n;
        });
}
