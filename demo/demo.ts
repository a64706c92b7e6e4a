// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `make demo`: the full experience without a PVE host. Starts the PVE API simulator (a 3-node
 * cluster with one planted problem of each kind, living on the real clock), the daemon against
 * it (plain HTTP on loopback), the test host page with the built GUI plugin talking to that
 * daemon, and prints where to look. Ctrl-C stops everything.
 */

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../src/compose.ts';
import { type HostPage, PLUGIN_BUNDLE, startHostPage } from '../test/gui/host-page.ts';
import type { SimClock } from '../test/simulator/clock.ts';
import { writeHostRoot } from '../test/simulator/host-root.ts';
import { demoScenario } from '../test/simulator/scenarios.ts';
import { startSimulator } from '../test/simulator/server.ts';

declare const __PBH_VERSION__: string;

const realClock: SimClock = { now: () => Math.floor(Date.now() / 1000), set() {}, advance() {} };

/** The host page on `port`, or on any free port when that one is taken. */
async function hostPage(port: number, backendUrl: () => string, ticket: () => string): Promise<HostPage> {
    try {
        return await startHostPage({ backendUrl, ticket, port });
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        return startHostPage({ backendUrl, ticket });
    }
}

export async function runDemo(port = Number(process.env.PBH_DEMO_PORT ?? 8009), guiPort = Number(process.env.PBH_DEMO_GUI_PORT ?? 8006)): Promise<void> {
    const start = Math.floor(Date.now() / 60000) * 60;
    const sim = await startSimulator(demoScenario({ start, futureDays: 30 }), { clock: realClock });
    const dir = mkdtempSync(join(tmpdir(), 'pbh-demo-'));
    // Node pve1's configuration files, for the configuration archives; every archive kept (PVE's
    // keep-daily would keep one of a day's archives only).
    writeHostRoot(sim.world, 'pve1', join(dir, 'root'), sim.clock.now(), { parts: ['config'] });
    const settings = { version: 1, checkIntervalSeconds: 60, archive: { retention: { keepLast: 20 } } };
    writeFileSync(join(dir, 'config.json'), `${JSON.stringify(settings, null, 2)}\n`);
    // The page first: the daemon lets only the GUI's origin read its answers. Every page load
    // gets a fresh root@pam ticket (they expire after two hours, like PVE's).
    const gui = existsSync(PLUGIN_BUNDLE);
    const target = { url: '' };
    const page = gui ? await hostPage(guiPort, () => target.url, () => sim.issueTicket('root@pam')) : undefined;
    const daemon = await startDaemon({
        version: typeof __PBH_VERSION__ === 'string' ? __PBH_VERSION__ : 'dev',
        env: process.env, log: (l) => process.stderr.write(l), node: 'pve1',
        configFile: join(dir, 'config.json'), stateDir: join(dir, 'state'), hostRoot: join(dir, 'root'),
        listen: { host: '127.0.0.1', port }, plainHttp: true,
        api: { url: sim.url, token: sim.token, fingerprint: sim.fingerprint },
        allowedOrigins: page ? [page.origin] : [],
    });
    target.url = daemon.server.url;
    const ticket = sim.issueTicket('root@pam');
    const reader = encodeURIComponent(sim.issueTicket('auditor@pve'));
    const out = [
        '',
        'pve-backup-health demo is running (Ctrl-C stops it):',
        page
            ? `  PVE GUI with the plugin   ${page.url}   (test host page; read-only user: ${page.url}?cap=audit&ticket=${reader} · German: ?lang=de · Italian: ?lang=it)`
            : `  PVE GUI with the plugin   not started: ${PLUGIN_BUNDLE} is missing (run make first)`,
        `  simulated PVE API         ${sim.url}   (3 nodes, one planted problem of each kind)`,
        `  daemon API                ${daemon.server.url}/api/v1/report`,
        '',
        'Try:',
        `  curl -s -H 'Authorization: PVEAuthCookie=${ticket}' ${daemon.server.url}/api/v1/report | head -c 600`,
        `  curl -s -H 'Authorization: PVEAuthCookie=${ticket}' ${daemon.server.url}/metrics | head`,
        `  PVE_BACKUP_HEALTH_TOKEN='${sim.token}' node dist/pve-backup-health.js check --api-url ${sim.url} --fingerprint ${sim.fingerprint}`,
        '',
    ];
    process.stdout.write(out.join('\n'));
    await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
    });
    await page?.stop();
    await daemon.stop();
    await sim.stop();
}

/** Entry for `node scripts/run-ts.mjs demo/demo.ts` (`make demo`). */
export async function main(_argv: readonly string[]): Promise<number> {
    await runDemo();
    return 0;
}
