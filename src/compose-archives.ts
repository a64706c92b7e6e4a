// SPDX-License-Identifier: AGPL-3.0-or-later
// Part of the composition root: configuration archives (local store, host files, SSH/SFTP).
import { createLocalHostFs } from './adapters/archive/local-fs.ts';
import { createArchiveStore } from './adapters/archive/store.ts';
import { openRemoteHostFs } from './adapters/ssh/remote-fs.ts';
import { createSftpCopier } from './adapters/ssh/sftp-push.ts';
import { ArchiveService } from './app/archives.ts';
import type { ArchiveServiceOptions as CliOptions } from './cli/commands/archive.ts';
import type { ArchiveApi } from './app/daemon-api.ts';
import type { DaemonArchives } from './app/daemon-types.ts';
import type { ArchiveTaskResponse } from './contract/http-api.ts';
import { validateArchiveSettings } from './domain/archive/settings.ts';
import type { Problem } from './domain/model.ts';
import type { Logger } from './ports.ts';

export interface ArchiveServiceOptions extends CliOptions {
    /** The node's IANA time zone (schedule and retention periods); UTC when absent. */
    timeZone?: string;
    logger?: Logger;
    /** `pve-backup-health <version>` for manifests. */
    tool?: string;
}

export function composeArchives(options: ArchiveServiceOptions): ArchiveService {
    return new ArchiveService({
        store: createArchiveStore({
            dir: options.settings.outputDir,
            ...(options.identityFile !== undefined ? { identityFile: options.identityFile } : {}),
        }),
        hosts: {
            local: (root) => createLocalHostFs({ root: root ?? '/' }),
            remote: (target) => openRemoteHostFs(target),
        },
        copier: createSftpCopier(),
        clock: options.clock,
        settings: options.settings,
        timeZone: options.timeZone ?? 'UTC',
        tool: options.tool ?? 'pve-backup-health dev',
        ...(options.node !== undefined ? { node: options.node } : {}),
        ...(options.sourceRoot !== undefined ? { sourceRoot: options.sourceRoot } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
}

/**
 * The daemon's archives, following the `archive` settings: the service is rebuilt when they
 * change (edits apply without a restart); invalid settings disable archiving with the errors
 * reported instead of guessing.
 */
export class DaemonArchivesHolder implements DaemonArchives {
    private current: { key: string; service: ArchiveService | undefined; errors: string[] } | undefined;

    constructor(
        private readonly settings: () => unknown,
        private readonly base: Omit<ArchiveServiceOptions, 'settings'>,
    ) {}

    private service(): ArchiveService {
        const raw = this.settings();
        const key = JSON.stringify(raw ?? null);
        if (this.current?.key !== key) {
            const v = validateArchiveSettings(raw);
            this.current = { key, errors: v.errors, service: v.errors.length === 0 ? composeArchives({ ...this.base, settings: v.settings }) : undefined };
        }
        if (!this.current.service) throw new Error(`archive settings invalid, not archiving: ${this.current.errors.join('; ')}`);
        return this.current.service;
    }

    due(): Promise<boolean> {
        return this.service().due();
    }
    problems(): Promise<Problem[]> {
        return this.service().problems();
    }
    list(): ReturnType<ArchiveApi['list']> {
        return this.service().list();
    }
    create(user: string): ArchiveTaskResponse {
        return this.service().create(user);
    }
    task(id: string): ArchiveTaskResponse {
        return this.service().task(id);
    }
    manifest(name: string): ReturnType<ArchiveApi['manifest']> {
        return this.service().manifest(name);
    }
    download(name: string): ReturnType<ArchiveApi['download']> {
        return this.service().download(name);
    }
    verify(name: string): ReturnType<ArchiveApi['verify']> {
        return this.service().verify(name);
    }
    diff(a: string, b: string): ReturnType<ArchiveApi['diff']> {
        return this.service().diff(a, b);
    }
}
