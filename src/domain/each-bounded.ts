// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Runs `fn` over `items`, at most `limit` at a time, in order of start. Starting every task log
 * of a history window at once held all their texts, parses and cache writes in memory together
 * (hundreds of megabytes at 10 000 guests); a few workers keep only their own in flight.
 */
export async function eachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) await fn(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
