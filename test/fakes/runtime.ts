// SPDX-License-Identifier: AGPL-3.0-or-later
// Fakes for the daemon's ports: a clock with timers advanced by hand, memory stores, a shared
// in-memory coordinator, a recording notifier.
import type { Clock, Coordinator, Logger, Notifier, StateStore, Timers } from '../../src/ports.ts';
import type { AlertBatch, RenderedMessage } from '../../src/domain/alerts/types.ts';

export class FakeTime implements Clock, Timers {
    private pending: { at: number; fn: () => void; id: number }[] = [];
    private seq = 0;
    constructor(public t: number) {}
    now(): number {
        return this.t;
    }
    after(ms: number, fn: () => void): () => void {
        const id = ++this.seq;
        this.pending.push({ at: this.t + ms / 1000, fn, id });
        return () => {
            this.pending = this.pending.filter((p) => p.id !== id);
        };
    }
    /** Advances time, firing due timers in order and letting their promises settle. */
    async advance(seconds: number): Promise<void> {
        const end = this.t + seconds;
        for (;;) {
            await settle();
            const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at)[0];
            if (!due) break;
            this.pending = this.pending.filter((p) => p !== due);
            this.t = Math.max(this.t, due.at);
            due.fn();
        }
        this.t = end;
        await settle();
    }
}

export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

export class MemoryStore implements StateStore {
    readonly docs = new Map<string, string>();
    async read<T>(name: string): Promise<T | undefined> {
        const v = this.docs.get(name);
        return v === undefined ? undefined : (JSON.parse(v) as T);
    }
    async write(name: string, value: unknown): Promise<void> {
        this.docs.set(name, JSON.stringify(value));
    }
}

export class MemoryCoordinator implements Coordinator {
    readonly beats = new Map<string, number>();
    readonly shared = new MemoryStore();
    writable = true;
    async heartbeat(node: string, now: number): Promise<boolean> {
        if (!this.writable) return false;
        this.beats.set(node, now);
        return true;
    }
    async alive(now: number, maxAge: number): Promise<string[]> {
        return [...this.beats].filter(([, at]) => now - at <= maxAge).map(([n]) => n).sort();
    }
    readShared<T>(name: string) {
        return this.shared.read<T>(name);
    }
    writeShared(name: string, value: unknown) {
        if (!this.writable) return Promise.reject(new Error('EACCES'));
        return this.shared.write(name, value);
    }
}

export class RecordingNotifier implements Notifier {
    readonly sent: { batch: AlertBatch; message: RenderedMessage }[] = [];
    failTimes = 0;
    constructor(readonly name = 'rec', readonly type = 'test') {}
    async send(batch: AlertBatch, message: RenderedMessage): Promise<void> {
        if (this.failTimes > 0) {
            this.failTimes--;
            throw new Error(`${this.name}: receiver said 503`);
        }
        this.sent.push({ batch, message });
    }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
