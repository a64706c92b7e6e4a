// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The daemon's settings: the cluster-wide public document (`/etc/pve/backup-health.json`) and the
 * secrets kept apart in `/etc/pve/priv/backup-health.json` (readable by root only). A
 * DaemonConfig never holds a secret, so it can be logged, returned by the API and shown in the GUI.
 */

import type { ProblemCode } from '../domain/model.ts';
import type { MessageLanguage } from '../domain/message/i18n/catalogue.ts';

export const CONFIG_VERSION = 1;

export type Language = MessageLanguage;
/** How eagerly size/duration anomalies are reported; `off` never reports them. */
export type Sensitivity = 'off' | 'low' | 'normal' | 'high';
/** `/metrics`: a PVE API token with Sys.Audit (checked like every API call), or loopback callers only. */
export type MetricsAccess = 'token' | 'loopback';
export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export interface ConfigSilence {
    id: string;
    /** A configured remote's name; absent: this cluster (or, for codes only, every cluster). */
    remote?: string;
    vmid?: number;
    job?: string;
    codes?: ProblemCode[];
    /** Epoch seconds; absent = until removed. */
    until?: number;
    reason?: string;
    createdBy: string;
    createdAt: number;
}

/** Messages are held back while a window is open: from each firing of `schedule` for `durationMinutes`. */
export interface MaintenanceWindow {
    name?: string;
    /** A PVE calendar event (`sun 01:00`), evaluated in the node's time zone. */
    schedule: string;
    durationMinutes: number;
}

/** Another PVE cluster to watch; its token secret is `remotes.<name>.tokenSecret` in the secrets file. */
export interface RemoteConfig {
    name: string;
    url: string;
    /** `user@realm!tokenid` (the secret part lives in the secrets file). */
    tokenId: string;
    fingerprint?: string;
    caFile?: string;
    insecure?: boolean;
}

interface TargetCommon {
    /** Unique; `notify test --target <name>` and the notification log use it. */
    name: string;
    enabled: boolean;
}

/** TLS trust for HTTPS receivers with their own CA (self-hosted Home Assistant, Gotify, …). */
interface HttpTls {
    caFile?: string;
    insecure?: boolean;
}

/** `POST <url>/api/webhook/<webhookId>`; secret: `webhookId`. */
export interface HomeAssistantWebhookTarget extends TargetCommon, HttpTls {
    type: 'homeassistant-webhook';
    url: string;
}

/** `POST <url>/api/services/notify/<service>` with a long-lived token; secret: `token`. */
export interface HomeAssistantNotifyTarget extends TargetCommon, HttpTls {
    type: 'homeassistant-notify';
    url: string;
    service: string;
    /** Passed as the service call's `data` (platform-specific, e.g. `{ "tag": "backup" }`). */
    data?: Record<string, unknown>;
}

/** Any HTTP receiver; secrets (both optional): `hmacSecret` signs the body, `authorization` is sent as is. */
export interface WebhookTarget extends TargetCommon, HttpTls {
    type: 'webhook';
    url: string;
    method: 'POST' | 'PUT';
    headers: Record<string, string>;
    /** `{{subject}}`, `{{summary}}`, `{{text}}`, `{{kind}}`, `{{severity}}`, `{{cluster}}`, `{{count}}`, `{{json}}`. */
    bodyTemplate?: string;
    contentType: string;
}

/** E-mail over SMTP; secret: `password` (needed when `username` is set). */
export interface SmtpTarget extends TargetCommon {
    type: 'smtp';
    host: string;
    /** Default 587 (starttls), 465 (tls), 25 (none). */
    port?: number;
    security: SmtpSecurity;
    username?: string;
    from: string;
    to: string[];
    caFile?: string;
    insecure?: boolean;
}

/** E-mail through the host's own MTA (every PVE host has postfix); no secrets. */
export interface SendmailTarget extends TargetCommon {
    type: 'sendmail';
    to: string[];
    from?: string;
    sendmailPath: string;
}

/** `POST <server>/<topic>`; secret (optional): `token`. */
export interface NtfyTarget extends TargetCommon, HttpTls {
    type: 'ntfy';
    server: string;
    topic: string;
}

/** `POST <server>/message`; secret: `token` (an application token). */
export interface GotifyTarget extends TargetCommon, HttpTls {
    type: 'gotify';
    server: string;
}

/** Bot API `sendMessage`; secret: `botToken`. */
export interface TelegramTarget extends TargetCommon {
    type: 'telegram';
    chatId: string;
    apiUrl: string;
}

export type NotificationTarget =
    | HomeAssistantWebhookTarget
    | HomeAssistantNotifyTarget
    | WebhookTarget
    | SmtpTarget
    | SendmailTarget
    | NtfyTarget
    | GotifyTarget
    | TelegramTarget;

export type TargetType = NotificationTarget['type'];

export interface DaemonConfig {
    version: 1;
    checkIntervalSeconds: number;
    historyDays: number;
    /** `auto`: derived from the job's past durations, never below 30 minutes. */
    graceMinutes: number | 'auto';
    ignoreTag: string;
    /** 0 = no reminders. */
    reminderHours: number;
    anomalies: { size: Sensitivity; duration: Sensitivity };
    storage: { warnPercent: number; criticalPercent: number };
    /** 0 = do not judge the age of PBS verifications. */
    verifyMaxAgeDays: number;
    language: Language;
    /** Base URL of the PVE GUI, linked from messages. */
    publicUrl?: string;
    silences: ConfigSilence[];
    maintenanceWindows: MaintenanceWindow[];
    remotes: RemoteConfig[];
    notifications: { targets: NotificationTarget[] };
    server: { listenAddress: string; port: number; metricsAccess: MetricsAccess };
    /** Configuration-archive settings, defined and validated by the archive feature; kept as is. */
    archive: Record<string, unknown>;
}

/** Secret strings by owner name and key, e.g. `targets.phone.token`. Never logged or sent to the browser. */
export interface ConfigSecrets {
    /**
     * The daemon's own PVE API token (`user@realm!tokenid=secret`), written by the package's
     * setup; not editable through the settings API.
     */
    apiToken?: string;
    targets: Record<string, Record<string, string>>;
    remotes: Record<string, Record<string, string>>;
    archive: Record<string, string>;
}

export const EMPTY_SECRETS: ConfigSecrets = { targets: {}, remotes: {}, archive: {} };

/** Secret keys per target type; `required` ones make the target fail with a clear error when unset. */
export const TARGET_SECRET_KEYS: Record<TargetType, readonly { key: string; required: boolean }[]> = {
    'homeassistant-webhook': [{ key: 'webhookId', required: true }],
    'homeassistant-notify': [{ key: 'token', required: true }],
    webhook: [
        { key: 'hmacSecret', required: false },
        { key: 'authorization', required: false },
    ],
    smtp: [{ key: 'password', required: false }],
    sendmail: [],
    ntfy: [{ key: 'token', required: false }],
    gotify: [{ key: 'token', required: true }],
    telegram: [{ key: 'botToken', required: true }],
};

export const REMOTE_SECRET_KEYS = ['tokenSecret'] as const;
