// SPDX-License-Identifier: AGPL-3.0-or-later
// The panel's pure helpers (plugin/view-logic.ts) on real reports from the evaluator.
import { describe, expect, it } from 'vitest';
import { chartPath, linearFit, projectFull, sideBySide, storageSamples } from '../../plugin/figures.ts';
import { ageParts, formatBytes, formatDuration, guestLabel, guestRows, jobWarnings, rowMatches, sizeTrend, statusIconCls, topProblems, withoutLabel } from '../../plugin/view-logic.ts';
import { mergeReports } from '../../src/domain/health/merge-reports.ts';
import { buildReport, loadSnapshot } from './fake-data.ts';

const demo = (() => {
    const { snapshot, now } = loadSnapshot('demo');
    return buildReport(snapshot, now);
})();

describe('view logic', () => {
    it('uses PVE status classes with FA4 icons', () => {
        expect(statusIconCls('ok')).toBe('fa fa-check-circle good');
        expect(statusIconCls('critical')).toContain('critical');
        expect(statusIconCls('warning')).toContain('warning');
        expect(statusIconCls('unknown')).toContain('faded');
    });

    it('formats sizes, durations and ages', () => {
        expect(formatBytes(0)).toBe('0 B');
        expect(formatBytes(1536)).toBe('1.50 KiB');
        expect(formatBytes(3.1e12)).toBe('2.82 TiB');
        expect(formatBytes(undefined)).toBe('');
        expect(formatDuration(5)).toBe('5s');
        expect(formatDuration(356)).toBe('5m 56s');
        expect(formatDuration(3 * 3600 + 120)).toBe('3h 02m');
        expect(ageParts(30)).toEqual({ value: 30, unit: '{0} s' });
        expect(ageParts(7 * 3600)).toEqual({ value: 7, unit: '{0} h' });
        expect(ageParts(3 * 86400)).toEqual({ value: 3, unit: '{0} d' });
    });

    it('turns the demo report into one grid row per guest, problems named', () => {
        const rows = guestRows(demo.guests, demo.problems);
        expect(rows).toHaveLength(demo.guests.length);
        const mail = rows.find((r) => r.name === 'mail01');
        expect(mail?.status).toBe('critical');
        expect(mail?.problems).toContain('backup-failed');
        expect(mail?.messages).toContain('CT is locked');
        expect(mail?.lastResult).toBe('failed');
        const excluded = rows.filter((r) => r.coverage === 'excluded');
        expect(excluded.length).toBe(demo.counts.excluded);
    });

    it('keeps the guests of a remote cluster apart from the same VMIDs here', () => {
        const both = mergeReports([{ report: demo }, { remote: 'dc2', report: { ...demo, problems: demo.problems.filter((p) => p.vmid !== 201) } }]);
        const rows = guestRows(both.guests, both.problems);
        const mail = rows.filter((r) => r.name === 'mail01');
        expect(mail.map((r) => r.remote)).toEqual(['', 'dc2']);
        // Messages follow the guest's own cluster: dc2's mail01 has none.
        expect(mail[0]?.messages).toContain('CT is locked');
        expect(mail[1]?.messages).toBe('');
        expect(rows.filter((r) => rowMatches(r, 'dc2 mail01', false))).toEqual([mail[1]]);
        expect(guestLabel('mail01', 201, 'dc2')).toBe('dc2 / mail01 (201)');
        expect(guestLabel('mail01', 201)).toBe('mail01 (201)');
        const top = topProblems(mergeReports([{ report: demo }, { remote: 'dc2', report: demo }]).problems, 100);
        expect(top.filter((p) => p.vmid === 201).map((p) => p.remote)).toEqual([undefined, 'dc2']);
    });

    it('filters rows by problems and by every search word', () => {
        const rows = guestRows(demo.guests, demo.problems);
        const withProblems = rows.filter((r) => rowMatches(r, '', true));
        expect(withProblems.map((r) => r.name).sort()).toEqual(demo.guests.filter((g) => g.problems.length > 0 || g.status !== 'ok').map((g) => g.name).sort());
        expect(rows.filter((r) => rowMatches(r, 'MAIL01', false)).map((r) => r.vmid)).toEqual([201]);
        expect(rows.filter((r) => rowMatches(r, 'pve3 locked', false))).toHaveLength(0);
        expect(rows.filter((r) => rowMatches(r, 'pve3 missed', false)).map((r) => r.vmid).sort()).toEqual([300, 301]);
    });

    it('picks the top problems once per guest, skipping info', () => {
        const top = topProblems(demo.problems, 3);
        expect(top).toHaveLength(3);
        expect(top.every((p) => p.severity !== 'info')).toBe(true);
        expect(new Set(top.map((p) => p.vmid)).size).toBe(3);
        expect(top[0]).toBe(demo.problems[0]);
        expect(withoutLabel('mail01 (201): failed', 'mail01 (201)')).toBe('failed');
        expect(withoutLabel('storage x is full', 'mail01 (201)')).toBe('storage x is full');
    });

    it('judges the size trend of the newest good backup against the median of the earlier ones', () => {
        expect(sizeTrend([100, 100, 300]).trend).toBe('up');
        expect(sizeTrend([100, 100, 40]).trend).toBe('down');
        expect(sizeTrend([100, 105])).toEqual({ trend: 'flat', ratio: 1.05 });
        // Oldest first: the newest size is the last one.
        expect(sizeTrend([100, 300]).trend).toBe('up');
        expect(sizeTrend([300, 100]).trend).toBe('down');
        expect(sizeTrend([100, 0, 100, 95]).trend).toBe('flat');
        expect(sizeTrend([100]).trend).toBe('none');
        expect(sizeTrend([]).trend).toBe('none');
        expect(sizeTrend(undefined).trend).toBe('none');
        expect(sizeTrend('x' as unknown as number[]).trend).toBe('none');
        // The grid takes it from the report's sizeTrend (the report has no attempts any more).
        const rows = guestRows(demo.guests.map((g) => ({ ...g, attempts: [], runs: [] })), demo.problems);
        for (const g of demo.guests) expect(rows.find((r) => r.vmid === g.vmid)?.trend, g.name).toBe(sizeTrend(g.sizeTrend).trend);
        expect(rows.some((r) => r.trend !== 'none')).toBe(true);
    });

    it('warns about disabled jobs and jobs pinned to another node', () => {
        const job = { ...demo.jobs[0]!, enabled: false, node: 'pve1' };
        const texts = jobWarnings(job, demo.guests).map((w) => w.text);
        expect(texts.some((t) => t.startsWith('Job is disabled'))).toBe(true);
        expect(texts.some((t) => t.startsWith('Job runs only on node'))).toBe(true);
        expect(jobWarnings({ ...demo.jobs[0]!, enabled: true }, demo.guests)).toEqual([]);
    });

    it('projects when a storage is full from a least-squares line', () => {
        expect(linearFit([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toEqual({ slope: 2, intercept: 1 });
        expect(linearFit([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeUndefined();
        const day = 86400;
        const samples = [0, 1, 2, 3].map((d) => ({ at: d * day, used: 50 + d * 10 }));
        expect(projectFull(samples, 100, 3 * day)).toBe(5 * day);
        expect(projectFull(samples.map((s) => ({ ...s, used: 50 })), 100, 0)).toBeUndefined();
        expect(projectFull(samples.slice(0, 2), 100, 0)).toBeUndefined();
        expect(projectFull(samples, 60, 10 * day)).toBe(10 * day);
        const points = [{ at: 5, storages: [{ storage: 's', node: 'n', used: 7 }, { storage: 't', node: 'n', used: 1 }, { storage: 's', node: 'n', remote: 'dc2', used: 90 }] }, { at: 6 }, null, 'x'];
        expect(storageSamples(points, 's', 'n')).toEqual([{ at: 5, used: 7 }]);
        // A remote cluster's storage of the same name and node is its own series.
        expect(storageSamples(points, 's', 'n', 'dc2')).toEqual([{ at: 5, used: 90 }]);
    });

    it('lays a unified diff out side by side', () => {
        const rows = sideBySide('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n keep\n-old\n+new\n-gone\n tail\n+added\n');
        expect(rows.map((r) => r.kind)).toEqual(['hunk', 'same', 'changed', 'removed', 'same', 'added']);
        expect(rows[2]).toEqual({ kind: 'changed', left: 'old', right: 'new' });
        expect(rows[3]).toEqual({ kind: 'removed', left: 'gone', right: '' });
        expect(rows[5]).toEqual({ kind: 'added', left: '', right: 'added' });
    });

    it('draws a chart path inside the box, oldest first', () => {
        const path = chartPath([{ at: 20, value: 10 }, { at: 10, value: 5 }], 100, 50, 0);
        expect(path).toBe('M0.0,25.0 L100.0,0.0');
        expect(chartPath([], 100, 50)).toBe('');
    });
});
