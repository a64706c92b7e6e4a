// SPDX-License-Identifier: AGPL-3.0-or-later
// `make bench` runs: the smallest size through the real entry (bundled, child processes), every
// figure produced, the quiet-cycle request budget kept, and the local scan finding every finished
// guest grep finds. Timings are the bench's business, not asserted here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SizeResult } from './bench.ts';

function runBench(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(import.meta.dirname, 'run.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
            out += c.toString('utf8');
        });
        child.stderr.on('data', (c: Buffer) => {
            err += c.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out, err }));
    });
}

describe('make bench (smoke)', () => {
    it('measures the 3-node cluster and keeps the quiet-cycle request budget', async () => {
        const run = await runBench(['--sizes', '3', '--json']);
        expect(run.err).not.toMatch(/crashed/);
        expect(run.code).toBe(0);
        expect(run.out).toMatch(/== 3 nodes, 150 guests, 30 days/);
        expect(run.out).toMatch(/steady cycle +\d+ requests \(budget 2 × 3 \+ 3 = 9\): PASS/);
        const [r] = JSON.parse(run.out.trim().split('\n').at(-1) ?? '[]') as SizeResult[];
        expect(r).toBeDefined();
        const m = (r as SizeResult).measure;
        for (const n of [m.cold.collectCpuMs, m.cold.evaluateCpuMs, m.peakRssMiB, m.coldPeakRssMiB, m.liveHeapMiB, m.steadyEvaluateCpuMs, r?.scan.oursMs, r?.scan.grepMs]) {
            expect(Number.isFinite(n) && (n as number) > 0).toBe(true);
        }
        expect(m.cold.guests).toBe(150);
        expect(m.cold.requests).toBeGreaterThan(m.cold.tasks);
        expect(m.coldEvaluateRepeatsCpuMs).toHaveLength(2);
        for (const n of m.coldEvaluateRepeatsCpuMs) expect(n).toBeGreaterThan(0);
        expect(m.steady).toHaveLength(5);
        for (const s of m.steady) expect(s.requests).toBeLessThanOrEqual(2 * 3 + 3);
        expect(r?.scan.files).toBeGreaterThan(25);
        expect(r?.scan.oursCount).toBeGreaterThan(1000);
        expect(r?.scan.oursCount).toBe(r?.scan.grepCount);
    }, 180_000);
});
