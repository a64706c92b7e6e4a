// SPDX-License-Identifier: AGPL-3.0-or-later
// The GUI in a real browser with real ExtJS: Debian's Chromium (playwright-core) opens the host
// page (stand-ins for PVE's classes + the plugin built from the current sources) against the
// real daemon with the PVE API simulator behind it (backend.ts); what the GUI must show comes
// from the daemon's own answers. Skipped, with a message, where /usr/bin/chromium is absent.
// This file: where the tab and the widget appear, what they show, timers, languages.
import { expect, it, describe } from 'vitest';
import type { NotificationLogResponse } from '../../src/contract/http-api.ts';
import { topProblems } from '../../plugin/view-logic.ts';
import { hasChromium } from './browser.ts';
import { activeCard, menuIds, openTab, screenshot, selectInnerTab, selectMenu } from './harness.ts';
import { pluginWarnings, skipMessage, useGuiSuite } from './suite.ts';

skipMessage('test/gui/gui.test.ts');

// Generous per-test time: a page load parses all of ExtJS, and CI runs other suites alongside.
describe.skipIf(!hasChromium)('Backup Health GUI in Chromium', { timeout: 90_000 }, () => {
    const g = useGuiSuite();

    it('adds the tab right after Backup, and PVE restores it after a reload', async () => {
        await g.withPage('', async (o) => {
            const ids = await menuIds(o.page);
            expect(ids.indexOf('backup-health')).toBe(ids.indexOf('backup') + 1);
            await openTab(o.page);
            expect(await activeCard(o.page)).toBe('backup-health');
            await screenshot(o.page, 'tab-problems');
            await o.page.reload();
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthDcHealthView").length === 1');
            expect(await activeCard(o.page)).toBe('backup-health');
            expect(o.errors).toEqual([]);
            expect(pluginWarnings(o)).toEqual([]);
        });
    });

    it('is not there without Sys.Audit', async () => {
        await g.withPage('?cap=none', async (o) => {
            const ids = await menuIds(o.page);
            expect(ids).not.toContain('backup-health');
            expect(ids).toContain('users');
            expect(ids).not.toContain('backup');
            expect(o.errors).toEqual([]);
            expect(pluginWarnings(o)).toEqual([]);
        });
    });

    it("lists the backend's problems by guest name and every guest in the grid", async () => {
        const named = g.backend.report.problems.filter((p) => p.vmid !== undefined);
        expect(named.length).toBeGreaterThan(3);
        await g.withPage('', async (o) => {
            await openTab(o.page);
            const problems = await o.page.locator('.x-grid-view:visible').innerText();
            for (const p of named) expect(problems).toContain(`${p.guestName} (${p.vmid})`);
            const header = await o.page.locator('.pbh-header').innerText();
            expect(header).toContain(`${g.backend.report.counts.critical} Critical`);
            await selectInnerTab(o.page, 'Guests');
            const count = () => o.page.evaluate<number>('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount()');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() > 0');
            expect(await count()).toBe(g.backend.report.guests.length);
            // One cluster only: no Cluster column.
            expect(await o.page.locator('.x-column-header:visible').allInnerTexts()).not.toContain('Cluster');
            const mail = o.page.locator('.x-grid-row:visible', { hasText: 'mail01' });
            expect(await mail.innerText()).toMatch(/failed/);
            await screenshot(o.page, 'tab-guests');
            await o.page.locator('.x-form-cb-label', { hasText: 'Problems only' }).click();
            expect(await count()).toBe(g.backend.report.guests.filter((g) => g.problems.length > 0 || g.status !== 'ok').length);
            await o.page.locator('input[placeholder="Search"]:visible').fill('mail01');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() === 1');
            expect(o.errors).toEqual([]);
        });
    });

    it('explains a verdict with the decisive log lines and opens the task in PVE’s viewer', async () => {
        const failed = g.backend.report.problems.find((p) => p.code === 'backup-failed' && (p.evidence.logLines?.length ?? 0) > 0);
        expect(failed).toBeDefined();
        await g.withPage('', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Guests');
            await o.page.locator('.x-grid-row:visible', { hasText: failed!.guestName! }).dblclick();
            const win = o.page.locator('.x-window.pbh-explain');
            await win.locator('.pbh-log').first().waitFor();
            const text = await win.innerText();
            for (const line of failed!.evidence.logLines ?? []) expect(text).toContain(line.text);
            await screenshot(o.page, 'explain');
            const link = win.locator('.pbh-log').first().locator('xpath=preceding-sibling::div[1]').locator('a.pbh-upid');
            const upid = await link.getAttribute('data-upid');
            await link.click();
            await expect.poll(() => o.page.locator('.standin-upid').innerText()).toBe(upid);
            expect(o.errors).toEqual([]);
        });
    });

    it('shows the report in the Datacenter Summary widget and opens the tab on click', async () => {
        const c = g.backend.report.counts;
        await g.withPage('', async (o) => {
            await selectMenu(o.page, 'Summary');
            const widget = o.page.locator('.pbh-widget');
            await widget.locator('[data-count="ok"]').waitFor();
            for (const [key, n] of Object.entries({ ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered })) {
                expect(await widget.locator(`[data-count="${key}"] b`).innerText(), key).toBe(String(n));
            }
            const top = await widget.locator('.pbh-top-problems li').allInnerTexts();
            expect(top.map((t) => t.split(':')[0]?.trim())).toEqual(topProblems(g.backend.report.problems, 3).map((p) => `${p.guestName} (${p.vmid})`));
            expect(await widget.locator('.pbh-light').innerText()).toContain('Critical');
            await screenshot(o.page, 'summary-widget');
            await widget.locator('.pbh-light').click();
            await expect.poll(() => activeCard(o.page)).toBe('backup-health');
            expect(o.errors).toEqual([]);
        });
    });

    it('refreshes the widget on its own timer, and stops the widget and tab timers when PVE destroys their cards', async () => {
        const context = await g.browser.newContext({ viewport: { width: 1400, height: 820 } });
        try {
            const page = await context.newPage();
            // What the plugin asks, counted in the browser: GET /report to the daemon.
            let reports = 0;
            page.on('request', (r) => {
                if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/report') reports++;
            });
            await page.clock.install();
            await page.goto(g.host.url);
            await page.waitForFunction('window.workspace !== undefined');
            await selectMenu(page, 'Summary');
            await page.locator('.pbh-widget [data-count="ok"]').waitFor();
            const first = reports;
            await page.clock.runFor(61_000);
            await expect.poll(() => reports).toBe(first + 1);
            await openTab(page);
            const left = reports;
            expect(left).toBeGreaterThan(first + 1);
            await selectMenu(page, 'Backup');
            await expect.poll(() => activeCard(page)).toBe('backup');
            // Step by step, with real time between: a (wrongly) started request must get out
            // before fake time runs past its own abort timeout.
            for (let i = 0; i < 3; i++) {
                await page.clock.runFor(61_000);
                await new Promise((r) => setTimeout(r, 700));
            }
            expect(reports).toBe(left);
        } finally {
            await context.close();
        }
    });

    it('renders jobs, storages and notifications', async () => {
        const report = g.backend.report;
        const sent = await fetch(`${g.backend.url}/api/v1/notifications/log`, { headers: { Authorization: `PVEAuthCookie=${g.backend.tickets.admin}` } });
        const log = ((await sent.json()) as NotificationLogResponse).entries;
        // The first check told both targets about the problems; the refusing one failed.
        expect(log.map((e) => `${e.target} ${e.ok}`).sort()).toEqual(['ntfy-phone true', 'webhook-ops false']);
        await g.withPage('', async (o) => {
            const { page } = o;
            await openTab(page);
            await selectInnerTab(page, 'Jobs');
            await page.locator('.x-grid-row:visible').first().waitFor();
            for (const j of report.jobs) expect(await page.locator('.x-grid-view:visible').innerText()).toContain(j.scheduleText);
            await expect.poll(() => page.locator('text=Next runs').count()).toBe(1);
            await screenshot(page, 'tab-jobs');
            await selectInnerTab(page, 'Storages');
            await page.locator('.x-grid-row:visible').first().waitFor();
            const storages = page.locator('.x-grid-view:visible');
            expect(await page.locator('.x-grid-view:visible .x-grid-row').count()).toBe(report.storages.length);
            for (const st of report.storages) expect(await storages.innerText()).toContain(st.storage);
            // A month of growth in the daemon's history (backend.ts): every storage gets a date.
            await expect.poll(async () => ((await storages.innerText()).match(/20\d\d-\d\d-\d\d \(in \d+ d\)/g) ?? []).length).toBe(report.storages.length);
            expect(await page.locator('.x-column-header:visible').allInnerTexts()).not.toContain('Cluster');
            await screenshot(page, 'tab-storages');
            await selectInnerTab(page, 'Notifications');
            await page.locator('.x-grid-row:visible', { hasText: 'webhook-ops' }).first().waitFor();
            expect(await page.locator('.x-panel:visible', { hasText: `Sent messages (${log.length})` }).count()).toBeGreaterThan(0);
            const failed = log.find((e) => !e.ok);
            expect(await page.locator('.x-grid-view:visible').last().innerText()).toContain(failed?.error ?? 'no failed entry');
            await screenshot(page, 'tab-notifications');
            expect(o.errors).toEqual([]);
        });
    });

    it('speaks German and Italian', async () => {
        await g.withPage('?lang=de', async (o) => {
            const ids = await menuIds(o.page);
            expect(ids.indexOf('backup-health')).toBe(ids.indexOf('backup') + 1);
            await openTab(o.page, 'Backup-Zustand');
            expect(await o.page.locator('.x-btn', { hasText: 'Jetzt prüfen' }).count()).toBe(1);
            expect(await o.page.locator('.pbh-header').innerText()).toContain('Kritisch');
        });
        await g.withPage('?lang=it', async (o) => {
            await openTab(o.page, 'Stato dei backup');
            expect(await o.page.locator('.x-tab', { hasText: 'Problemi' }).count()).toBe(1);
        });
    });
});
