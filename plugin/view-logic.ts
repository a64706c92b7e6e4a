// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Pure helpers of the panel: status → icon, numbers → text, grid rows, trends, projections.
 * No Ext, no DOM, no clock: unit-tested without a browser (test/gui/view-logic.test.ts).
 * Texts returned here are English catalogue keys; the views translate them.
 */

import type { GuestReport, JobReport } from '../src/domain/health/report.ts';
import type { Problem, Severity, Status } from '../src/domain/model.ts';

/** PVE's status classes (`good`, `warning`, `critical`, `faded`) with Font Awesome 4.7 icons. */
export function statusIconCls(status: Status | Severity | 'none'): string {
    switch (status) {
        case 'ok':
            return 'fa fa-check-circle good';
        case 'warning':
            return 'fa fa-exclamation-circle warning';
        case 'critical':
            return 'fa fa-times-circle critical';
        case 'info':
            return 'fa fa-info-circle faded';
        default:
            return 'fa fa-question-circle faded';
    }
}

export const STATUS_TEXT: Record<Status, string> = { ok: 'OK', warning: 'Warning', critical: 'Critical', unknown: 'Unknown' };

const STATUS_RANK: Record<Status, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };
export function statusRank(status: Status): number {
    return STATUS_RANK[status] ?? 2;
}

/** Short English labels of the problem codes for the grid (the message says the rest). */
export const PROBLEM_LABELS: Record<string, string> = {
    'backup-failed': 'failed',
    'backup-missed': 'missed',
    'backup-stale': 'stale',
    'backup-running-long': 'running long',
    'backup-warnings': 'warnings',
    'not-covered': 'not covered',
    'job-disabled': 'job disabled',
    'guest-missing': 'guest missing',
    'size-anomaly': 'size anomaly',
    'duration-anomaly': 'duration anomaly',
    'verify-failed': 'verify failed',
    'verify-stale': 'verify stale',
    'retention-violation': 'retention',
    'storage-low': 'storage low',
    'source-unreachable': 'unreachable',
    'schedule-invalid': 'invalid schedule',
    'config-archive-failed': 'archive failed',
    'config-archive-stale': 'archive stale',
};

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export function formatBytes(bytes: number | undefined): string {
    if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < UNITS.length - 1) {
        v /= 1024;
        i++;
    }
    return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${UNITS[i]}`;
}

export function formatDuration(seconds: number | undefined): string {
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
    if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
    return `${sec}s`;
}

/** An age as a number and an English unit key (`{0} min`, `{0} h`, `{0} d`). */
export function ageParts(seconds: number): { value: number; unit: '{0} s' | '{0} min' | '{0} h' | '{0} d' } {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return { value: s, unit: '{0} s' };
    if (s < 3600) return { value: Math.floor(s / 60), unit: '{0} min' };
    if (s < 2 * 86400) return { value: Math.floor(s / 3600), unit: '{0} h' };
    return { value: Math.floor(s / 86400), unit: '{0} d' };
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

/**
 * Trend of the newest backup size against the median of the earlier ones (±10 % is flat), from
 * the report's `sizeTrend`: the sizes of the last good backups, oldest first.
 */
export function sizeTrend(sizes: readonly number[] | undefined): { trend: Trend; ratio?: number } {
    // Defensive: the report comes over the network.
    const good = (Array.isArray(sizes) ? sizes : []).filter((s): s is number => typeof s === 'number' && Number.isFinite(s) && s > 0);
    const newest = good[good.length - 1];
    const earlier = good.slice(0, -1);
    if (newest === undefined || earlier.length === 0) return { trend: 'none' };
    const sorted = [...earlier].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    const ratio = newest / median;
    return { trend: ratio > 1.1 ? 'up' : ratio < 0.9 ? 'down' : 'flat', ratio };
}

export const TREND_ICON: Record<Trend, string> = { up: 'fa fa-arrow-up', down: 'fa fa-arrow-down', flat: 'fa fa-arrow-right', none: '' };

/** One row of the guests grid: flat values for sorting, grouping and searching. */
export interface GuestRow {
    [key: string]: unknown;
    /** The remote cluster (daemons watching `remotes`); '' for the daemon's own. */
    remote: string;
    vmid: number;
    name: string;
    type: string;
    node: string;
    status: Status;
    statusRank: number;
    coverage: GuestReport['coverage'];
    jobs: string;
    schedule: string;
    lastSuccess: number | null;
    lastResult: string;
    lastResultUpid: string;
    sizeBytes: number | null;
    trend: Trend;
    durationSeconds: number | null;
    storage: string;
    verify: string;
    problems: string;
    problemCount: number;
    messages: string;
    haystack: string;
}

/** A guest's identity across clusters: VMIDs repeat in remote clusters. */
export function guestKey(vmid: number, remote: string | undefined): string {
    return remote ? `${remote}/${vmid}` : String(vmid);
}

export function guestRows(guests: readonly GuestReport[], problems: readonly Problem[]): GuestRow[] {
    const messages = new Map<string, string[]>();
    for (const p of problems) {
        if (p.vmid === undefined) continue;
        const key = guestKey(p.vmid, p.remote);
        const list = messages.get(key) ?? [];
        list.push(p.message);
        messages.set(key, list);
    }
    return guests.map((g) => {
        // Defensive: a slimmed report may leave the arrays out.
        const codes = [...new Set(g.problems ?? [])];
        const msgs = messages.get(guestKey(g.vmid, g.remote)) ?? [];
        const jobs = (g.jobs ?? []).join(', ');
        return {
            remote: g.remote ?? '',
            vmid: g.vmid,
            name: g.name,
            type: g.type,
            node: g.node,
            status: g.status,
            statusRank: statusRank(g.status),
            coverage: g.coverage,
            jobs,
            schedule: g.schedule,
            lastSuccess: g.lastSuccess ?? null,
            lastResult: g.lastResult?.status ?? '',
            lastResultUpid: g.lastResult?.upid ?? '',
            sizeBytes: g.lastSizeBytes ?? null,
            trend: sizeTrend(g.sizeTrend).trend,
            durationSeconds: g.lastDurationSeconds ?? null,
            storage: g.storage ?? '',
            verify: g.verify ?? '',
            problems: codes.join(', '),
            problemCount: codes.length,
            messages: msgs.join('\n'),
            haystack: [g.remote ?? '', g.vmid, g.name, g.node, jobs, g.storage ?? '', codes.join(' '), msgs.join(' ')].join(' ').toLowerCase(),
        };
    });
}

/** Whether a row passes the grid's "problems only" switch and the search words (all must match). */
export function rowMatches(row: Pick<GuestRow, 'haystack' | 'problemCount' | 'status'>, query: string, problemsOnly: boolean): boolean {
    if (problemsOnly && row.problemCount === 0 && row.status === 'ok') return false;
    const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
    return words.every((w) => row.haystack.includes(w));
}

/** Problems worth the summary widget: the first `count` in report order, one per guest. */
export function topProblems(problems: readonly Problem[], count: number): Problem[] {
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const p of problems) {
        if (p.severity === 'info') continue;
        const key = p.vmid !== undefined ? `vm:${guestKey(p.vmid, p.remote)}` : `${p.remote ?? ''}:${p.code}:${p.job ?? ''}:${p.storage ?? ''}:${p.node ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(p);
        if (out.length >= count) break;
    }
    return out;
}

/** The message without a leading "label: " (the widget shows the label in bold already). */
export function withoutLabel(message: string, label: string): string {
    return label && message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
}

/** "name (vmid)" when the guest has a name, like the report's own labels; "remote / …" for a remote's. */
export function guestLabel(name: string | undefined, vmid: number | undefined, remote?: string): string {
    const own = vmid === undefined ? (name ?? '') : name ? `${name} (${vmid})` : String(vmid);
    return remote ? `${remote} / ${own}` : own;
}

/** Warnings about a job's reach, as English templates with their arguments. */
export function jobWarnings(job: JobReport, guests: readonly Pick<GuestReport, 'vmid' | 'node'>[]): { text: string; args: (string | number)[] }[] {
    const out: { text: string; args: (string | number)[] }[] = [];
    if (!job.enabled) out.push({ text: 'Job is disabled: it backs up none of its {0} guests', args: [job.guests.length] });
    if (job.node !== undefined) {
        const byId = new Map(guests.map((g) => [g.vmid, g.node]));
        const elsewhere = job.guests.filter((v) => byId.has(v) && byId.get(v) !== job.node);
        if (elsewhere.length > 0) out.push({ text: 'Job runs only on node {0}: {1} of its guests live on other nodes and are not backed up by it', args: [job.node, elsewhere.length] });
    }
    if (job.scheduleError !== undefined) out.push({ text: 'Schedule cannot be read: {0}', args: [job.scheduleError] });
    return out;
}
