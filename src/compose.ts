// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Composition root: the only place that knows concrete adapters (split by concern into the
 * compose-*.ts files it re-exports). The CLI asks it for ready-wired sources and services;
 * nothing else constructs adapters.
 */

export { type RunningDaemon, type DaemonOptions, startDaemon } from './compose-daemon.ts';
export { type ApiSourceSettings, type RemoteSourceSettings, type SourceOptions, composeRemoteSources, composeSnapshotSource, isPveHost } from './compose-source.ts';
export { composeNotifiers } from './compose-settings.ts';
export { type ArchiveServiceOptions, composeArchives } from './compose-archives.ts';
