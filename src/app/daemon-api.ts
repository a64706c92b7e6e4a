// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the HTTP server may ask of the running daemon. The server (src/server) authenticates,
 * authorises and translates HTTP; everything it serves comes through this interface, which the
 * daemon (src/app/daemon.ts) implements and tests can fake.
 */

import type {
    ArchiveDiffResponse, ArchiveManifestResponse, ArchiveTaskResponse, ArchiveVerifyResponse, ArchivesResponse, CheckResponse,
    GuestDetailResponse, HistoryResponse, JobsResponse, NotificationLogResponse, NotificationTestResponse, ReportResponse,
    SettingsResponse, SettingsUpdate, SilenceRequest,
} from '../contract/http-api.ts';

/** Thrown by service methods for the caller's mistakes; the server maps `status` to HTTP. */
export class ServiceError extends Error {
    constructor(
        readonly status: 400 | 404 | 409 | 503,
        message: string,
    ) {
        super(message);
    }
}

export interface DaemonApi {
    report(): ReportResponse;
    /** One guest in detail; `remote` names the remote cluster it is in (absent: this cluster). */
    guest(vmid: number, remote?: string): GuestDetailResponse;
    jobs(): JobsResponse;
    requestCheck(): CheckResponse;
    history(from?: number, to?: number): Promise<HistoryResponse>;
    settings(): Promise<SettingsResponse>;
    updateSettings(update: SettingsUpdate, user: string): Promise<SettingsResponse>;
    addSilence(request: SilenceRequest, user: string): Promise<SettingsResponse>;
    testNotification(target?: string): Promise<NotificationTestResponse>;
    notificationLog(): Promise<NotificationLogResponse>;
    /** Prometheus text exposition of the current report. */
    metrics(): string;
    archives?: ArchiveApi | undefined;
}

/** Configuration archives (issue: configuration archives); optional until wired. */
export interface ArchiveApi {
    list(): Promise<ArchivesResponse>;
    create(user: string): ArchiveTaskResponse;
    task(id: string): ArchiveTaskResponse;
    manifest(name: string): Promise<ArchiveManifestResponse>;
    /** A readable stream of the archive file; the server pipes it. */
    download(name: string): Promise<{ size: number; stream: NodeJS.ReadableStream }>;
    verify(name: string): Promise<ArchiveVerifyResponse>;
    diff(a: string, b: string): Promise<ArchiveDiffResponse>;
}
