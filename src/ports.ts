// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Ports: the only ways the application reaches the outside world. Adapters implement them,
 * `compose.ts` wires them, `app/` uses them. Nothing here does I/O itself.
 */

import type { AlertBatch, RenderedMessage } from './domain/alerts/types.ts';
import type { ClusterSnapshot } from './domain/model.ts';
import type { ParsedVzdumpLog } from './domain/vzdump-log/types.ts';

/** Wall clock in epoch seconds; tests pass a fake one. */
export interface Clock {
    now(): number;
}

export interface Logger {
    debug(message: string, fields?: Record<string, unknown>): void;
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
    error(message: string, fields?: Record<string, unknown>): void;
}

export interface CollectOptions {
    /** Current time (epoch s); collectors never read the clock themselves. */
    now: number;
    /** How far back to read task history (epoch s). */
    historyFrom: number;
    signal?: AbortSignal;
    /** Progress for long first cycles (e.g. "task logs 120/800"). */
    onProgress?: (message: string) => void;
    /**
     * A check someone asked for ("Check now"): read anew what a source otherwise keeps for a
     * while between cycles (the guest list, storages and their backups).
     */
    fresh?: boolean;
}

/**
 * Produces the cluster snapshot the evaluator judges: from the PVE API, local files, a JSON file
 * or the simulator. A source keeps what it learnt between calls (incremental collection) and must
 * report what it could not read in `sourceErrors` instead of throwing, unless nothing at all
 * could be read.
 */
export interface SnapshotSource {
    /** Human-readable name for messages, e.g. `https://127.0.0.1:8006` or `demo/demo-cluster.json`. */
    readonly describe: string;
    collect(options: CollectOptions): Promise<ClusterSnapshot>;
}

/** Parsed task logs cached by UPID, so a finished task's log is fetched and parsed only once. */
export interface TaskLogCache {
    get(upid: string): Promise<ParsedVzdumpLog | undefined>;
    put(upid: string, log: ParsedVzdumpLog): Promise<void>;
}

/**
 * A notification channel (Home Assistant, webhook, e-mail, ntfy, Gotify, Telegram, …).
 * `send` resolves when the receiver accepted the message and rejects with an Error whose message
 * names the target and never contains a secret.
 */
export interface Notifier {
    readonly name: string;
    readonly type: string;
    send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void>;
}

/**
 * Small JSON documents the daemon keeps on local disk (alert state, history, archive index),
 * each written atomically (temp file + fsync + rename) so a crash never leaves half a file.
 */
export interface StateStore {
    read<T>(name: string): Promise<T | undefined>;
    write(name: string, value: unknown): Promise<void>;
}

/** The caller's identity and privileges on `/`, as PVE itself says (never decided locally). */
export interface AccessGrant {
    user: string;
    privileges: ReadonlySet<string>;
}

/** A credential from an `Authorization` header: a PVE ticket or an API token. */
export type Credential = { kind: 'ticket'; ticket: string } | { kind: 'token'; token: string };

/**
 * Asks PVE who a credential belongs to and what it may do on `/`. Rejects with an Error whose
 * `status` is 401 when PVE refuses the credential; other failures (PVE unreachable) are not 401.
 */
export interface AccessChecker {
    check(credential: Credential): Promise<AccessGrant>;
}

/** Timers as a port, so the scheduler can run on a fake clock in tests. */
export interface Timers {
    /** Calls `fn` once after `ms`; returns a function that cancels it. */
    after(ms: number, fn: () => void): () => void;
}

/**
 * Cluster coordination between the daemons of a cluster (one per node): heartbeats elect the one
 * notifier, and the alert state (what was told when) is shared so a failover never repeats or
 * loses a message. On PVE it lives in pmxcfs (`/etc/pve/priv/backup-health/`).
 */
export interface Coordinator {
    /** Records that `node` is alive at `now`; false when the shared store refused the write. */
    heartbeat(node: string, now: number): Promise<boolean>;
    /** Nodes whose heartbeat is not older than `maxAgeSeconds`, sorted by name. */
    alive(now: number, maxAgeSeconds: number): Promise<string[]>;
    readShared<T>(name: string): Promise<T | undefined>;
    writeShared(name: string, value: unknown): Promise<void>;
}

/** Outcome of creating the daemon's own API token (`setup cluster` of the package). */
export type TokenSetupResult = { kind: 'created' } | { kind: 'not-ready'; message: string } | { kind: 'failed'; message: string };
