// SPDX-License-Identifier: AGPL-3.0-or-later
// A DaemonApi with canned answers built from a real evaluated report, recording what it was asked.
import { Readable } from 'node:stream';
import { type ArchiveApi, type DaemonApi, ServiceError } from '../../src/app/daemon-api.ts';
import type {
    ArchiveTaskResponse, DaemonInfo, GuestDetailResponse, HistoryResponse, JobsResponse, NotificationLogResponse, ReportResponse,
    SettingsResponse, SettingsUpdate, SilenceRequest,
} from '../../src/contract/http-api.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { renderMetrics } from '../../src/domain/metrics/prometheus.ts';

export const ARCHIVE = 'pve1-2026-11-21T0200Z.tar.gz';
export const ARCHIVE_BYTES = Buffer.from('\x1f\x8b fake archive bytes for the download test');

export interface Calls {
    updateSettings: { update: SettingsUpdate; user: string }[];
    addSilence: { request: SilenceRequest; user: string }[];
    testNotification: (string | undefined)[];
    history: [number | undefined, number | undefined][];
    checks: number;
    archivesCreated: string[];
    downloads: string[];
    verified: string[];
    diffs: [string, string][];
}

export function fakeDaemon(report: HealthReport): { api: DaemonApi; calls: Calls; daemon: DaemonInfo } {
    const calls: Calls = { updateSettings: [], addSilence: [], testNotification: [], history: [], checks: 0, archivesCreated: [], downloads: [], verified: [], diffs: [] };
    const daemon: DaemonInfo = { version: '0.1.0', node: 'pve1', notifier: true, lastCheck: 1795248000, lastCheckSeconds: 2.5, checking: false, warnings: [] };
    const settings: SettingsResponse = {
        schema: { type: 'object', properties: { checkIntervalSeconds: { type: 'integer' } } },
        settings: { checkIntervalSeconds: 60 },
        secretsSet: ['notifications.targets.0.token'],
        writable: true,
        path: '/etc/pve/backup-health.json',
    };
    const task: ArchiveTaskResponse = { id: 'task-1', state: 'running', progress: 0.5, message: 'reading /etc/pve' };
    const exists = (name: string) => {
        if (name !== ARCHIVE) throw new ServiceError(404, `no archive named ${name}`);
    };
    const archives: ArchiveApi = {
        list: async () => ({ archives: [{ name: ARCHIVE, node: 'pve1', createdAt: 1795226400, size: ARCHIVE_BYTES.length, encrypted: false, copies: [] }], schedule: 'daily 03:00' }),
        create: (user) => {
            calls.archivesCreated.push(user);
            return task;
        },
        task: (id) => {
            if (id !== task.id) throw new ServiceError(404, `no archive task ${id}`);
            return task;
        },
        manifest: async (name) => {
            exists(name);
            return { manifest: { node: 'pve1', files: 12 } };
        },
        download: async (name) => {
            exists(name);
            calls.downloads.push(name);
            return { size: ARCHIVE_BYTES.length, stream: Readable.from([ARCHIVE_BYTES]) };
        },
        verify: async (name) => {
            exists(name);
            calls.verified.push(name);
            return { ok: true, checked: 12, errors: [] };
        },
        diff: async (a, b) => {
            calls.diffs.push([a, b]);
            return { a, b, added: ['nodes/pve1/qemu-server/105.conf'], removed: [], changed: [{ path: 'storage.cfg', summary: '1 line changed' }] };
        },
    };
    const api: DaemonApi = {
        report: (): ReportResponse => ({ daemon, report }),
        guest: (vmid): GuestDetailResponse => {
            const guest = report.guests.find((g) => g.vmid === vmid);
            if (!guest) throw new ServiceError(404, `no guest ${vmid}`);
            return { daemon, guest, backups: [], silences: [] };
        },
        jobs: (): JobsResponse => ({ daemon, jobs: report.jobs.map((j) => ({ ...j, nextRuns: j.nextRun === undefined ? [] : [j.nextRun] })) }),
        requestCheck: () => {
            calls.checks++;
            return { started: calls.checks === 1 };
        },
        history: async (from, to): Promise<HistoryResponse> => {
            calls.history.push([from, to]);
            const c = report.counts;
            return { points: [{ at: 1795248000, status: report.status, ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered, problems: c.problems }] };
        },
        settings: async () => settings,
        updateSettings: async (update, user) => {
            calls.updateSettings.push({ update, user });
            if (update.settings.conflict) throw new ServiceError(409, 'the settings changed meanwhile');
            if (update.settings.crash) throw new Error('disk on fire at /secret/path');
            return { ...settings, settings: update.settings };
        },
        addSilence: async (request, user) => {
            calls.addSilence.push({ request, user });
            return settings;
        },
        testNotification: async (target) => {
            calls.testNotification.push(target);
            return { results: [{ target: target ?? 'mail', ok: true }] };
        },
        notificationLog: async (): Promise<NotificationLogResponse> => ({
            entries: [{ at: 1795248000, target: 'mail', kind: 'problem', subject: '1 backup failed on cluster demo', ok: true, problems: ['backup-failed:201'] }],
        }),
        metrics: () => renderMetrics(report, daemon),
        archives,
    };
    return { api, calls, daemon };
}
