// SPDX-License-Identifier: AGPL-3.0-or-later
// Retry with backoff: a flaky receiver succeeds on a later attempt; a permanent error ends at
// once; the final failure is thrown with the attempt count (never swallowed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyError } from '../../../src/adapters/notify/errors.ts';
import { createNotifier, createNotifiers } from '../../../src/adapters/notify/factory.ts';
import { sendWithRetry, withRetry } from '../../../src/adapters/notify/retry.ts';
import { validateConfig } from '../../../src/config/schema.ts';
import type { DaemonConfig } from '../../../src/config/types.ts';
import type { Notifier } from '../../../src/ports.ts';
import { BATCH, MESSAGE, type Receiver, failure, ok, startReceiver } from './receiver.ts';

function scripted(errors: (Error | undefined)[]): Notifier & { calls: number } {
    const n = {
        name: 'fake',
        type: 'webhook',
        calls: 0,
        send: async () => {
            const e = errors[n.calls++];
            if (e) throw e;
        },
    };
    return n;
}

function recordingSleep() {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('sendWithRetry', () => {
    it('retries retryable failures with doubling backoff and returns the attempt that worked', async () => {
        const n = scripted([new NotifyError('HTTP 503', true), new Error('socket hang up'), undefined]);
        const { waits, sleep } = recordingSleep();
        const retried: number[] = [];
        expect(await sendWithRetry(n, BATCH, MESSAGE, { attempts: 4, backoffMs: 100, sleep, onRetry: (_e, a) => retried.push(a) })).toBe(3);
        expect(waits).toEqual([100, 200]);
        expect(retried).toEqual([1, 2]);
    });

    it('stops at once on a permanent error', async () => {
        const n = scripted([new NotifyError("gotify target 'g': HTTP 401", false)]);
        const { waits, sleep } = recordingSleep();
        await expect(sendWithRetry(n, BATCH, MESSAGE, { attempts: 5, sleep })).rejects.toThrow("gotify target 'g': HTTP 401");
        expect(n.calls).toBe(1);
        expect(waits).toEqual([]);
    });

    it('throws the last error with the number of attempts when all fail', async () => {
        const n = scripted([new NotifyError('a', true), new NotifyError('b', true), new NotifyError("ntfy target 'n': HTTP 502", true)]);
        const { sleep } = recordingSleep();
        const e = await failure(sendWithRetry(n, BATCH, MESSAGE, { attempts: 3, backoffMs: 1, sleep }));
        expect(e.message).toBe("ntfy target 'n': HTTP 502 (after 3 attempts)");
        expect(n.calls).toBe(3);
    });

    it('does not retry once the caller aborted', async () => {
        const n = scripted([new NotifyError('x', true), undefined]);
        const controller = new AbortController();
        controller.abort();
        await expect(sendWithRetry(n, BATCH, MESSAGE, { attempts: 3, sleep: async () => undefined }, controller.signal)).rejects.toThrow('x');
        expect(n.calls).toBe(1);
    });
});

describe('withRetry over real HTTP', () => {
    let rx: Receiver;
    beforeAll(async () => {
        rx = await startReceiver();
    });
    afterAll(() => rx.close());

    it('a receiver that fails twice with 503 gets the message on the third attempt', async () => {
        rx.answer = (_req, res) => {
            if (rx.requests.length <= 2) {
                res.writeHead(503);
                res.end('busy');
            } else ok(_req, res);
        };
        const r = validateConfig({ notifications: { targets: [{ type: 'gotify', name: 'g', server: rx.url }] } });
        if (!r.ok) throw new Error(r.errors.join());
        const config: DaemonConfig = r.config;
        const { waits, sleep } = recordingSleep();
        const [n] = createNotifiers(config, { targets: { g: { token: 'Tok-123' } }, remotes: {}, archive: {} }, { retry: { attempts: 3, backoffMs: 50, sleep } });
        await n?.send(BATCH, MESSAGE);
        expect(rx.requests).toHaveLength(3);
        expect(rx.requests.every((q) => q.body === rx.requests[0]?.body)).toBe(true);
        expect(waits).toEqual([50, 100]);
    });

    it('a 401 is not retried', async () => {
        rx.requests = [];
        rx.answer = (_req, res) => {
            res.writeHead(401);
            res.end('{"error":"Unauthorized"}');
        };
        const r = validateConfig({ notifications: { targets: [{ type: 'gotify', name: 'g', server: rx.url }] } });
        if (!r.ok) throw new Error(r.errors.join());
        const target = r.config.notifications.targets[0];
        if (!target) throw new Error('no target');
        const n = withRetry(createNotifier(target, { token: 'Wrong-Tok' }), { attempts: 3, sleep: async () => undefined });
        const e = await failure(n.send(BATCH, MESSAGE));
        expect(e.message).toBe(`gotify target 'g': HTTP 401 from ${rx.url}: {"error":"Unauthorized"}`);
        expect(rx.requests).toHaveLength(1);
    });
});
