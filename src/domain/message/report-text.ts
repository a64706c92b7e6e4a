// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The readable report of `pve-backup-health check`: problems first, guest names before VMIDs,
 * times in each node's own zone (as the admin reads schedules). `debug` adds, per guest, the
 * expected runs, the matched tasks and the decisive log lines.
 */

import { formatAge, formatBytes, formatLocal } from '../health/format.ts';
import type { GuestReport, HealthReport } from '../health/report.ts';
import type { Problem, Severity } from '../model.ts';

export interface TextOptions {
    debug?: boolean;
    onlyProblems?: boolean;
    now: number;
}

const MARK: Record<Severity, string> = { critical: 'CRIT', unknown: 'UNKN', warning: 'WARN', info: 'INFO' };

function table(rows: string[][]): string[] {
    const widths: number[] = [];
    for (const r of rows) {
        r.forEach((c, i) => {
            widths[i] = Math.max(widths[i] ?? 0, c.length);
        });
    }
    return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function renderReportText(report: HealthReport, opts: TextOptions): string {
    // Node names repeat across the clusters of a multi-cluster report: look them up per remote.
    const tzOf = (node: string, remote?: string) => report.nodes.find((n) => n.name === node && n.remote === remote)?.timeZone ?? 'UTC';
    const c = report.counts;
    const out: string[] = [];
    const where = report.cluster ? ` — cluster ${report.cluster}` : '';
    out.push(`Backup health: ${report.status.toUpperCase()}${where} (checked ${report.checkedAt})`);
    out.push(`Guests: ${c.guests} — ok ${c.ok}, warning ${c.warning}, critical ${c.critical}, unknown ${c.unknown}, not covered ${c.notCovered}, excluded ${c.excluded}`);
    out.push('');
    const shown = report.problems.filter((p) => p.severity !== 'info' || opts.debug);
    if (shown.length === 0) out.push('No problems.');
    else {
        out.push(`Problems (${shown.length}):`);
        for (const p of shown) out.push(...problemLines(p, opts.debug === true));
    }
    const notes = report.problems.filter((p) => p.severity === 'info');
    if (notes.length > 0 && !opts.debug) out.push('', `Notes: ${notes.map((p) => p.message).join('; ')}`);
    if (!opts.onlyProblems) {
        out.push('', 'Guests:');
        const rows = [['STATUS', 'GUEST', 'NODE', 'SCHEDULE', 'LAST GOOD BACKUP', 'SIZE', 'PROBLEMS']];
        for (const g of report.guests) rows.push(guestRow(g, opts.now));
        out.push(...table(rows).map((l) => `  ${l}`));
        out.push('', 'Jobs:');
        const jrows = [['JOB', 'SCHEDULE', 'ENABLED', 'NEXT RUN', 'RESULTS (ok/warn/failed/missed)']];
        for (const j of report.jobs) {
            const firstNode = j.nodes.find((n) => n.nextRun !== undefined);
            const next = j.nextRun !== undefined && firstNode ? formatLocal(j.nextRun, tzOf(firstNode.node, j.remote)) : '-';
            const r = j.results;
            jrows.push([j.remote ? `${j.remote}/${j.id}` : j.id, j.scheduleError ? `${j.schedule} (INVALID)` : j.scheduleText, j.enabled ? 'yes' : 'NO', next, `${r.ok}/${r.warnings}/${r.failed}/${r.missed}`]);
        }
        out.push(...table(jrows).map((l) => `  ${l}`));
    }
    if (opts.debug) {
        out.push('', 'Explain (per guest: expected runs → task → result):');
        for (const g of report.guests) out.push(...explainGuest(g, tzOf));
    }
    if (report.sourceErrors.length > 0) {
        out.push('', 'Could not read:');
        for (const e of report.sourceErrors) out.push(`  ${e.remote ? `[${e.remote}] ` : ''}${e.what}${e.node ? ` (${e.node})` : ''}: ${e.message}`);
    }
    return `${out.join('\n')}\n`;
}

function problemLines(p: Problem, debug: boolean): string[] {
    // In a multi-cluster report the remote comes first: VMIDs and node names repeat across clusters.
    const lines = [`  [${MARK[p.severity]}] ${p.remote ? `[${p.remote}] ` : ''}${p.code}: ${p.message}`];
    // The line that proves the verdict (ERROR / WARN / TASK) first, context after it.
    const weight = (t: string) => (/^(ERROR|WARN|TASK ERROR)/.test(t) ? 0 : 1);
    const log = [...(p.evidence.logLines ?? [])].sort((a, b) => weight(a.text) - weight(b.text) || a.n - b.n);
    for (const l of log.slice(0, debug ? 20 : 2)) lines.push(`         log ${l.n}: ${l.text}`);
    if (debug && p.evidence.tasks && p.evidence.tasks.length > 0) lines.push(`         tasks: ${p.evidence.tasks.join(', ')}`);
    return lines;
}

function guestRow(g: GuestReport, now: number): string[] {
    const status = g.coverage === 'excluded' ? `skip` : g.status.toUpperCase();
    const last = g.lastSuccess !== undefined ? `${formatAge(now - g.lastSuccess)} ago` : 'never';
    const sched = g.coverage === 'excluded' ? `(${g.excludedReason})` : g.coverage === 'not-covered' ? '(no job)' : g.schedule;
    return [status, `${g.name} (${g.vmid})`, g.remote ? `${g.remote}/${g.node}` : g.node, sched, last, g.lastSizeBytes !== undefined ? formatBytes(g.lastSizeBytes) : '-', g.problems.join(',') || '-'];
}

function explainGuest(g: GuestReport, tzOf: (node: string, remote?: string) => string): string[] {
    const out = [`  ${g.name} (${g.vmid}) on ${g.node}: ${g.status}${g.jobs.length > 0 ? `, jobs ${g.jobs.join(', ')}` : ''}`];
    for (const r of g.runs.slice(0, 10)) {
        const res = r.guestStatus ? ` → ${r.guestStatus}` : '';
        out.push(`    ${formatLocal(r.time, tzOf(r.node, g.remote))} ${r.node} ${r.job}: ${r.state}${res}${r.upid ? ` ${r.upid}` : ''}${r.why ? ` (${r.why})` : ''}`);
    }
    for (const a of g.attempts.slice(0, 5)) {
        if (a.scheduled) continue;
        out.push(`    manual ${formatLocal(a.start, tzOf(a.node, g.remote))} ${a.node}: ${a.status} ${a.upid}`);
    }
    return out;
}
