// SPDX-License-Identifier: AGPL-3.0-or-later
// The Prometheus exposition: parsed back line by line (HELP/TYPE before samples, families
// contiguous, label values round-trip through escaping), and the values taken from a real report.
import { describe, expect, it } from 'vitest';
import { Exposition, escapeLabelValue, formatValue } from '../../../src/domain/metrics/exposition.ts';
import { mergeReports } from '../../../src/domain/health/merge-reports.ts';
import { renderMetrics } from '../../../src/domain/metrics/prometheus.ts';
import { type Sample, parseExposition } from '../../server/parse-exposition.ts';
import { scenarioReport } from '../../server/report-fixture.ts';

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === `pve_backup_health_${name}` && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('renderMetrics', () => {
    const report = scenarioReport('02-guest-failed');
    const text = renderMetrics(report, { version: '0.1.0', node: 'pve1', lastCheck: 1795248000, lastCheckSeconds: 1.25, checking: false, notifier: true, warnings: ['x'] });
    const { samples, types } = parseExposition(text);

    it('is valid exposition text with every family typed as a gauge', () => {
        expect(samples.length).toBeGreaterThan(40);
        expect(new Set(types.values())).toEqual(new Set(['gauge']));
    });

    it('gives the overall and per-guest status as 0..3 with a status label', () => {
        expect(find(samples, 'status')).toEqual([{ name: 'pve_backup_health_status', labels: { status: 'critical' }, value: 2 }]);
        const failed = report.guests.find((g) => g.status === 'critical');
        expect(failed).toBeDefined();
        expect(find(samples, 'guest_status', { vmid: String(failed?.vmid) })).toEqual([
            { name: 'pve_backup_health_guest_status', labels: { vmid: String(failed?.vmid), name: failed?.name, type: failed?.type, node: failed?.node, status: 'critical' }, value: 2 },
        ]);
        expect(find(samples, 'guest_status', { status: 'ok' })).toHaveLength(report.guests.filter((g) => g.status === 'ok').length);
    });

    it('gives per-guest last success, size and duration from the report', () => {
        for (const g of report.guests) {
            const l = { vmid: String(g.vmid) };
            expect(find(samples, 'guest_last_success_timestamp_seconds', l)[0]?.value).toBe(g.lastSuccess);
            expect(find(samples, 'guest_last_size_bytes', l)[0]?.value).toBe(g.lastSizeBytes);
            expect(find(samples, 'guest_last_duration_seconds', l)[0]?.value).toBe(g.lastDurationSeconds);
        }
    });

    it('gives per-job next run, last run per node and run counts', () => {
        const job = report.jobs[0];
        expect(job?.nextRun).toBeDefined();
        expect(find(samples, 'job_next_run_timestamp_seconds', { job: job?.id ?? '' })[0]?.value).toBe(job?.nextRun);
        for (const n of job?.nodes ?? []) {
            expect(find(samples, 'job_last_run_timestamp_seconds', { job: job?.id ?? '', node: n.node })[0]?.value).toBe(n.lastRun?.time);
        }
        expect(find(samples, 'job_runs', { result: 'failed' })[0]?.value).toBe(job?.results.failed);
    });

    it('gives the daemon state and counts', () => {
        expect(find(samples, 'check_duration_seconds')[0]?.value).toBe(1.25);
        expect(find(samples, 'last_check_timestamp_seconds')[0]?.value).toBe(1795248000);
        expect(find(samples, 'notifier')[0]?.value).toBe(1);
        expect(find(samples, 'daemon_warnings')[0]?.value).toBe(1);
        expect(find(samples, 'guests')[0]?.value).toBe(report.counts.guests);
        expect(find(samples, 'problems', { severity: 'critical' })[0]?.value).toBe(report.problems.filter((p) => p.severity === 'critical').length);
        expect(find(samples, 'problems_by_code', { code: 'backup-failed' })[0]?.value).toBe(1);
        expect(find(samples, 'report_timestamp_seconds')[0]?.value).toBe(Date.parse(report.checkedAt) / 1000);
    });

    it('says when there is no report yet and leaves out what is unknown', () => {
        const before = parseExposition(renderMetrics(undefined, { checking: true })).samples;
        expect(find(before, 'report_available')[0]?.value).toBe(0);
        expect(find(before, 'check_running')[0]?.value).toBe(1);
        expect(find(before, 'status')).toEqual([]);
        expect(find(before, 'check_duration_seconds')).toEqual([]);
        const noSuccess = structuredClone(report);
        for (const g of noSuccess.guests) delete g.lastSuccess;
        expect(find(parseExposition(renderMetrics(noSuccess, {})).samples, 'guest_last_success_timestamp_seconds')).toEqual([]);
    });

    it('escapes guest names with quotes, backslashes and line feeds so they read back unchanged', () => {
        const odd = structuredClone(report);
        const nasty = 'db "prod"\\eu\nsecond line';
        (odd.guests[0] as { name: string }).name = nasty;
        const parsed = parseExposition(renderMetrics(odd, {})).samples;
        expect(find(parsed, 'guest_status', { name: nasty })).toHaveLength(1);
    });

    it('labels guests of a remote cluster so equal VMIDs stay distinct series', () => {
        const twice = structuredClone(report);
        const copy = { ...structuredClone(twice.guests[0]), remote: 'other' } as (typeof twice.guests)[0];
        twice.guests.push(copy);
        const rows = find(parseExposition(renderMetrics(twice, {})).samples, 'guest_status', { vmid: String(copy.vmid) });
        expect(rows.map((r) => r.labels.remote)).toEqual([undefined, 'other']);
    });

    it('gives a daemon watching remotes no series twice: jobs of a remote carry its name too', () => {
        const joint = mergeReports([{ report }, { remote: 'dc2', report }]);
        const samples = parseExposition(renderMetrics(joint, {})).samples;
        const keys = samples.map((x) => `${x.name}${JSON.stringify(Object.entries(x.labels).sort())}`);
        expect(new Set(keys).size).toBe(keys.length);
        const job = report.jobs[0]?.id as string;
        expect(find(samples, 'job_enabled', { job }).map((r) => r.labels.remote)).toEqual([undefined, 'dc2']);
    });
});

describe('Exposition', () => {
    it('escapes label values and formats non-finite values', () => {
        expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
        expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, 1795248000].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0.5', '1795248000']);
    });

    it('keeps one series per label set, leaves empty families out, and refuses bad names', () => {
        const e = new Exposition('x_');
        const f = e.gauge('a', 'help with \\ and\nnewline');
        e.gauge('empty', 'never used');
        f.add({ k: 'v' }, 1);
        f.add({ k: 'v' }, 2);
        expect(e.text()).toBe('# HELP x_a help with \\\\ and\\nnewline\n# TYPE x_a gauge\nx_a{k="v"} 1\n');
        expect(() => e.gauge('a', 'again')).toThrow(/twice/);
        expect(() => e.gauge('bad-name', '')).toThrow(/invalid metric name/);
        expect(() => f.add({ 'bad-label': 'x' }, 1)).toThrow(/invalid label name/);
        expect(new Exposition('y_').text()).toBe('');
    });
});
