// SPDX-License-Identifier: AGPL-3.0-or-later
// Render time of the guests grid with 10 000 guests (issue target: ≤ 1.5 s), in Chromium:
//   node test/gui/run.mjs bench [--guests 10000] [--runs 3]
// Prints the times; asserts nothing (timings belong in the bench, not in tests).
// Against the FAKE daemon, serving the demo report multiplied to N guests (slimmed like the real
// daemon's): the simulator and the real daemon need about half a minute and over 1 GiB for a
// first check of 10 000 guests (see make bench), and this bench measures the browser, not them.
import { ADMIN_TICKET, startFakeBackend } from './fake-backend.ts';
import { CHROMIUM, hasChromium, launchChromium } from './browser.ts';
import { buildPlugin, openPage, openTab, selectInnerTab } from './harness.ts';
import { startHostPage } from './host-page.ts';

function option(args: string[], name: string, fallback: number): number {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : fallback;
    return Number.isFinite(v) && v > 0 ? v : fallback;
}

export async function main(args: string[]): Promise<number> {
    if (!hasChromium) {
        console.log(`bench-render skipped: ${CHROMIUM} not found`);
        return 0;
    }
    const guests = option(args, 'guests', 10_000);
    const runs = option(args, 'runs', 3);
    const backend = await startFakeBackend({ guests });
    const host = await startHostPage({ backendUrl: backend.url, ticket: ADMIN_TICKET, pluginFile: await buildPlugin() });
    const browser = await launchChromium();
    const mb = (JSON.stringify(backend.report).length / 1e6).toFixed(1);
    try {
        for (let run = 1; run <= runs; run++) {
            const o = await openPage(browser, host.url);
            const t0 = Date.now();
            await openTab(o.page);
            const loaded = Date.now() - t0;
            const t1 = Date.now();
            await selectInnerTab(o.page, 'Guests');
            await o.page.waitForFunction(`Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() === ${guests} && document.querySelectorAll(".x-grid-row").length > 0`);
            await o.page.locator('.x-grid-row:visible').first().waitFor();
            const grid = Date.now() - t1;
            const report = await o.page.evaluate<{ ms: number }>('(() => { const e = performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/api/v1/report"))[0]; return { ms: Math.round(e.duration) }; })()');
            const rows = await o.page.evaluate<number>('document.querySelectorAll(".x-grid-view:not(.x-hidden-offsets) .x-grid-row").length');
            const t2 = Date.now();
            await o.page.locator('.x-form-cb-label', { hasText: 'Problems only' }).click();
            await o.page.waitForFunction(`Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() < ${guests}`);
            const filter = Date.now() - t2;
            console.log(`run ${run}: ${guests} guests — report fetched and all views filled ${loaded} ms (of which GET /report ${report.ms} ms, ${mb} MB); guests grid shown ${grid} ms (${rows} rows in the DOM: buffered); "problems only" ${filter} ms`);
            await o.close();
        }
    } finally {
        await browser.close();
        await host.stop();
        await backend.stop();
    }
    return 0;
}
