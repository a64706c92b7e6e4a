// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Retrying a channel: up to `attempts` tries with exponential backoff; an error that cannot get
 * better (bad token, 4xx) ends early. The final failure is thrown (never swallowed), with how
 * many attempts were made, so the daemon can record it in the notification log and the report.
 */

import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';
import type { Notifier } from '../../ports.ts';
import { NotifyError } from './errors.ts';

export interface RetryOptions {
    /** Tries in total (default 3). */
    attempts?: number;
    /** Wait before the 2nd try; doubles each time (default 2000 ms). */
    backoffMs?: number;
    /** Injected so tests do not wait; default setTimeout. */
    sleep?: (ms: number) => Promise<void>;
    /** Told about each failed try that will be retried (for logging). */
    onRetry?: (error: Error, attempt: number) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with the number of attempts it took; rejects with the last error. */
export async function sendWithRetry(
    notifier: Notifier,
    batch: AlertBatch,
    message: RenderedMessage,
    options: RetryOptions = {},
    signal?: AbortSignal,
): Promise<number> {
    const attempts = Math.max(1, options.attempts ?? 3);
    const sleep = options.sleep ?? defaultSleep;
    let wait = options.backoffMs ?? 2000;
    for (let attempt = 1; ; attempt++) {
        try {
            await notifier.send(batch, message, signal);
            return attempt;
        } catch (e) {
            const error = e instanceof Error ? e : new Error(`${notifier.type} target '${notifier.name}': ${String(e)}`);
            const permanent = e instanceof NotifyError && !e.retryable;
            if (permanent || attempt >= attempts || signal?.aborted) {
                if (attempt > 1) error.message = `${error.message} (after ${attempt} attempts)`;
                throw error;
            }
            options.onRetry?.(error, attempt);
            await sleep(wait);
            wait *= 2;
        }
    }
}

/** A Notifier whose `send` retries; what compose hands to the daemon. */
export function withRetry(notifier: Notifier, options: RetryOptions = {}): Notifier {
    return {
        name: notifier.name,
        type: notifier.type,
        send: async (batch, message, signal) => {
            await sendWithRetry(notifier, batch, message, options, signal);
        },
    };
}
