// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Runs the simulator as a stand-alone server (for `make demo`): bundle this file with esbuild
 * (Node 20 cannot run TypeScript directly), then `node serve.js [--port N] [--scale NODES,GUESTS]`.
 * It prints the connection settings as one JSON line and serves until SIGINT/SIGTERM.
 */

import { pathToFileURL } from 'node:url';
import { demoScenario, scaleScenario } from './scenarios.ts';
import { type Simulator, startSimulator } from './server.ts';
import type { ScenarioSpec } from './spec.ts';

export interface ServeOptions {
    port?: number;
    spec?: ScenarioSpec;
}

export interface ServeInfo {
    url: string;
    fingerprint: string;
    token: string;
    /** The simulated now, ISO (the clock does not advance on its own). */
    now: string;
}

export async function serveSimulator(options: ServeOptions = {}): Promise<{ sim: Simulator; info: ServeInfo }> {
    const sim = await startSimulator(options.spec ?? demoScenario(), options.port === undefined ? {} : { port: options.port });
    const info: ServeInfo = { url: sim.url, fingerprint: sim.fingerprint, token: sim.token, now: new Date(sim.clock.now() * 1000).toISOString() };
    return { sim, info };
}

export function parseServeArgs(argv: readonly string[]): ServeOptions {
    const out: ServeOptions = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = argv[i + 1];
        if (arg === '--port' && value !== undefined) {
            out.port = Number(value);
            i++;
        } else if (arg === '--scale' && value !== undefined) {
            const [nodes, guests] = value.split(',').map(Number);
            out.spec = scaleScenario({ nodes: nodes ?? 3, guestsPerNode: guests ?? 20 });
            i++;
        } else throw new Error(`usage: serve [--port N] [--scale NODES,GUESTS_PER_NODE] (unknown argument '${arg}')`);
    }
    return out;
}

async function main(): Promise<void> {
    const { sim, info } = await serveSimulator(parseServeArgs(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify(info)}\n`);
    const stop = () => void sim.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
    main().catch((err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    });
}
