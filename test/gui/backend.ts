// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon the browser tests talk to. Today the fake daemon (fake-backend.ts) on loopback; to
// run the same tests against the real daemon, this one function is what changes: start
// `pve-backup-health daemon` (or the Daemon class with src/server) on 127.0.0.1 with a snapshot
// source for `options.source`, an access checker that knows ADMIN_TICKET and READER_TICKET,
// and return its URL and a stop function.
import type { HealthReport } from '../../src/domain/health/report.ts';
import { ADMIN_TICKET, type FakeBackendOptions, READER_TICKET, startFakeBackend } from './fake-backend.ts';

export { ADMIN_TICKET, READER_TICKET };

export interface Backend {
    url: string;
    /** The report the backend serves (what the GUI must show). */
    report: HealthReport;
    stop(): Promise<void>;
}

export async function startBackend(options: FakeBackendOptions = {}): Promise<Backend> {
    const fake = await startFakeBackend(options);
    return { url: fake.url, report: fake.report, stop: fake.stop };
}
