// SPDX-License-Identifier: AGPL-3.0-or-later
/** What the simulator's request handlers see: the world, the clock, faults and the caller. */

import type { SimAccess } from './access.ts';
import type { SimClock } from './clock.ts';
import type { SimNodeSpec, SimTokenSpec } from './spec.ts';
import { type World, nodeDownAt } from './world.ts';

export interface SimFaults {
    /** The next `times` requests whose path matches answer `status` (default 500). */
    failNext(match: string | RegExp, times: number, status?: number, reason?: string): void;
    /** The next `times` matching requests never get an answer (timeout tests). */
    hangNext(match: string | RegExp, times: number): void;
    /** Every token is rejected with 401 while set. */
    rejectTokens: boolean;
    /** Added to every timestamp of `schedule-analyze` (to provoke a disagreement). */
    scheduleAnalyzeShift: number;
}

export interface SimState {
    world: World;
    clock: SimClock;
    /** Nodes switched off by the test, in addition to outages in the spec. */
    offline: Set<string>;
    access: SimAccess;
}

export interface Caller {
    /** The API token, or for a ticket the user's own id and ACL (no secret). */
    token: SimTokenSpec;
    /** Authenticated with a ticket rather than an API token. */
    ticket?: boolean;
}

export interface RouteResult {
    status?: number;
    reason?: string;
    data?: unknown;
    total?: number;
    /** Per-parameter errors of a 400 answer. */
    errors?: Record<string, string>;
    /** A file instead of the JSON envelope (task log `download=1`): text/plain, gzipped above 1 KiB. */
    file?: { text: string; name: string };
}

export type Params = Record<string, string>;
export type Query = Record<string, string>;

export interface Route {
    method: 'GET' | 'POST';
    pattern: RegExp;
    /** Names of the pattern's capture groups, in order. */
    keys: string[];
    /** Proxied to the node in `params.node` (595 when it is offline). */
    proxied?: boolean;
    /** Reachable without a token (e.g. `POST /access/ticket`). */
    anonymous?: boolean;
    handle(s: SimState, p: Params, q: Query, caller: Caller | undefined, body: Query): RouteResult;
}

/** `/nodes/{node}/tasks` → a Route matcher. */
export function route(method: Route['method'], template: string, handle: Route['handle'], extra: Partial<Route> = {}): Route {
    const keys: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
    });
    return { method, pattern: new RegExp(`^${source}$`), keys, handle, ...extra };
}

export function nodeOnline(s: SimState, node: SimNodeSpec): boolean {
    return !s.offline.has(node.name) && !nodeDownAt(node, s.clock.now());
}

export function findNode(s: SimState, name: string): SimNodeSpec | undefined {
    return s.world.spec.nodes.find((n) => n.name === name);
}

/** The node that answers API requests (pveproxy on the first node). */
export function apiNode(s: SimState): SimNodeSpec {
    return s.world.spec.nodes[0] as SimNodeSpec;
}

export function ok(data: unknown, total?: number): RouteResult {
    return total === undefined ? { data } : { data, total };
}

export function fail(status: number, reason: string): RouteResult {
    return { status, reason, data: null };
}

export const GiB = 1024 ** 3;
