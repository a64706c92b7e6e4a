// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `make demo`: the full experience without a PVE host. Starts the PVE API simulator (a 3-node
 * cluster with one planted problem of each kind, living on the real clock), the daemon against
 * it (plain HTTP on loopback) and prints where to look. Ctrl-C stops everything.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../src/compose.ts';
import type { SimClock } from '../test/simulator/clock.ts';
import { demoScenario } from '../test/simulator/scenarios.ts';
import { startSimulator } from '../test/simulator/server.ts';

declare const __PBH_VERSION__: string;

const realClock: SimClock = { now: () => Math.floor(Date.now() / 1000), set() {}, advance() {} };

export async function runDemo(port = Number(process.env.PBH_DEMO_PORT ?? 8009)): Promise<void> {
    const start = Math.floor(Date.now() / 60000) * 60;
    const sim = await startSimulator(demoScenario({ start, futureDays: 30 }), { clock: realClock });
    const dir = mkdtempSync(join(tmpdir(), 'pbh-demo-'));
    writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ version: 1, checkIntervalSeconds: 60 }, null, 2)}\n`);
    const daemon = await startDaemon({
        version: typeof __PBH_VERSION__ === 'string' ? __PBH_VERSION__ : 'dev',
        env: process.env, log: (l) => process.stderr.write(l), node: 'pve1',
        configFile: join(dir, 'config.json'), stateDir: join(dir, 'state'), hostRoot: join(dir, 'root'),
        listen: { host: '127.0.0.1', port }, plainHttp: true,
        api: { url: sim.url, token: sim.token, fingerprint: sim.fingerprint },
    });
    const ticket = sim.issueTicket('root@pam');
    const out = [
        '',
        'pve-backup-health demo is running (Ctrl-C stops it):',
        `  simulated PVE API   ${sim.url}   (3 nodes, one planted problem of each kind)`,
        `  daemon API          ${daemon.server.url}/api/v1/report`,
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
    await daemon.stop();
    await sim.stop();
}
