// SPDX-License-Identifier: AGPL-3.0-or-later
// The wiring the lead adds to src/compose.ts as `composeArchives` (cli reaches adapters only
// through compose.ts); the tests use this copy so the exact same wiring is exercised.
import { createLocalHostFs } from '../../src/adapters/archive/local-fs.ts';
import { createArchiveStore } from '../../src/adapters/archive/store.ts';
import { openRemoteHostFs } from '../../src/adapters/ssh/remote-fs.ts';
import { createSftpCopier } from '../../src/adapters/ssh/sftp-push.ts';
import { ArchiveService } from '../../src/app/archives.ts';
import type { ArchiveServiceOptions as CliOptions } from '../../src/cli/commands/archive.ts';
import type { Logger } from '../../src/ports.ts';

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
