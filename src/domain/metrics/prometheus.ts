// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the daemon exposes on `/metrics`: the health report and the daemon's own state as
 * Prometheus gauges. Statuses are numbers (0 ok, 1 warning, 2 critical, 3 unknown, the Nagios
 * order) and also a `status` label, so both `max(…) >= 2` and `{status="critical"}` work.
 * Series that have no value yet (no success ever, no next run) are left out rather than faked.
 */

import type { HealthReport } from '../health/report.ts';
import { PROBLEM_CODES, type Severity, type Status } from '../model.ts';
import { parseRfc3339 } from '../time/rfc3339.ts';
import { Exposition, type Labels } from './exposition.ts';

export const METRIC_PREFIX = 'pve_backup_health_';

/** The daemon's side of the metrics; the contract's `DaemonInfo` fits as it is. */
export interface MetricsDaemonState {
    version?: string;
    node?: string;
    notifier?: boolean;
    /** Epoch seconds of the last finished check cycle. */
    lastCheck?: number;
    lastCheckSeconds?: number;
    checking?: boolean;
    warnings?: readonly string[];
}

export const STATUS_VALUE: Readonly<Record<Status, number>> = { ok: 0, warning: 1, critical: 2, unknown: 3 };
const STATUSES = Object.keys(STATUS_VALUE) as Status[];
const SEVERITIES: readonly Severity[] = ['critical', 'unknown', 'warning', 'info'];

const bool = (b: boolean | undefined) => (b ? 1 : 0);

/** Renders the Prometheus text exposition of a report (undefined before the first cycle). */
export function renderMetrics(report: HealthReport | undefined, daemon: MetricsDaemonState): string {
    const out = new Exposition(METRIC_PREFIX);
    daemonMetrics(out, report, daemon);
    if (report) {
        summaryMetrics(out, report);
        guestMetrics(out, report);
        jobMetrics(out, report);
    }
    return out.text();
}

function daemonMetrics(out: Exposition, report: HealthReport | undefined, d: MetricsDaemonState): void {
    const info: Record<string, string> = {};
    if (d.version !== undefined) info.version = d.version;
    if (d.node !== undefined) info.node = d.node;
    out.gauge('info', 'Daemon version and node (always 1).').add(info, 1);
    out.gauge('report_available', 'Whether a check cycle has finished and a report exists (1) or not yet (0).').add({}, bool(report !== undefined));
    if (d.lastCheck !== undefined) out.gauge('last_check_timestamp_seconds', 'When the last check cycle finished (epoch seconds).').add({}, d.lastCheck);
    if (d.lastCheckSeconds !== undefined) out.gauge('check_duration_seconds', 'How long the last check cycle took.').add({}, d.lastCheckSeconds);
    out.gauge('check_running', 'Whether a check cycle is running right now.').add({}, bool(d.checking));
    out.gauge('notifier', 'Whether this daemon is the elected notifier of the cluster.').add({}, bool(d.notifier));
    out.gauge('daemon_warnings', 'Problems of the daemon itself (invalid configuration, failing notification channel, ...).').add({}, d.warnings?.length ?? 0);
}

function summaryMetrics(out: Exposition, r: HealthReport): void {
    out.gauge('status', 'Overall status: 0 ok, 1 warning, 2 critical, 3 unknown.').add({ status: r.status }, STATUS_VALUE[r.status]);
    const checked = parseRfc3339(r.checkedAt);
    if (checked !== null) out.gauge('report_timestamp_seconds', 'The time the report judges (epoch seconds).').add({}, checked);
    out.gauge('guests', 'Guests in the report.').add({}, r.counts.guests);
    const byStatus = out.gauge('guests_by_status', 'Guests per status.');
    const counts: Record<Status, number> = { ok: r.counts.ok, warning: r.counts.warning, critical: r.counts.critical, unknown: r.counts.unknown };
    for (const s of STATUSES) byStatus.add({ status: s }, counts[s]);
    out.gauge('guests_not_covered', 'Guests in no enabled job that runs on their node.').add({}, r.counts.notCovered);
    out.gauge('guests_excluded', 'Guests excluded from the check (templates, ignore tag).').add({}, r.counts.excluded);
    const bySeverity = out.gauge('problems', 'Problems per severity.');
    for (const s of SEVERITIES) bySeverity.add({ severity: s }, r.problems.filter((p) => p.severity === s).length);
    const byCode = out.gauge('problems_by_code', 'Problems per problem code.');
    for (const c of PROBLEM_CODES) byCode.add({ code: c }, r.problems.filter((p) => p.code === c).length);
    out.gauge('source_errors', 'Sources (nodes, API calls, task logs) that could not be read.').add({}, r.sourceErrors.length);
}

function guestMetrics(out: Exposition, r: HealthReport): void {
    const status = out.gauge('guest_status', 'Guest status: 0 ok, 1 warning, 2 critical, 3 unknown.');
    const success = out.gauge('guest_last_success_timestamp_seconds', 'Start of the newest good backup of the guest (epoch seconds).');
    const size = out.gauge('guest_last_size_bytes', 'Size of the newest backup archive of the guest.');
    const duration = out.gauge('guest_last_duration_seconds', 'How long the newest backup of the guest took.');
    const problems = out.gauge('guest_problems', 'Problems about the guest.');
    for (const g of r.guests) {
        const labels: Record<string, string | number> = { vmid: g.vmid, name: g.name, type: g.type, node: g.node };
        if (g.remote !== undefined) labels.remote = g.remote;
        status.add({ ...labels, status: g.status }, STATUS_VALUE[g.status]);
        if (g.lastSuccess !== undefined) success.add(labels, g.lastSuccess);
        if (g.lastSizeBytes !== undefined) size.add(labels, g.lastSizeBytes);
        if (g.lastDurationSeconds !== undefined) duration.add(labels, g.lastDurationSeconds);
        problems.add(labels, g.problems.length);
    }
}

function jobMetrics(out: Exposition, r: HealthReport): void {
    const status = out.gauge('job_status', 'Job status: 0 ok, 1 warning, 2 critical, 3 unknown.');
    const enabled = out.gauge('job_enabled', 'Whether the job is enabled.');
    const next = out.gauge('job_next_run_timestamp_seconds', 'Next scheduled run of the job (epoch seconds).');
    const last = out.gauge('job_last_run_timestamp_seconds', 'Latest due scheduled run of the job on a node (epoch seconds), whatever its outcome.');
    const missed = out.gauge('job_last_run_missed', 'Whether the latest due scheduled run of the job on a node did not start (1) or started (0).');
    const results = out.gauge('job_runs', 'Outcomes of the job over the history window.');
    for (const j of r.jobs) {
        // Job ids repeat across clusters (a copied jobs.cfg): a remote's jobs carry its name.
        const labels: Labels = j.remote !== undefined ? { job: j.id, remote: j.remote } : { job: j.id };
        status.add({ ...labels, status: j.status }, STATUS_VALUE[j.status]);
        enabled.add(labels, bool(j.enabled));
        if (j.nextRun !== undefined) next.add(labels, j.nextRun);
        for (const n of j.nodes) {
            if (!n.lastRun) continue;
            last.add({ ...labels, node: n.node }, n.lastRun.time);
            missed.add({ ...labels, node: n.node }, bool(n.lastRun.state === 'missed'));
        }
        for (const [result, count] of Object.entries(j.results)) results.add({ ...labels, result }, count);
    }
}
