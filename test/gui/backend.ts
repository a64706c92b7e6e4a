// SPDX-License-Identifier: AGPL-3.0-or-later
// What the browser tests talk to: the PVE API simulator with the demo cluster (clock standing at
// 2026-11-21 09:00 UTC until a test moves it) and the REAL daemon (src/compose.ts) on 127.0.0.1
// in plain HTTP, reading the simulator with its API token and checking every request's ticket by
// asking the simulator, like it asks pveproxy on a node. Its host root holds node pve1's
// configuration files as the simulator writes them (what the configuration archives contain);
// its notification targets point at a receiver on loopback (one accepts, one refuses), so the
// sent-messages log holds real entries. The fake daemon (fake-backend.ts) stays for what the
// real one cannot produce on demand.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchivesResponse, ReportResponse } from '../../src/contract/http-api.ts';
import { type RunningDaemon, startDaemon } from '../../src/compose.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import type { HistoryPoint } from '../../src/domain/history/points.ts';
import { writeHostRoot } from '../simulator/host-root.ts';
import { demoScenario } from '../simulator/scenarios.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';

export interface BackendOptions {
    /** Origins whose pages may read the daemon's answers, e.g. the host page's `http://127.0.0.1:<port>`. */
    allowedOrigins: string[];
}

export interface Tickets {
    /** root@pam: may change things (Sys.Modify). */
    admin: string;
    /** auditor@pve: Sys.Audit only. */
    reader: string;
    /** nobody@pve: no privileges (the daemon answers 403). */
    nobody: string;
}

export interface Backend {
    url: string;
    /** The daemon's first report as `GET /report` serves it (what the GUI must show). */
    report: HealthReport;
    tickets: Tickets;
    sim: Simulator;
    daemon: RunningDaemon;
    /** The node's file system as the daemon sees it (`etc/pve/jobs.cfg`, …). */
    hostRoot: string;
    /** The daemon's log lines. */
    log: string[];
    stop(): Promise<void>;
}

/** A notification receiver on loopback: `/refuse` answers 401 (not retried), the rest 200. */
async function startReceiver(): Promise<{ url: string; stop(): Promise<void> }> {
    const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
            if (req.url?.startsWith('/refuse')) res.writeHead(401, { 'Content-Type': 'text/plain' }).end('bad token');
            else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () => new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
        }),
    };
}

/**
 * A month of earlier history in the daemon's state directory, as a daemon that has been running
 * for a while has it: the simulator's storages stand still, so without a past there is no growth
 * to project a full date from. Usage grows 0.4 % of the total a day up to today's value.
 */
function addPastHistory(stateDir: string, report: HealthReport): void {
    const file = join(stateDir, 'history.json');
    const own = JSON.parse(readFileSync(file, 'utf8')) as HistoryPoint[];
    const c = report.counts;
    const now = Date.parse(report.checkedAt) / 1000;
    const past: HistoryPoint[] = [];
    for (let i = 30 * 4; i >= 1; i--) {
        const at = now - i * 6 * 3600;
        const days = (now - at) / 86400;
        const storages = report.storages.flatMap((s) => (s.used !== undefined && s.total !== undefined ? [{ storage: s.storage, node: s.node, total: s.total, used: Math.round(s.used - days * s.total * 0.004) }] : []));
        past.push({ at, status: report.status, ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered, problems: c.problems, storages });
    }
    writeFileSync(file, `${JSON.stringify([...past, ...own])}\n`);
}

export async function startBackend(options: BackendOptions): Promise<Backend> {
    const receiver = await startReceiver();
    const sim = await startSimulator(demoScenario({ futureDays: 0 }), { authDelayMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'pbh-gui-daemon-'));
    const stateDir = join(dir, 'state');
    const hostRoot = join(dir, 'root');
    writeHostRoot(sim.world, 'pve1', hostRoot, sim.clock.now(), { parts: ['config'] });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
        version: 1,
        // The longest interval: the only cycles are the first one and those "Check now" asks for.
        checkIntervalSeconds: 3600,
        // Every archive kept (PVE's keep-daily would keep one of the day's archives only).
        archive: { retention: { keepLast: 20 } },
        notifications: {
            targets: [
                { type: 'webhook', name: 'webhook-ops', url: `${receiver.url}/refuse` },
                { type: 'ntfy', name: 'ntfy-phone', server: receiver.url, topic: 'backups' },
            ],
        },
    }));
    const log: string[] = [];
    let daemon: RunningDaemon | undefined;
    try {
        daemon = await startDaemon({
            version: 'gui-test', env: {}, log: (l) => log.push(l.trimEnd()), clock: sim.clock, node: 'pve1',
            configFile: join(dir, 'config.json'), stateDir, hostRoot,
            listen: { host: '127.0.0.1', port: 0 }, plainHttp: true,
            api: { url: sim.url, token: sim.token, fingerprint: sim.fingerprint },
            allowedOrigins: options.allowedOrigins,
        });
        const tickets: Tickets = { admin: sim.issueTicket('root@pam'), reader: sim.issueTicket('auditor@pve'), nobody: sim.issueTicket('nobody@pve') };
        // The first cycle to its end: report, state and the notifications it sent.
        const deadline = Date.now() + 30_000;
        while (!daemon.daemon.report().report) {
            if (Date.now() > deadline) throw new Error(`the daemon produced no report within 30 s; its log:\n${log.join('\n')}`);
            await new Promise((r) => setTimeout(r, 50));
        }
        await daemon.daemon.idle();
        const get = async <T>(path: string): Promise<T> => {
            const res = await fetch(`${daemon?.server.url}/api/v1${path}`, { headers: { Authorization: `PVEAuthCookie=${tickets.admin}` } });
            const body = (await res.json()) as T;
            if (!res.ok) throw new Error(`GET /api/v1${path} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
            return body;
        };
        // The first cycle also started the first configuration archive (none existed): its end.
        while (!(await get<ArchivesResponse>('/archives')).lastRun) {
            if (Date.now() > deadline) throw new Error(`the daemon wrote no configuration archive within 30 s; its log:\n${log.join('\n')}`);
            await new Promise((r) => setTimeout(r, 50));
        }
        const body = await get<ReportResponse>('/report');
        if (!body.report) throw new Error('GET /api/v1/report has no report after the first check');
        addPastHistory(stateDir, body.report);
        const running = daemon;
        return {
            url: running.server.url,
            report: body.report,
            tickets,
            sim,
            daemon: running,
            hostRoot,
            log,
            stop: async () => {
                await running.stop();
                await sim.stop();
                await receiver.stop();
                rmSync(dir, { recursive: true, force: true });
            },
        };
    } catch (e) {
        await daemon?.stop();
        await sim.stop();
        await receiver.stop();
        rmSync(dir, { recursive: true, force: true });
        throw e;
    }
}
