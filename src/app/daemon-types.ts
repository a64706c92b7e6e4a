// SPDX-License-Identifier: AGPL-3.0-or-later
/** What the daemon needs from the outside, as one deps object (no singletons, no globals). */

import type { DaemonInfo, SettingsResponse, SettingsUpdate, SilenceRequest } from '../contract/http-api.ts';
import type { AlertPolicySettings } from '../domain/alerts/policy.ts';
import type { MaintenanceWindow } from '../domain/alerts/maintenance.ts';
import type { AlertBatch, RenderedMessage } from '../domain/alerts/types.ts';
import type { HealthReport } from '../domain/health/report.ts';
import type { EvaluationSettings } from '../domain/health/settings.ts';
import type { Problem } from '../domain/model.ts';
import type { RemoteSource } from './cluster-cycles.ts';
import type { ArchiveApi } from './daemon-api.ts';
import type { Clock, Coordinator, Logger, Notifier, SnapshotSource, StateStore, Timers } from '../ports.ts';

/** The effective settings for one cycle (re-read every cycle, so edits apply without restart). */
export interface CycleSettings {
    intervalSeconds: number;
    historyDays: number;
    evaluation: EvaluationSettings;
    alerts: AlertPolicySettings;
    maintenance: MaintenanceWindow[];
    language: 'en' | 'de' | 'it';
    notifiers: Notifier[];
    /** Retries per message and channel, and the first backoff (doubles each time). */
    notifyAttempts: number;
    notifyBackoffMs: number;
    /** Problems of the configuration itself (invalid file kept at the last good version, …). */
    configWarnings: string[];
}

/** Reading and changing the settings document (config file + secrets) for the HTTP API. */
export interface SettingsPort {
    /** Re-reads the settings before a cycle (edits made on any node apply without a restart). */
    refresh?(): Promise<void>;
    current(): CycleSettings;
    describe(): Promise<SettingsResponse>;
    update(update: SettingsUpdate, user: string): Promise<SettingsResponse>;
    addSilence(request: SilenceRequest, user: string, now: number): Promise<SettingsResponse>;
    silences(): { id: string; remote?: string; vmid?: number; job?: string; codes?: string[]; until?: number; reason?: string; createdBy: string; createdAt: number }[];
}

/** Configuration archives as the daemon drives them: scheduled runs and their problems. */
export interface DaemonArchives extends ArchiveApi {
    due(): Promise<boolean>;
    problems(): Promise<Problem[]>;
}

export interface DaemonDeps {
    node: string;
    version: string;
    /** The node's own IANA time zone (maintenance windows, message times). */
    timeZone: string;
    clock: Clock;
    timers: Timers;
    logger: Logger;
    source: SnapshotSource;
    /** The configured remote clusters, asked every cycle (settings apply without a restart). */
    remotes?: () => readonly RemoteSource[];
    /** Local disk: report, history, notification log, tracking (/var/lib/pve-backup-health). */
    store: StateStore;
    coordinator: Coordinator;
    settings: SettingsPort;
    /** Renders an alert batch in the configured language (node time zone for times). */
    render: (batch: AlertBatch, language: CycleSettings['language'], timeZoneOf: (node: string, remote?: string) => string) => RenderedMessage;
    /** Configuration archives; absent when not configured or invalid. */
    archives?: DaemonArchives;
    /** Renders the report as Prometheus text. */
    renderMetrics: (report: HealthReport | undefined, daemon: DaemonInfo) => string;
}
