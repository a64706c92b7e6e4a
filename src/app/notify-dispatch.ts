// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Sends alert batches to every notification target, retrying with backoff, and records every
 * attempt in the notification log. A failing channel is reported (log + daemon warnings), never
 * swallowed; it does not stop the other channels.
 */

import type { NotificationLogEntry } from '../contract/http-api.ts';
import type { AlertBatch, RenderedMessage } from '../domain/alerts/types.ts';
import type { Logger, Notifier, Timers } from '../ports.ts';

export interface DispatchDeps {
    timers: Timers;
    logger: Logger;
    now: () => number;
}

export interface DispatchResult {
    entries: NotificationLogEntry[];
    failures: string[];
}

function sleep(timers: Timers, ms: number): Promise<void> {
    return new Promise((resolve) => {
        timers.after(ms, resolve);
    });
}

async function sendOne(n: Notifier, batch: AlertBatch, message: RenderedMessage, attempts: number, backoffMs: number, deps: DispatchDeps): Promise<string | undefined> {
    let last = '';
    for (let i = 0; i < Math.max(1, attempts); i++) {
        try {
            await n.send(batch, message);
            return undefined;
        } catch (e) {
            last = e instanceof Error ? e.message : String(e);
            deps.logger.warn(`notification target ${n.name} failed (attempt ${i + 1}/${attempts}): ${last}`);
            // 401/404/bad certificate do not get better by waiting.
            if ((e as { retryable?: boolean }).retryable === false) break;
            if (i + 1 < attempts) await sleep(deps.timers, backoffMs * 2 ** i);
        }
    }
    return last;
}

export async function dispatch(
    batches: readonly AlertBatch[],
    render: (batch: AlertBatch) => RenderedMessage,
    notifiers: readonly Notifier[],
    options: { attempts: number; backoffMs: number },
    deps: DispatchDeps,
): Promise<DispatchResult> {
    const entries: NotificationLogEntry[] = [];
    const failures: string[] = [];
    for (const batch of batches) {
        const message = render(batch);
        const results = await Promise.all(notifiers.map((n) => sendOne(n, batch, message, options.attempts, options.backoffMs, deps)));
        notifiers.forEach((n, i) => {
            const error = results[i];
            const entry: NotificationLogEntry = { at: deps.now(), target: n.name, kind: batch.kind, subject: message.subject, ok: error === undefined, problems: batch.items.map((it) => it.key) };
            if (error !== undefined) {
                entry.error = error;
                failures.push(`notification target ${n.name} failed: ${error}`);
            }
            entries.push(entry);
        });
    }
    return { entries, failures };
}
