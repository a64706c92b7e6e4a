// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Part of the composition root: the daemon's SettingsPort over the config store (settings file +
 * secrets file), turning DaemonConfig into the per-cycle settings and the API's settings views.
 */

import { randomUUID } from 'node:crypto';
import { createNotifiers } from './adapters/notify/factory.ts';
import { ServiceError } from './app/daemon-api.ts';
import type { CycleSettings, SettingsPort } from './app/daemon-types.ts';
import { alertPolicySettings, evaluationSettings } from './config/derive.ts';
import { ConfigSaveError, type ConfigStore, type LoadResult } from './config/load.ts';
import { settingsJsonSchema, validateConfig } from './config/schema.ts';
import { applySecretUpdates, publicSettings } from './config/secrets.ts';
import type { ConfigSecrets, ConfigSilence, DaemonConfig } from './config/types.ts';
import type { SettingsResponse, SettingsUpdate, SilenceRequest } from './contract/http-api.ts';
import type { RemoteSourceSettings } from './compose-source.ts';
import type { Notifier } from './ports.ts';

/** The enabled targets' notifiers, one attempt per send (the daemon's dispatch retries). */
export function composeNotifiers(config: DaemonConfig, secrets: ConfigSecrets, secretsFile?: string): Notifier[] {
    return createNotifiers(config, secrets, secretsFile !== undefined ? { secretsFile } : {});
}

export class ConfigSettingsPort implements SettingsPort {
    private notifiers: { key: string; list: Notifier[] } | undefined;

    constructor(
        private readonly store: ConfigStore,
        private loaded: LoadResult,
    ) {}

    /** Re-reads the files (every cycle: edits made elsewhere in the cluster apply without restart). */
    async refresh(): Promise<void> {
        this.loaded = await this.store.load();
    }

    current(): CycleSettings {
        const c = this.loaded.config;
        return {
            intervalSeconds: c.checkIntervalSeconds,
            historyDays: c.historyDays,
            evaluation: evaluationSettings(c),
            alerts: alertPolicySettings(c),
            maintenance: c.maintenanceWindows,
            language: c.language,
            notifiers: this.notifiersFor(),
            notifyAttempts: 4,
            notifyBackoffMs: 5000,
            configWarnings: [...this.loaded.errors, ...this.loaded.warnings],
        };
    }

    /** Channels are rebuilt only when their settings or secrets change. */
    private notifiersFor(): Notifier[] {
        const key = JSON.stringify([this.loaded.config.notifications, this.loaded.secrets.targets]);
        if (this.notifiers?.key !== key) this.notifiers = { key, list: composeNotifiers(this.loaded.config, this.loaded.secrets, this.store.location.secretsFile) };
        return this.notifiers.list;
    }

    async describe(): Promise<SettingsResponse> {
        const pub = publicSettings(this.loaded.fileConfig, this.loaded.secrets);
        return { schema: settingsJsonSchema(), settings: pub.settings, secretsSet: pub.secretsSet, writable: await this.store.writable(), path: this.loaded.path };
    }

    async update(update: SettingsUpdate, _user: string): Promise<SettingsResponse> {
        // Silences are edited through their own endpoint; a settings form must not drop them.
        const merged = { ...update.settings, silences: this.loaded.fileConfig.silences };
        const checked = validateConfig(merged, { secretsFile: this.store.location.secretsFile });
        if (!checked.ok) throw new ServiceError(400, checked.errors.join('; '));
        const secrets = applySecretUpdates(checked.config, this.loaded.secrets, update.secrets ?? {});
        if (!secrets.ok) throw new ServiceError(400, secrets.errors.join('; '));
        await this.save(checked.config, secrets.secrets);
        return this.describe();
    }

    async addSilence(request: SilenceRequest, user: string, now: number): Promise<SettingsResponse> {
        if (request.vmid === undefined && request.job === undefined && (request.codes ?? []).length === 0) {
            throw new ServiceError(400, 'a silence needs a vmid, a job or problem codes');
        }
        const silence: ConfigSilence = { id: randomUUID(), createdBy: user, createdAt: now };
        if (request.remote !== undefined) silence.remote = request.remote;
        if (request.vmid !== undefined) silence.vmid = request.vmid;
        if (request.job !== undefined) silence.job = request.job;
        if (request.codes !== undefined) silence.codes = request.codes as ConfigSilence['codes'] & string[];
        if (request.durationSeconds !== undefined) silence.until = now + request.durationSeconds;
        if (request.reason !== undefined) silence.reason = request.reason;
        const kept = this.loaded.fileConfig.silences.filter((s) => s.until === undefined || s.until > now);
        await this.save({ ...this.loaded.fileConfig, silences: [...kept, silence] }, this.loaded.secrets);
        return this.describe();
    }

    /** The `archive` section, validated by the archive feature itself. */
    archiveSettings(): unknown {
        return this.loaded.config.archive;
    }

    publicUrl(): string | undefined {
        return this.loaded.config.publicUrl;
    }

    /** The configured remote clusters, each with its token secret when one is set. */
    remotes(): RemoteSourceSettings[] {
        return this.loaded.config.remotes.map((r) => {
            const secret = this.loaded.secrets.remotes[r.name]?.tokenSecret;
            return { ...r, ...(secret ? { tokenSecret: secret } : {}) };
        });
    }

    silences(): ConfigSilence[] {
        return this.loaded.config.silences;
    }

    private async save(config: DaemonConfig, secrets: LoadResult['secrets']): Promise<void> {
        try {
            this.loaded = await this.store.save(config, secrets);
        } catch (e) {
            if (e instanceof ConfigSaveError) throw new ServiceError(e.reason === 'invalid' ? 400 : 503, e.message);
            throw e;
        }
    }
}
