// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Collector cost on a large simulated cluster: the first cycle (history window, all logs), quiet
 * cycles (the budget: ≤ 2 requests per node + a constant) and a cycle after a scheduled run.
 * Exit code 1 when the quiet budget is exceeded.
 *
 *     node test/bench/run.mjs [--nodes 5] [--guests 200] [--days 35]
 */

import { createMemoryTaskLogCache } from '../../src/adapters/cache/task-log-cache.ts';
import { createApiSnapshotSource } from '../../src/adapters/pve-api/collector.ts';
import { createTransport } from '../../src/adapters/pve-api/transport.ts';
import { scaleScenario } from '../simulator/scenarios.ts';
import { startSimulator } from '../simulator/server.ts';

/** Cluster-wide requests of a quiet cycle: status, resources, backup jobs. */
const CONSTANT = 3;

function arg(argv: readonly string[], name: string, fallback: number): number {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
}

export async function runBench(argv: readonly string[]): Promise<number> {
    const nodes = arg(argv, 'nodes', 5);
    const guests = arg(argv, 'guests', 200);
    const days = arg(argv, 'days', 35);
    const t0 = performance.now();
    const sim = await startSimulator(scaleScenario({ nodes, guestsPerNode: guests, historyDays: days }));
    const genMs = performance.now() - t0;
    const transport = createTransport({ baseUrl: sim.url, token: sim.token, tls: { fingerprint: sim.fingerprint } });
    const source = createApiSnapshotSource({ transport, cache: createMemoryTaskLogCache() });
    const rows: Array<{ cycle: string; requests: number; ms: number; tasks: number; logs: number }> = [];
    const cycle = async (name: string) => {
        const start = performance.now();
        const snap = await source.collect({ now: sim.clock.now(), historyFrom: sim.clock.now() - days * 86400 });
        const st = source.stats().lastCycle;
        rows.push({ cycle: name, requests: st?.requests ?? 0, ms: Math.round(performance.now() - start), tasks: snap.tasks.length, logs: st?.logsFetched ?? 0 });
    };
    try {
        await cycle('first (history window)');
        for (let i = 1; i <= 3; i++) {
            sim.clock.advance(60);
            await cycle(`quiet ${i}`);
        }
        sim.clock.advance(86400);
        await cycle('after one day of runs');
    } finally {
        transport.close();
        await sim.stop();
    }
    const budget = 2 * nodes + CONSTANT;
    process.stdout.write(`cluster: ${nodes} nodes × ${guests} guests, ${days} days history (generated in ${Math.round(genMs)} ms)\n`);
    process.stdout.write(`${'cycle'.padEnd(24)} ${'requests'.padStart(8)} ${'ms'.padStart(7)} ${'tasks'.padStart(6)} ${'logs'.padStart(6)}\n`);
    for (const r of rows) {
        process.stdout.write(`${r.cycle.padEnd(24)} ${String(r.requests).padStart(8)} ${String(r.ms).padStart(7)} ${String(r.tasks).padStart(6)} ${String(r.logs).padStart(6)}\n`);
    }
    const worstQuiet = Math.max(...rows.filter((r) => r.cycle.startsWith('quiet')).map((r) => r.requests));
    process.stdout.write(`quiet-cycle budget: ${worstQuiet} ≤ ${budget} (2 per node + ${CONSTANT}): ${worstQuiet <= budget ? 'OK' : 'EXCEEDED'}\n`);
    process.stdout.write(`heap used: ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB\n`);
    return worstQuiet <= budget ? 0 : 1;
}
