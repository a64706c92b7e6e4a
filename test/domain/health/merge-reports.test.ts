// SPDX-License-Identifier: AGPL-3.0-or-later
// Joining the reports of several clusters: nothing lost, nothing counted twice, every item tagged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/domain/health/evaluate.ts';
import { mergeReports } from '../../../src/domain/health/merge-reports.ts';
import type { HealthReport } from '../../../src/domain/health/report.ts';
import { decodeSnapshot } from '../../../src/domain/snapshot/decode.ts';

function judged(name: string): HealthReport {
    const dir = join(import.meta.dirname, '../../scenarios', name);
    const r = decodeSnapshot(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const { now } = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as { now: string };
    return evaluate(r.snapshot, Date.parse(now) / 1000);
}

describe('mergeReports', () => {
    const ok = judged('01-all-ok-daily');
    const failed = judged('02-guest-failed');

    it('returns a lone report of the cluster itself unchanged', () => {
        expect(mergeReports([{ report: failed }])).toBe(failed);
    });

    it('tags every item of a remote, sums the counts and takes the worst status', () => {
        const m = mergeReports([{ report: ok }, { remote: 'dc2', report: failed }]);
        expect(m.status).toBe(failed.status);
        expect(m.status).not.toBe(ok.status);
        expect(m.guests).toHaveLength(ok.guests.length + failed.guests.length);
        expect(m.problems).toHaveLength(ok.problems.length + failed.problems.length);
        for (const key of ['guests', 'ok', 'warning', 'critical', 'unknown', 'notCovered', 'excluded', 'problems'] as const) {
            expect(m.counts[key]).toBe(ok.counts[key] + failed.counts[key]);
        }
        for (const list of [m.guests, m.problems, m.jobs, m.nodes, m.storages, m.sourceErrors] as { remote?: string }[][]) {
            const tagged = list.filter((x) => x.remote === 'dc2').length;
            expect(tagged).toBe(list.length - list.filter((x) => x.remote === undefined).length);
        }
        expect(m.guests.filter((g) => g.remote === 'dc2')).toHaveLength(failed.guests.length);
        expect(m.problems.filter((p) => p.remote === 'dc2').map((p) => p.code)).toEqual(failed.problems.map((p) => p.code));
        // The inputs are left as they were.
        expect(failed.guests.every((g) => g.remote === undefined)).toBe(true);
    });

    it('keeps problems most severe first across clusters', () => {
        const m = mergeReports([{ remote: 'a', report: ok }, { remote: 'b', report: failed }]);
        const rank = { critical: 0, unknown: 1, warning: 2, info: 3 };
        const order = m.problems.map((p) => rank[p.severity]);
        expect(order).toEqual([...order].sort((x, y) => x - y));
    });
});
