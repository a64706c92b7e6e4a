// SPDX-License-Identifier: AGPL-3.0-or-later
// Setup shared by the browser test files: the plugin built from the current sources, the real
// daemon with the simulator behind it (backend.ts), the host page and Chromium, started once per
// file and stopped after it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_START } from '../simulator/scenarios.ts';
import { type Backend, startBackend } from './backend.ts';
import { CHROMIUM, hasChromium, launchChromium } from './browser.ts';
import { ADMIN_TICKET, type FakeBackend, type FakeBackendOptions, startFakeBackend } from './fake-backend.ts';
import { buildPlugin, type Opened, openPage } from './harness.ts';
import { type HostPage, startHostPage } from './host-page.ts';

/** The browser clock in the tests: five minutes after the simulator's (and the daemon's) now. */
export const NOW = DEMO_START + 300;

export function skipMessage(file: string): void {
    if (!hasChromium) console.warn(`${file} skipped: ${CHROMIUM} not found (apt-get install chromium fonts-font-awesome)`);
}

export interface GuiSuite {
    readonly browser: Browser;
    /** The real daemon (its report, tickets and simulator). */
    readonly backend: Backend;
    /** The host page against `backend`, logged in as root@pam (`?ticket=` switches user). */
    readonly host: HostPage;
    readonly pluginFile: string;
    /** Stopped after the file, with the rest. */
    keep(x: { stop(): Promise<void> }): void;
    /** A host page against the FAKE daemon, for failures the real one cannot produce on demand. */
    hostForFake(options: FakeBackendOptions): Promise<string>;
    /** The same, with the fake daemon itself (its report and the requests it saw). */
    hostWithFake(options: FakeBackendOptions): Promise<{ url: string; fake: FakeBackend }>;
    /** Opens the page (query appended), runs `fn`, closes the context. */
    withPage(query: string, fn: (o: Opened) => Promise<void>, url?: string): Promise<void>;
}

/** Registers beforeAll/afterAll in the calling describe block. */
export function useGuiSuite(): GuiSuite {
    const extra: { stop(): Promise<void> }[] = [];
    const s = {} as { browser: Browser; backend: Backend; host: HostPage; pluginFile: string };
    beforeAll(async () => {
        // The page first: the daemon must know its origin to let it read the answers.
        const target = { url: '', ticket: '' };
        s.pluginFile = await buildPlugin();
        s.host = await startHostPage({ backendUrl: () => target.url, ticket: () => target.ticket, pluginFile: s.pluginFile });
        [s.backend, s.browser] = await Promise.all([startBackend({ allowedOrigins: [s.host.origin] }), launchChromium()]);
        target.url = s.backend.url;
        target.ticket = s.backend.tickets.admin;
    });
    afterAll(async () => {
        await s.browser?.close();
        await s.host?.stop();
        await s.backend?.stop();
        for (const x of extra) await x.stop();
    });
    const withFake = async (options: FakeBackendOptions) => {
        const fake = await startFakeBackend(options);
        const h = await startHostPage({ backendUrl: fake.url, ticket: ADMIN_TICKET, pluginFile: s.pluginFile });
        extra.push(h, fake);
        return { url: h.url, fake };
    };
    return {
        get browser() {
            return s.browser;
        },
        get backend() {
            return s.backend;
        },
        get host() {
            return s.host;
        },
        get pluginFile() {
            return s.pluginFile;
        },
        keep: (x) => {
            extra.push(x);
        },
        hostForFake: async (options) => (await withFake(options)).url,
        hostWithFake: (options) => withFake(options),
        withPage: async (query, fn, url) => {
            const opened = await openPage(s.browser, (url ?? s.host.url) + query, NOW);
            try {
                await fn(opened);
            } finally {
                await opened.close();
            }
        },
    };
}

export const pluginWarnings = (o: Opened) => o.warnings.filter((w) => w.startsWith('pve-backup-health:'));
