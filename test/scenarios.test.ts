// SPDX-License-Identifier: AGPL-3.0-or-later
// Golden scenarios: each folder under test/scenarios holds a cluster snapshot, the time of the
// check and the problems a correct evaluator must report — no more, no fewer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/domain/health/evaluate.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from '../src/domain/health/settings.ts';
import type { Problem } from '../src/domain/model.ts';
import { decodeSnapshot } from '../src/domain/snapshot/decode.ts';

const dir = join(import.meta.dirname, 'scenarios');

interface Expected {
    status: string;
    problems: Partial<Pick<Problem, 'code' | 'severity' | 'vmid' | 'job' | 'node'>>[];
    guests?: Record<string, string>;
    messages?: Record<string, string>;
}

const KEYS = ['code', 'severity', 'vmid', 'job', 'node'] as const;

function project(p: Problem): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const k of KEYS) if (p[k] !== undefined) o[k] = p[k];
    return o;
}

/** Pairs expected and actual problems one to one; an expected entry may leave keys out. */
function unmatched(expected: Expected['problems'], actual: Problem[]) {
    const left = actual.map(project);
    const missing: unknown[] = [];
    for (const e of expected) {
        const i = left.findIndex((a) => Object.entries(e).every(([k, v]) => a[k] === v));
        if (i < 0) missing.push(e);
        else left.splice(i, 1);
    }
    return { missing, unexpected: left };
}

const names = readdirSync(dir).filter((n) => /^\d\d-/.test(n)).sort();

describe('golden scenarios', () => {
    it('has at least 30 scenarios', () => {
        expect(names.length).toBeGreaterThanOrEqual(30);
    });

    for (const name of names) {
        it(name, () => {
            const read = (f: string) => JSON.parse(readFileSync(join(dir, name, f), 'utf8'));
            const scenario = read('scenario.json') as { now: string; settings?: Partial<EvaluationSettings> };
            const expected = read('expect.json') as Expected;
            const decoded = decodeSnapshot(read('snapshot.json'));
            if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
            const now = Date.parse(scenario.now) / 1000;
            const report = evaluate(decoded.snapshot, now, { ...DEFAULT_SETTINGS, ...scenario.settings });
            const diff = unmatched(expected.problems, report.problems);
            expect(diff, report.problems.map((p) => `${p.code}: ${p.message}`).join('\n')).toEqual({ missing: [], unexpected: [] });
            expect(report.status).toBe(expected.status);
            for (const [vmid, status] of Object.entries(expected.guests ?? {})) {
                expect(report.guests.find((g) => g.vmid === Number(vmid))?.status, `guest ${vmid}`).toBe(status);
            }
            for (const [vmid, text] of Object.entries(expected.messages ?? {})) {
                const msgs = report.problems.filter((p) => p.vmid === Number(vmid)).map((p) => p.message);
                expect(msgs.join('\n')).toContain(text);
            }
        });
    }
});
