// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's HTTPS API, shared by the server (src/server) and the GUI (plugin/). Types only.
 *
 * Base path `/api/v1`. Every endpoint needs `Authorization: PVEAuthCookie=<ticket>` (what the
 * GUI holds) or `Authorization: PVEAPIToken=<user@realm!id=secret>`; cookies are not accepted
 * (no CSRF by design). Reading needs `Sys.Audit` on `/`; changing anything (settings, check now,
 * test notification, archives) needs `Sys.Modify` on `/`. Errors: `{ error: string }` with
 * 400 (bad input), 401 (no/invalid credentials), 403 (missing privilege), 404, 409, 500, 503.
 *
 * | method | path                          | body / query              | response                 |
 * |--------|-------------------------------|---------------------------|--------------------------|
 * | GET    | /api/v1/report                |                           | ReportResponse           |
 * | GET    | /api/v1/guests/{vmid}         |                           | GuestDetailResponse      |
 * | GET    | /api/v1/jobs                  |                           | JobsResponse             |
 * | POST   | /api/v1/check                 |                           | CheckResponse (202)      |
 * | GET    | /api/v1/history               | ?from=&to= (epoch)        | HistoryResponse          |
 * | GET    | /api/v1/settings              |                           | SettingsResponse         |
 * | PUT    | /api/v1/settings              | SettingsUpdate            | SettingsResponse         |
 * | POST   | /api/v1/notifications/test    | { target?: string }       | NotificationTestResponse |
 * | GET    | /api/v1/notifications/log     |                           | NotificationLogResponse  |
 * | POST   | /api/v1/silences              | SilenceRequest            | SettingsResponse         |
 * | GET    | /api/v1/archives              |                           | ArchivesResponse         |
 * | POST   | /api/v1/archives              |                           | ArchiveTaskResponse (202)|
 * | GET    | /api/v1/archives/tasks/{id}   |                           | ArchiveTaskResponse      |
 * | GET    | /api/v1/archives/{name}       |                           | ArchiveManifestResponse  |
 * | GET    | /api/v1/archives/{name}/download |                        | application/octet-stream |
 * | POST   | /api/v1/archives/{name}/verify |                          | ArchiveVerifyResponse    |
 * | GET    | /api/v1/archives/diff         | ?a=&b=                    | ArchiveDiffResponse      |
 * | GET    | /api/v1/whoami                |                           | WhoAmIResponse           |
 * | GET    | /metrics                      | (token or loopback, per setting) | Prometheus text   |
 */

import type { GuestReport, HealthReport, JobReport } from '../domain/health/report.ts';
import type { HistoryPoint } from '../domain/history/points.ts';

export const API_BASE = '/api/v1';
export const DEFAULT_PORT = 8009;

export interface ErrorResponse {
    error: string;
}

export interface DaemonInfo {
    version: string;
    node: string;
    /** Is this daemon the cluster's elected notifier? */
    notifier: boolean;
    /** Epoch seconds of the last finished check cycle, and the next planned one. */
    lastCheck?: number;
    nextCheck?: number;
    /** Seconds the last cycle took. */
    lastCheckSeconds?: number;
    /** A check is running right now. */
    checking: boolean;
    /** Problems of the daemon itself (config invalid, notifier failing, …). */
    warnings: string[];
}

export interface ReportResponse {
    daemon: DaemonInfo;
    /**
     * Absent until the first cycle finished. Per-guest `runs` and `attempts` are empty here
     * (size); `GET /guests/{vmid}` has them.
     */
    report?: HealthReport;
}

export interface GuestDetailResponse {
    daemon: DaemonInfo;
    guest: GuestReport;
    /** Backups found on storages for this guest, newest first. */
    backups: { volid: string; storage: string; ctime: number; size?: number; verify?: 'ok' | 'failed' | 'none'; protected?: boolean }[];
    /** Active silences for this guest. */
    silences: Silence[];
}

export interface JobsResponse {
    daemon: DaemonInfo;
    jobs: (JobReport & { nextRuns: number[] })[];
}

export interface CheckResponse {
    /** True when a new cycle was started, false when one was already running (joined). */
    started: boolean;
}

export type { HistoryPoint };

export interface HistoryResponse {
    points: HistoryPoint[];
}

export interface Silence {
    id: string;
    /** A remote cluster's name (multi-cluster daemons); absent: this cluster. */
    remote?: string;
    vmid?: number;
    job?: string;
    codes?: string[];
    /** Epoch seconds; absent = until removed. */
    until?: number;
    reason?: string;
    createdBy: string;
    createdAt: number;
}

export interface SilenceRequest {
    remote?: string;
    vmid?: number;
    job?: string;
    codes?: string[];
    /** Seconds from now; absent = until removed. */
    durationSeconds?: number;
    reason?: string;
}

/** Settings as the GUI edits them; secrets are never sent back (`secretSet` says whether one is stored). */
export interface SettingsResponse {
    /** JSON Schema (draft 2020-12 subset) of the editable settings, for the schema-driven form. */
    schema: Record<string, unknown>;
    settings: Record<string, unknown>;
    /** Paths (`notifications.targets.0.token`) of secrets that are set. */
    secretsSet: string[];
    /** Where the settings live and whether they can be written (pmxcfs read-only without quorum). */
    writable: boolean;
    path: string;
}

export interface SettingsUpdate {
    settings: Record<string, unknown>;
    /** New secret values by path; an empty string removes the secret. */
    secrets?: Record<string, string>;
}

export interface NotificationTestResponse {
    results: { target: string; ok: boolean; error?: string }[];
}

export interface NotificationLogEntry {
    at: number;
    target: string;
    kind: 'problem' | 'recovery' | 'reminder' | 'test';
    subject: string;
    ok: boolean;
    error?: string;
    /** Problem keys this message was about. */
    problems: string[];
}

export interface NotificationLogResponse {
    entries: NotificationLogEntry[];
}

export interface ArchiveSummary {
    name: string;
    node: string;
    createdAt: number;
    size: number;
    encrypted: boolean;
    verified?: { at: number; ok: boolean; error?: string };
    /** Where the archive also is (SFTP targets it was pushed to). */
    copies: string[];
}

export interface ArchivesResponse {
    archives: ArchiveSummary[];
    schedule: string;
    nextRun?: number;
    lastRun?: { at: number; ok: boolean; error?: string; name?: string };
}

export interface ArchiveTaskResponse {
    id: string;
    state: 'running' | 'done' | 'failed';
    /** 0..1 */
    progress: number;
    message: string;
    name?: string;
    error?: string;
}

export interface ArchiveManifestResponse {
    manifest: Record<string, unknown>;
}

export interface ArchiveVerifyResponse {
    ok: boolean;
    checked: number;
    errors: string[];
}

export interface ArchiveDiffResponse {
    a: string;
    b: string;
    added: string[];
    removed: string[];
    changed: { path: string; diff?: string; summary?: string }[];
}

export interface WhoAmIResponse {
    user: string;
    canModify: boolean;
}
