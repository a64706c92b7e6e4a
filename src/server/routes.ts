// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The endpoints of the contract (src/contract/http-api.ts), each with the privilege it needs, and
 * how to match a request path against them. Handlers only validate input and call the daemon.
 */

import type { ArchiveApi, DaemonApi } from '../app/daemon-api.ts';
import { ServiceError } from '../app/daemon-api.ts';
import { API_BASE } from '../contract/http-api.ts';
import { HttpError, type Reply } from './http-io.ts';
import { archiveName, epochParam, remoteName, settingsUpdate, silenceRequest, taskId, testTarget, vmid } from './validate.ts';

/** `read`: Sys.Audit on `/`; `modify`: Sys.Modify on `/`; `login`: any valid credential; `metrics`: per metrics mode. */
export type Access = 'read' | 'modify' | 'login' | 'metrics';

export interface RequestContext {
    /** Path parameters, URI-decoded. */
    params: Record<string, string>;
    query: URLSearchParams;
    /** The caller (`user@realm` or a token id); empty for an unauthenticated loopback scrape. */
    user: string;
    privileges: ReadonlySet<string>;
    /** The JSON body (undefined when empty); 400/413 on bad input. */
    body(): Promise<unknown>;
}

export interface Route {
    method: 'GET' | 'PUT' | 'POST';
    /** Path segments; `{name}` matches one non-empty segment. */
    segments: string[];
    access: Access;
    handle(ctx: RequestContext): Reply | Promise<Reply>;
}

function route(method: Route['method'], path: string, access: Access, handle: Route['handle']): Route {
    return { method, segments: path.split('/').slice(1), access, handle };
}

const json = (body: unknown, status = 200): Reply => ({ status, json: body });

export const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Every endpoint; literal paths come before parameterised ones that could also match them. */
export function apiRoutes(api: DaemonApi): Route[] {
    const archives = (): ArchiveApi => {
        if (!api.archives) throw new ServiceError(503, 'configuration archives are not set up on this daemon');
        return api.archives;
    };
    const p = (ctx: RequestContext, k: string) => ctx.params[k] as string;
    const b = API_BASE;
    return [
        route('GET', `${b}/report`, 'read', () => json(api.report())),
        route('GET', `${b}/guests/{vmid}`, 'read', (ctx) => {
            const remote = ctx.query.get('remote');
            return json(api.guest(vmid(p(ctx, 'vmid')), remote === null || remote === '' ? undefined : remoteName(remote, 'query parameter remote')));
        }),
        route('GET', `${b}/jobs`, 'read', () => json(api.jobs())),
        route('POST', `${b}/check`, 'modify', () => json(api.requestCheck(), 202)),
        route('GET', `${b}/history`, 'read', async (ctx) => {
            const from = epochParam(ctx.query, 'from');
            const to = epochParam(ctx.query, 'to');
            if (from !== undefined && to !== undefined && from > to) throw new HttpError(400, `query parameter from=${from} is after to=${to}`);
            return json(await api.history(from, to));
        }),
        route('GET', `${b}/settings`, 'read', async () => json(await api.settings())),
        route('PUT', `${b}/settings`, 'modify', async (ctx) => json(await api.updateSettings(settingsUpdate(await ctx.body()), ctx.user))),
        route('POST', `${b}/notifications/test`, 'modify', async (ctx) => json(await api.testNotification(testTarget(await ctx.body())))),
        route('GET', `${b}/notifications/log`, 'read', async () => json(await api.notificationLog())),
        route('POST', `${b}/silences`, 'modify', async (ctx) => json(await api.addSilence(silenceRequest(await ctx.body()), ctx.user))),
        route('GET', `${b}/archives`, 'read', async () => json(await archives().list())),
        route('POST', `${b}/archives`, 'modify', (ctx) => json(archives().create(ctx.user), 202)),
        route('GET', `${b}/archives/diff`, 'read', async (ctx) => {
            const a = archiveName(ctx.query.get('a'), 'query parameter a');
            const bb = archiveName(ctx.query.get('b'), 'query parameter b');
            return json(await archives().diff(a, bb));
        }),
        route('GET', `${b}/archives/tasks/{id}`, 'read', (ctx) => json(archives().task(taskId(p(ctx, 'id'))))),
        route('GET', `${b}/archives/{name}`, 'read', async (ctx) => json(await archives().manifest(archiveName(p(ctx, 'name'))))),
        route('GET', `${b}/archives/{name}/download`, 'modify', async (ctx) => {
            const name = archiveName(p(ctx, 'name'));
            const file = await archives().download(name);
            return { stream: file.stream, size: file.size, contentType: 'application/octet-stream', filename: name };
        }),
        route('POST', `${b}/archives/{name}/verify`, 'modify', async (ctx) => json(await archives().verify(archiveName(p(ctx, 'name'))))),
        route('GET', `${b}/whoami`, 'login', (ctx) => json({ user: ctx.user, canModify: ctx.privileges.has('Sys.Modify') })),
        route('GET', '/metrics', 'metrics', () => ({ text: api.metrics(), contentType: PROMETHEUS_TYPE })),
    ];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined;

/**
 * The route for a request: the first whose path and method fit; otherwise the methods the path
 * allows (405), or undefined when no route has this path (404). `segments` are already decoded.
 */
export function matchRoute(routes: readonly Route[], method: string, segments: readonly string[]): Match {
    const allowed = new Set<string>();
    for (const r of routes) {
        const params = matchSegments(r.segments, segments);
        if (!params) continue;
        if (r.method === method) return { route: r, params };
        allowed.add(r.method);
    }
    return allowed.size ? { allowed: [...allowed].sort() } : undefined;
}

function matchSegments(template: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
    if (template.length !== actual.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < template.length; i++) {
        const t = template[i] as string;
        const a = actual[i] as string;
        if (t.startsWith('{') && t.endsWith('}')) {
            if (a === '') return undefined;
            params[t.slice(1, -1)] = a;
        } else if (t !== a) return undefined;
    }
    return params;
}
