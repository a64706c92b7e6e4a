// SPDX-License-Identifier: AGPL-3.0-or-later
// Real data for the fake daemon: a report from the real evaluator on a real snapshot (the demo
// cluster or a golden scenario), plus plausible history, settings, notification log and archives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
    ArchiveDiffResponse, ArchiveSummary, GuestDetailResponse, HistoryPoint, JobsResponse, NotificationLogEntry, Silence,
} from '../../src/contract/http-api.ts';
import { evaluate } from '../../src/domain/health/evaluate.ts';
import type { GuestReport, HealthReport } from '../../src/domain/health/report.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/health/settings.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import { nextEvents } from '../../src/domain/schedule/next.ts';
import { tryParseCalendarEvent } from '../../src/domain/schedule/parse.ts';
import { decodeSnapshot } from '../../src/domain/snapshot/decode.ts';
import { findRoot } from './paths.ts';

const root = findRoot();
export const DEMO_NOW = Date.parse('2026-11-21T09:00:00Z') / 1000;

/** `demo` or a scenario folder name under test/scenarios (its scenario.json gives the time). */
export function loadSnapshot(source: string): { snapshot: ClusterSnapshot; now: number } {
    const dir = source === 'demo' ? undefined : join(root, 'test/scenarios', source);
    const file = dir ? join(dir, 'snapshot.json') : join(root, 'demo/demo-cluster.json');
    const decoded = decodeSnapshot(JSON.parse(readFileSync(file, 'utf8')));
    if (!decoded.ok) throw new Error(`${file}: ${decoded.errors.join('; ')}`);
    const now = dir ? Date.parse((JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as { now: string }).now) / 1000 : DEMO_NOW;
    return { snapshot: decoded.snapshot, now };
}

export function buildReport(snapshot: ClusterSnapshot, now: number): HealthReport {
    return evaluate(snapshot, now, DEFAULT_SETTINGS);
}

/** Multiplies the report's guests up to `count` (for the 10 000-guest render bench). */
export function scaleReport(report: HealthReport, count: number): HealthReport {
    const base = report.guests;
    if (base.length === 0 || count <= base.length) return report;
    const guests: GuestReport[] = [];
    for (let i = 0; i < count; i++) {
        const g = base[i % base.length] as GuestReport;
        guests.push({ ...g, vmid: 1000 + i, name: `${g.name}-${i}` });
    }
    return { ...report, guests, counts: { ...report.counts, guests: count } };
}

export function jobsWithNext(report: HealthReport, now: number): JobsResponse['jobs'] {
    return report.jobs.map((j) => {
        const parsed = tryParseCalendarEvent(j.schedule);
        const node = j.nodes[0]?.node ?? report.nodes[0]?.name;
        const tz = report.nodes.find((n) => n.name === node && n.remote === j.remote)?.timeZone ?? 'UTC';
        return { ...j, nextRuns: parsed.ok && j.enabled ? nextEvents(parsed.event, now, 5, tz) : [] };
    });
}

export function guestDetail(report: HealthReport, snapshot: ClusterSnapshot, vmid: number, silences: Silence[], remote?: string): Omit<GuestDetailResponse, 'daemon'> | undefined {
    const guest = report.guests.find((g) => g.vmid === vmid && g.remote === remote);
    if (!guest) return undefined;
    const backups = [...snapshot.backups]
        .filter((b) => b.vmid === vmid)
        .map((b) => ({ volid: b.volid, storage: b.storage, ctime: b.ctime, verify: b.verification?.state ?? ('none' as const), ...(b.size !== undefined ? { size: b.size } : {}) }))
        .sort((a, b) => b.ctime - a.ctime);
    return { guest, backups, silences: silences.filter((s) => s.vmid === vmid && s.remote === remote) };
}

/** 30 days of history, 4 points a day, with storage usage growing linearly (for the full-date projection). */
export function history(report: HealthReport, now: number): HistoryPoint[] {
    const out = [];
    const c = report.counts;
    for (let i = 30 * 4; i >= 0; i--) {
        const at = now - i * 6 * 3600;
        const days = (now - at) / 86400;
        out.push({
            at, status: report.status, ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered, problems: c.problems,
            storages: report.storages
                .filter((s) => s.used !== undefined && s.total !== undefined)
                .map((s) => ({ storage: s.storage, node: s.node, ...(s.remote !== undefined ? { remote: s.remote } : {}), total: s.total as number, used: Math.round((s.used as number) - days * (s.total as number) * 0.004) })),
        });
    }
    return out;
}

export const SETTINGS_SCHEMA = {
    type: 'object',
    required: ['intervalSeconds'],
    properties: {
        intervalSeconds: { type: 'integer', title: 'Check interval (seconds)', minimum: 60, maximum: 86400, default: 900, description: 'How often the cluster is checked.' },
        historyDays: { type: 'integer', title: 'History (days)', minimum: 1, maximum: 365, default: 35 },
        language: { type: 'string', title: 'Language of notifications', enum: ['en', 'de', 'it'] },
        evaluation: {
            type: 'object',
            title: 'Evaluation',
            properties: {
                graceSeconds: { type: 'integer', title: 'Grace period (seconds)', minimum: 1800, default: 1800 },
                ignoreTag: { type: 'string', title: 'Ignore tag', pattern: '^[a-z0-9_-]+$', default: 'nobackup' },
            },
        },
        notifications: {
            type: 'object',
            title: 'Notifications',
            properties: {
                targets: {
                    type: 'array',
                    title: 'Targets',
                    items: {
                        type: 'object',
                        title: 'Target',
                        required: ['name', 'type'],
                        properties: {
                            name: { type: 'string', title: 'Name' },
                            type: { type: 'string', title: 'Type', enum: ['ntfy', 'webhook', 'gotify', 'email'] },
                            url: { type: 'string', title: 'URL' },
                            token: { type: 'string', title: 'Token', writeOnly: true },
                            enabled: { type: 'boolean', title: 'Enabled', default: true },
                        },
                    },
                },
            },
        },
    },
};

export function initialSettings(): Record<string, unknown> {
    return {
        intervalSeconds: 900,
        historyDays: 35,
        language: 'en',
        evaluation: { graceSeconds: 1800, ignoreTag: 'nobackup' },
        notifications: {
            targets: [
                { name: 'ntfy-phone', type: 'ntfy', url: 'https://ntfy.example.com/backups', enabled: true },
                { name: 'webhook-ops', type: 'webhook', url: 'https://ops.example.com/hook', enabled: true },
            ],
        },
    };
}

/** Why a settings document is refused (the daemon answers 400 with this), or null. */
export function validateSettings(s: Record<string, unknown>): string | null {
    const interval = s.intervalSeconds;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 60) return 'intervalSeconds: must be an integer of at least 60';
    const targets = (s.notifications as { targets?: unknown } | undefined)?.targets;
    if (Array.isArray(targets)) {
        for (const [i, t] of targets.entries()) {
            if (typeof (t as { name?: unknown }).name !== 'string' || !(t as { name: string }).name) return `notifications.targets.${i}.name: a target needs a name`;
        }
    }
    return null;
}

export function initialLog(now: number): NotificationLogEntry[] {
    return [
        { at: now - 3 * 3600, target: 'ntfy-phone', kind: 'problem', subject: '[pve-backup-health] demo: 3 new problems (critical)', ok: true, problems: ['backup-failed:201', 'backup-missed:300', 'backup-missed:301'] },
        { at: now - 3 * 3600, target: 'webhook-ops', kind: 'problem', subject: '[pve-backup-health] demo: 3 new problems (critical)', ok: false, error: 'webhook-ops: HTTP 500 from the receiver', problems: ['backup-failed:201'] },
        { at: now - 26 * 3600, target: 'ntfy-phone', kind: 'recovery', subject: '[pve-backup-health] demo: backup of web01 (100) recovered', ok: true, problems: [] },
    ];
}

export function initialArchives(now: number): ArchiveSummary[] {
    return [0, 1, 2].map((i) => ({
        name: `pve1-config-${new Date((now - i * 86400) * 1000).toISOString().slice(0, 10)}.tar.gz.age`,
        node: 'pve1',
        createdAt: now - i * 86400 - 7200,
        size: 182_000 + i * 1500,
        encrypted: true,
        ...(i === 0 ? { verified: { at: now - 3600, ok: true } } : {}),
        copies: i < 2 ? ['sftp-offsite'] : [],
    }));
}

export function archiveDiff(a: string, b: string): ArchiveDiffResponse {
    return {
        a, b,
        added: ['etc/pve/nodes/pve3/qemu-server/305.conf'],
        removed: ['etc/pve/nodes/pve2/lxc/299.conf'],
        changed: [
            { path: 'etc/pve/jobs.cfg', summary: 'schedule of backup-7c1e2b3f-9a1d changed', diff: '--- a/etc/pve/jobs.cfg\n+++ b/etc/pve/jobs.cfg\n@@ -1,5 +1,5 @@\n vzdump: backup-7c1e2b3f-9a1d\n-\tschedule 01:00\n+\tschedule 02:00\n \tall 1\n \tmode snapshot\n \tstorage pbs-store\n' },
            { path: 'etc/pve/storage.cfg', summary: 'binary or too large to show' },
        ],
    };
}
