// SPDX-License-Identifier: AGPL-3.0-or-later
// A fake pve-backup-health daemon: real HTTP on 127.0.0.1 serving the contract
// (src/contract/http-api.ts) with a report from the real evaluator (slimmed like the real daemon's
// GET /report), checking
// `Authorization: PVEAuthCookie=<ticket>` (cookies are ignored, like the real one) and answering
// CORS preflights (the GUI on :8006 calls the daemon on :8009 — another origin). The browser
// tests use the real daemon (backend.ts); this one stays for what the real one cannot do on
// demand: a corrupt report, archives before the daemon has them, 10 000 guests in a second for
// the render bench, and golden scenarios at their own time for `run.mjs serve`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
    ArchiveTaskResponse, DaemonInfo, SettingsResponse, SettingsUpdate, Silence, SilenceRequest,
} from '../../src/contract/http-api.ts';
import { slimReport } from '../../src/app/daemon-views.ts';
import { mergeReports } from '../../src/domain/health/merge-reports.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import {
    archiveDiff, buildReport, guestDetail, history, initialArchives, initialLog, initialSettings, jobsWithNext, loadSnapshot, scaleReport,
    SETTINGS_SCHEMA, validateSettings,
} from './fake-data.ts';

export const ADMIN_TICKET = 'PVE:root@pam:6B00ED12::ZmFrZS1zaWduYXR1cmUtcm9vdA==';
export const READER_TICKET = 'PVE:auditor@pve:6B00ED12::ZmFrZS1zaWduYXR1cmUtYXVkaXRvcg==';
const USERS: Record<string, { user: string; canModify: boolean }> = {
    [ADMIN_TICKET]: { user: 'root@pam', canModify: true },
    [READER_TICKET]: { user: 'auditor@pve', canModify: false },
};

export interface FakeBackendOptions {
    /** `demo` (default) or a folder name under test/scenarios. */
    source?: string;
    /** Multiply the guests up to this many (render bench). */
    guests?: number;
    /** Serve the archive endpoints (default true); false answers 404 like a daemon without them. */
    archives?: boolean;
    /** Answer every request with this status (e.g. 401) to show the failure pages. */
    failWith?: number;
    /** Serve a report whose guests are not a list (a daemon bug): the GUI must survive it. */
    corruptReport?: boolean;
    /** Also watch a remote cluster of this name: the same cluster again, joined as the daemon does. */
    remote?: string;
}

export interface FakeBackend {
    url: string;
    report: HealthReport;
    /** Requests seen: `METHOD /path user` (user `-` when refused). */
    requests: string[];
    stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<unknown> {
    return new Promise((resolve, reject) => {
        let data = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => {
            data += c;
            if (data.length > 1_000_000) reject(new Error('body too large'));
        });
        req.on('end', () => {
            try {
                resolve(data ? JSON.parse(data) : {});
            } catch {
                reject(new Error('body is not JSON'));
            }
        });
        req.on('error', reject);
    });
}

export async function startFakeBackend(options: FakeBackendOptions = {}): Promise<FakeBackend> {
    const { snapshot, now } = loadSnapshot(options.source ?? 'demo');
    const own = options.guests ? scaleReport(buildReport(snapshot, now), options.guests) : buildReport(snapshot, now);
    const report = options.remote ? mergeReports([{ report: own }, { remote: options.remote, report: own }]) : own;
    const slim = slimReport(report);
    let settings = initialSettings();
    const secrets = new Set<string>(['notifications.targets.0.token']);
    const silences: Silence[] = [];
    const log = initialLog(now);
    const archives = initialArchives(now);
    const tasks = new Map<string, ArchiveTaskResponse>();
    const requests: string[] = [];
    let checkingUntil = 0;
    let lastCheck = now - 120;

    const daemon = (): DaemonInfo => {
        const t = Date.now() / 1000;
        if (checkingUntil && t >= checkingUntil) {
            checkingUntil = 0;
            lastCheck = now;
        }
        return { version: '0.1.0-fake', node: 'pve1', notifier: true, lastCheck, nextCheck: lastCheck + 900, lastCheckSeconds: 4, checking: checkingUntil > 0, warnings: [] };
    };
    const settingsResponse = (): SettingsResponse => ({ schema: SETTINGS_SCHEMA, settings, secretsSet: [...secrets], writable: true, path: '/etc/pve/backup-health/config.json' });

    async function route(method: string, path: string, query: URLSearchParams, who: { user: string; canModify: boolean }, req: IncomingMessage): Promise<[number, unknown]> {
        const modify = () => {
            if (!who.canModify) throw Object.assign(new Error('permission denied: Sys.Modify on / is needed'), { status: 403 });
        };
        if (method === 'GET' && path === '/whoami') return [200, who];
        if (method === 'GET' && path === '/report') return [200, { daemon: daemon(), report: options.corruptReport ? { ...slim, guests: 'not a list', problems: [{ code: 'backup-failed' }] } : slim }];
        if (method === 'GET' && path === '/jobs') return [200, { daemon: daemon(), jobs: jobsWithNext(report, now) }];
        if (method === 'GET' && path === '/history') {
            const from = Number(query.get('from') ?? 0);
            const to = Number(query.get('to') ?? Number.MAX_SAFE_INTEGER);
            return [200, { points: history(report, now).filter((p) => p.at >= from && p.at <= to) }];
        }
        const guest = /^\/guests\/(\d+)$/.exec(path);
        if (method === 'GET' && guest) {
            const remote = query.get('remote') || undefined;
            const detail = guestDetail(report, snapshot, Number(guest[1]), silences, remote);
            return detail ? [200, { daemon: daemon(), ...detail }] : [404, { error: `no guest with VMID ${guest[1]}${remote ? ` on remote ${remote}` : ''}` }];
        }
        if (method === 'POST' && path === '/check') {
            modify();
            const started = checkingUntil === 0;
            if (started) checkingUntil = Date.now() / 1000 + 1.5;
            return [202, { started }];
        }
        if (method === 'GET' && path === '/settings') return [200, settingsResponse()];
        if (method === 'PUT' && path === '/settings') {
            modify();
            const body = (await readBody(req)) as SettingsUpdate;
            const why = validateSettings(body.settings ?? {});
            if (why) return [400, { error: why }];
            settings = body.settings;
            for (const [k, v] of Object.entries(body.secrets ?? {})) {
                if (v === '') secrets.delete(k);
                else secrets.add(k);
            }
            return [200, settingsResponse()];
        }
        if (method === 'POST' && path === '/silences') {
            modify();
            const body = (await readBody(req)) as SilenceRequest;
            const s: Silence = { id: `s${silences.length + 1}`, createdBy: who.user, createdAt: now };
            if (body.remote !== undefined) s.remote = body.remote;
            if (body.vmid !== undefined) s.vmid = body.vmid;
            if (body.codes) s.codes = body.codes;
            if (body.reason) s.reason = body.reason;
            if (body.durationSeconds) s.until = now + body.durationSeconds;
            silences.push(s);
            return [200, settingsResponse()];
        }
        if (method === 'GET' && path === '/notifications/log') return [200, { entries: log }];
        if (method === 'POST' && path === '/notifications/test') {
            modify();
            const body = (await readBody(req)) as { target?: string };
            const targets = ((settings.notifications as { targets?: { name: string }[] })?.targets ?? []).filter((t) => body.target === undefined || t.name === body.target);
            if (targets.length === 0) return [404, { error: `no notification target named '${body.target}'` }];
            const results = targets.map((t) => (t.name === 'webhook-ops' ? { target: t.name, ok: false, error: 'webhook-ops: HTTP 500 from the receiver' } : { target: t.name, ok: true }));
            for (const r of results) log.unshift({ at: now, target: r.target, kind: 'test', subject: '[pve-backup-health] test message', ok: r.ok, ...(r.error ? { error: r.error } : {}), problems: [] });
            return [200, { results }];
        }
        if (path.startsWith('/archives')) return archiveRoute(method, path, query, modify);
        return [404, { error: `no such endpoint: ${method} ${path}` }];
    }

    function archiveRoute(method: string, path: string, query: URLSearchParams, modify: () => void): [number, unknown] {
        if (options.archives === false) return [404, { error: `no such endpoint: ${method} ${path}` }];
        if (method === 'GET' && path === '/archives') return [200, { archives, schedule: 'daily 03:30', nextRun: now + 66600, lastRun: { at: now - 19800, ok: true, name: archives[0]?.name } }];
        if (method === 'POST' && path === '/archives') {
            modify();
            const id = `t${tasks.size + 1}`;
            const task: ArchiveTaskResponse = { id, state: 'running', progress: 0.1, message: 'reading /etc/pve' };
            tasks.set(id, task);
            return [202, task];
        }
        const task = /^\/archives\/tasks\/([\w-]+)$/.exec(path);
        if (method === 'GET' && task) {
            const t = tasks.get(task[1] as string);
            if (!t) return [404, { error: 'no such task' }];
            if (t.state === 'running') {
                t.progress = Math.min(1, t.progress + 0.45);
                t.message = t.progress >= 1 ? 'done' : 'compressing';
                if (t.progress >= 1) {
                    t.state = 'done';
                    t.name = `pve1-config-new-${t.id}.tar.gz.age`;
                    archives.unshift({ name: t.name, node: 'pve1', createdAt: now, size: 183_500, encrypted: true, copies: [] });
                }
            }
            return [200, t];
        }
        if (method === 'GET' && path === '/archives/diff') return [200, archiveDiff(query.get('a') ?? '', query.get('b') ?? '')];
        const one = /^\/archives\/([^/]+)(\/download|\/verify)?$/.exec(path);
        const name = one ? decodeURIComponent(one[1] as string) : '';
        if (!one || !archives.some((a) => a.name === name)) return [404, { error: `no archive named '${name}'` }];
        if (method === 'GET' && one[2] === '/download') return [200, Buffer.from(`fake archive ${name}\n`)];
        if (method === 'POST' && one[2] === '/verify') {
            modify();
            return [200, { ok: true, checked: 42, errors: [] }];
        }
        if (method === 'GET' && !one[2]) return [200, { manifest: { name, files: 42 } }];
        return [404, { error: 'no such endpoint' }];
    }

    const server = createServer((req, res: ServerResponse) => {
        const origin = req.headers.origin;
        if (origin) {
            res.setHeader('Access-Control-Allow-Origin', origin);
            res.setHeader('Vary', 'Origin');
        }
        if (req.method === 'OPTIONS') {
            res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS', 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '600' });
            res.end();
            return;
        }
        const url = new URL(req.url ?? '/', 'http://x');
        const send = (status: number, body: unknown) => {
            if (Buffer.isBuffer(body)) res.writeHead(status, { 'Content-Type': 'application/octet-stream' }).end(body);
            else res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
        };
        const auth = /^PVEAuthCookie=(.+)$/.exec(req.headers.authorization ?? '');
        const who = auth ? USERS[auth[1] as string] : undefined;
        const path = url.pathname.replace(/^\/api\/v1/, '');
        requests.push(`${req.method} ${url.pathname}${url.search} ${who?.user ?? '-'}`);
        if (!url.pathname.startsWith('/api/v1/')) return send(404, { error: 'not found' });
        if (options.failWith) return send(options.failWith, { error: `fake failure ${options.failWith}` });
        if (!who) return send(401, { error: auth ? 'authentication failure' : 'no credentials: send Authorization: PVEAuthCookie=<ticket>' });
        route(req.method ?? 'GET', path, url.searchParams, who, req)
            .then(([status, body]) => send(status, body))
            .catch((e: Error & { status?: number }) => send(e.status ?? 400, { error: e.message }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        report: slim,
        requests,
        stop: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
