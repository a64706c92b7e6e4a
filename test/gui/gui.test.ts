// SPDX-License-Identifier: AGPL-3.0-or-later
// The GUI in a real browser with real ExtJS: Debian's Chromium (playwright-core) opens the host
// page (stand-ins for PVE's classes + the plugin built from the current sources) against the
// backend of backend.ts. Skipped, with a message, where /usr/bin/chromium is absent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topProblems } from '../../plugin/view-logic.ts';
import { ADMIN_TICKET, type Backend, READER_TICKET, startBackend } from './backend.ts';
import { startFakeBackend } from './fake-backend.ts';
import { CHROMIUM, hasChromium, launchChromium } from './browser.ts';
import { DEMO_NOW } from './fake-data.ts';
import { activeCard, buildPlugin, menuIds, type Opened, openPage, openTab, screenshot, selectInnerTab, selectMenu } from './harness.ts';
import { type HostPage, startHostPage } from './host-page.ts';

if (!hasChromium) console.warn(`test/gui/gui.test.ts skipped: ${CHROMIUM} not found (apt-get install chromium fonts-font-awesome)`);

const NOW = DEMO_NOW + 300;

// Generous per-test time: a page load parses all of ExtJS, and CI runs other suites alongside.
describe.skipIf(!hasChromium)('Backup Health GUI in Chromium', { timeout: 90_000 }, () => {
    let browser: Browser;
    let backend: Backend;
    let host: HostPage;
    let pluginFile: string;
    const extra: { stop(): Promise<void> }[] = [];

    beforeAll(async () => {
        pluginFile = await buildPlugin();
        backend = await startBackend();
        host = await startHostPage({ backendUrl: backend.url, ticket: ADMIN_TICKET, pluginFile });
        browser = await launchChromium();
    });
    afterAll(async () => {
        await browser?.close();
        await host?.stop();
        await backend?.stop();
        for (const x of extra) await x.stop();
    });

    /** A host page against another backend (failures, no archives, …). */
    async function hostFor(options: Parameters<typeof startBackend>[0]): Promise<string> {
        const b = await startBackend(options);
        const h = await startHostPage({ backendUrl: b.url, ticket: ADMIN_TICKET, pluginFile });
        extra.push(h, b);
        return h.url;
    }

    async function withPage(query: string, fn: (o: Opened) => Promise<void>, url = host.url): Promise<void> {
        const opened = await openPage(browser, url + query, NOW);
        try {
            await fn(opened);
        } finally {
            await opened.close();
        }
    }

    const pluginWarnings = (o: Opened) => o.warnings.filter((w) => w.startsWith('pve-backup-health:'));

    it('adds the tab right after Backup, and PVE restores it after a reload', async () => {
        await withPage('', async (o) => {
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
        await withPage('?cap=none', async (o) => {
            const ids = await menuIds(o.page);
            expect(ids).not.toContain('backup-health');
            expect(ids).toContain('users');
            expect(ids).not.toContain('backup');
            expect(o.errors).toEqual([]);
            expect(pluginWarnings(o)).toEqual([]);
        });
    });

    it("lists the backend's problems by guest name and every guest in the grid", async () => {
        const named = backend.report.problems.filter((p) => p.vmid !== undefined);
        expect(named.length).toBeGreaterThan(3);
        await withPage('', async (o) => {
            await openTab(o.page);
            const problems = await o.page.locator('.x-grid-view:visible').innerText();
            for (const p of named) expect(problems).toContain(`${p.guestName} (${p.vmid})`);
            const header = await o.page.locator('.pbh-header').innerText();
            expect(header).toContain(`${backend.report.counts.critical} Critical`);
            await selectInnerTab(o.page, 'Guests');
            const count = () => o.page.evaluate<number>('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount()');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() > 0');
            expect(await count()).toBe(backend.report.guests.length);
            const mail = o.page.locator('.x-grid-row:visible', { hasText: 'mail01' });
            expect(await mail.innerText()).toMatch(/failed/);
            await screenshot(o.page, 'tab-guests');
            await o.page.locator('.x-form-cb-label', { hasText: 'Problems only' }).click();
            expect(await count()).toBe(backend.report.guests.filter((g) => g.problems.length > 0 || g.status !== 'ok').length);
            await o.page.locator('input[placeholder="Search"]:visible').fill('mail01');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() === 1');
            expect(o.errors).toEqual([]);
        });
    });

    it('explains a verdict with the decisive log lines and opens the task in PVE’s viewer', async () => {
        const failed = backend.report.problems.find((p) => p.code === 'backup-failed' && (p.evidence.logLines?.length ?? 0) > 0);
        expect(failed).toBeDefined();
        await withPage('', async (o) => {
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
        const c = backend.report.counts;
        await withPage('', async (o) => {
            await selectMenu(o.page, 'Summary');
            const widget = o.page.locator('.pbh-widget');
            await widget.locator('[data-count="ok"]').waitFor();
            for (const [key, n] of Object.entries({ ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered })) {
                expect(await widget.locator(`[data-count="${key}"] b`).innerText(), key).toBe(String(n));
            }
            const top = await widget.locator('.pbh-top-problems li').allInnerTexts();
            expect(top.map((t) => t.split(':')[0]?.trim())).toEqual(topProblems(backend.report.problems, 3).map((p) => `${p.guestName} (${p.vmid})`));
            expect(await widget.locator('.pbh-light').innerText()).toContain('Critical');
            await screenshot(o.page, 'summary-widget');
            await widget.locator('.pbh-light').click();
            await expect.poll(() => activeCard(o.page)).toBe('backup-health');
            expect(o.errors).toEqual([]);
        });
    });

    it('refreshes the widget on its own timer, and stops the widget and tab timers when PVE destroys their cards', async () => {
        const fake = await startFakeBackend();
        const h = await startHostPage({ backendUrl: fake.url, ticket: ADMIN_TICKET, pluginFile });
        extra.push(h, fake);
        const context = await browser.newContext({ viewport: { width: 1400, height: 820 } });
        try {
            const page = await context.newPage();
            await page.clock.install();
            await page.goto(h.url);
            await page.waitForFunction('window.workspace !== undefined');
            const reports = () => fake.requests.filter((r) => r.startsWith('GET /api/v1/report')).length;
            await selectMenu(page, 'Summary');
            await page.locator('.pbh-widget [data-count="ok"]').waitFor();
            const first = reports();
            await page.clock.runFor(61_000);
            await expect.poll(reports).toBe(first + 1);
            await openTab(page);
            const left = reports();
            expect(left).toBeGreaterThan(first + 1);
            await selectMenu(page, 'Backup');
            await expect.poll(() => activeCard(page)).toBe('backup');
            // Step by step, with real time between: a (wrongly) started request must get out
            // before fake time runs past its own abort timeout.
            for (let i = 0; i < 3; i++) {
                await page.clock.runFor(61_000);
                await new Promise((r) => setTimeout(r, 700));
            }
            expect(reports()).toBe(left);
        } finally {
            await context.close();
        }
    });

    it('says why and what to do when the daemon cannot be reached or refuses', async () => {
        const closed = createServer();
        await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
        const { port } = closed.address() as AddressInfo;
        await new Promise<void>((r) => closed.close(() => r()));
        const down = `http://127.0.0.1:${port}`;
        await withPage(`?backend=${encodeURIComponent(down)}`, async (o) => {
            await openTab(o.page);
            const text = await o.page.locator('.pbh-message').innerText();
            expect(text).toContain('cannot be reached');
            expect(text).toContain(`${down}/`);
            expect(text).toContain('systemctl status pve-backup-health');
            expect(text).toContain('8009/tcp');
            expect(await o.page.locator('.x-grid-view:visible').count()).toBe(0);
            await screenshot(o.page, 'daemon-down');
            await selectMenu(o.page, 'Summary');
            await expect.poll(() => o.page.locator('.pbh-widget .pbh-light').innerText()).toContain('unreachable');
        });
        await withPage(`?ticket=${encodeURIComponent('PVE:x@pam:00000000::bad')}`, async (o) => {
            await openTab(o.page);
            expect(await o.page.locator('.pbh-message').innerText()).toContain('did not accept your session');
        });
        await withPage('', async (o) => {
            await openTab(o.page);
            const text = await o.page.locator('.pbh-message').innerText();
            expect(text).toContain('Permission denied');
            expect(text).toContain('Sys.Audit');
        }, await hostFor({ failWith: 403 }));
    });

    it('shows read-only users everything but the buttons', async () => {
        await withPage(`?cap=audit&ticket=${encodeURIComponent(READER_TICKET)}`, async (o) => {
            await openTab(o.page);
            const hidden = (q: string) => o.page.evaluate<boolean>(`Ext.ComponentQuery.query(${JSON.stringify(q)})[0].isHidden()`);
            expect(await hidden('#checkNow')).toBe(true);
            await selectInnerTab(o.page, 'Config archives');
            await o.page.locator('.x-grid-row:visible').first().waitFor();
            expect(await hidden('backupHealthArchivesView #create')).toBe(true);
            await selectInnerTab(o.page, 'Settings');
            await o.page.locator('.x-fieldset:visible').first().waitFor();
            expect(await hidden('backupHealthSettingsView #save')).toBe(true);
            expect(await o.page.evaluate<boolean>('Ext.ComponentQuery.query("backupHealthSettingsView numberfield")[0].readOnly')).toBe(true);
            await selectInnerTab(o.page, 'Problems');
            await o.page.locator('.x-grid-row:visible', { hasText: 'mail01' }).dblclick();
            await o.page.locator('.x-window.pbh-explain .pbh-problem').first().waitFor();
            expect(await hidden('window #silence')).toBe(true);
            expect(o.errors).toEqual([]);
        });
    });

    it('checks now, silences, and validates settings with the daemon’s own message', async () => {
        await withPage('', async (o) => {
            const { page } = o;
            await openTab(page);
            expect(await page.locator('.pbh-header').innerText()).toContain('Last check: 2026-11-21 08:58');
            await page.locator('.x-btn', { hasText: 'Check now' }).click();
            await expect.poll(() => page.locator('.pbh-header').innerText(), { timeout: 10_000 }).toContain('Last check: 2026-11-21 09:00');

            await page.locator('.x-grid-row:visible', { hasText: 'mail01' }).dblclick();
            await page.locator('.x-window.pbh-explain .pbh-problem').first().waitFor();
            await page.locator('.x-window.pbh-explain .x-btn', { hasText: 'Silence…' }).click();
            await page.locator('.x-window .x-btn', { hasText: /^Silence$/ }).click();
            await expect.poll(() => page.locator('.x-window.pbh-explain').innerText()).toContain('Silenced');
            await page.locator('.x-window.pbh-explain .x-btn', { hasText: 'Close' }).click();

            await selectInnerTab(page, 'Settings');
            const interval = page.locator('.x-field:visible', { hasText: 'Check interval' }).locator('input');
            const type = async (text: string) => {
                await interval.press('Control+a');
                await interval.pressSequentially(text);
            };
            await type('30');
            await page.locator('.x-btn:visible', { hasText: 'Save' }).click();
            await expect.poll(() => page.locator('.pbh-error:visible').innerText()).toContain('intervalSeconds: must be an integer of at least 60');
            expect(await page.locator('.x-form-invalid:visible').count()).toBeGreaterThan(0);
            await type('600');
            const token2 = page.locator('.x-fieldset:visible', { hasText: 'Target 2' }).last().locator('input[type=password]');
            expect(await token2.getAttribute('placeholder')).toBe('(not set)');
            await token2.fill('s3cret');
            await page.locator('.x-btn:visible', { hasText: 'Save' }).click();
            await expect.poll(() => page.locator('.pbh-error:visible').innerText()).toContain('Saved.');
            const after = page.locator('.x-fieldset:visible', { hasText: 'Target 2' }).last().locator('input[type=password]');
            expect(await after.getAttribute('placeholder')).toBe('(set)');
            expect(await after.inputValue()).toBe('');
            await screenshot(page, 'tab-settings');
            expect(o.errors).toEqual([]);
        });
    });

    it('creates, lists and compares configuration archives', async () => {
        await withPage('', async (o) => {
            const { page } = o;
            await openTab(page);
            await selectInnerTab(page, 'Config archives');
            const rows = page.locator('.x-grid-row:visible');
            await rows.first().waitFor();
            const before = await rows.count();
            await page.locator('.x-btn:visible', { hasText: 'Create now' }).click();
            await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before + 1);
            await rows.nth(1).click();
            await rows.nth(2).click({ modifiers: ['Control'] });
            await page.locator('.x-btn:visible', { hasText: 'Compare' }).click();
            const diff = page.locator('.x-window table.pbh-diff');
            await diff.nth(1).waitFor();
            expect(await page.locator('.x-window tr.pbh-changed td.pbh-l').first().innerText()).toContain('schedule 01:00');
            expect(await page.locator('.x-window tr.pbh-changed td.pbh-r').first().innerText()).toContain('schedule 02:00');
            await screenshot(page, 'archive-diff');
            expect(o.errors).toEqual([]);
        });
        await withPage('', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Config archives');
            await expect.poll(() => o.page.locator('.pbh-message:visible').innerText()).toContain('Configuration archives are not available');
        }, await hostFor({ archives: false }));
    });

    it('renders jobs, storages and notifications', async () => {
        await withPage('', async (o) => {
            const { page } = o;
            await openTab(page);
            await selectInnerTab(page, 'Jobs');
            await page.locator('.x-grid-row:visible').first().waitFor();
            for (const j of backend.report.jobs) expect(await page.locator('.x-grid-view:visible').innerText()).toContain(j.scheduleText);
            await expect.poll(() => page.locator('text=Next runs').count()).toBe(1);
            await screenshot(page, 'tab-jobs');
            await selectInnerTab(page, 'Storages');
            await page.locator('.x-grid-row:visible').first().waitFor();
            expect(await page.locator('.x-grid-view:visible').innerText()).toMatch(/20\d\d-\d\d-\d\d \(in \d+ d\)/);
            await screenshot(page, 'tab-storages');
            await selectInnerTab(page, 'Notifications');
            await page.locator('.x-grid-row:visible', { hasText: 'webhook-ops' }).first().waitFor();
            expect(await page.locator('.x-panel:visible', { hasText: 'Sent messages (3)' }).count()).toBeGreaterThan(0);
            await screenshot(page, 'tab-notifications');
            expect(o.errors).toEqual([]);
        });
    });

    it('speaks German and Italian', async () => {
        await withPage('?lang=de', async (o) => {
            const ids = await menuIds(o.page);
            expect(ids.indexOf('backup-health')).toBe(ids.indexOf('backup') + 1);
            await openTab(o.page, 'Backup-Zustand');
            expect(await o.page.locator('.x-btn', { hasText: 'Jetzt prüfen' }).count()).toBe(1);
            expect(await o.page.locator('.pbh-header').innerText()).toContain('Kritisch');
        });
        await withPage('?lang=it', async (o) => {
            await openTab(o.page, 'Stato dei backup');
            expect(await o.page.locator('.x-tab', { hasText: 'Problemi' }).count()).toBe(1);
        });
    });

    it('leaves the PVE GUI working when PVE changed or the plugin fails inside', async () => {
        await withPage('?variant=renamed', async (o) => {
            expect(await menuIds(o.page)).not.toContain('backup-health');
            await selectMenu(o.page, 'Backup');
            await expect.poll(() => activeCard(o.page)).toBe('backup');
            expect(pluginWarnings(o)).toHaveLength(1);
            expect(pluginWarnings(o)[0]).toContain('insertNodes');
            expect(o.errors).toEqual([]);
        });
        await withPage('?variant=summary-changed', async (o) => {
            expect(await menuIds(o.page)).toContain('backup-health');
            await selectMenu(o.page, 'Summary');
            await expect.poll(() => activeCard(o.page)).toBe('summary');
            expect(await o.page.locator('.pbh-widget').count()).toBe(0);
            expect(pluginWarnings(o)).toHaveLength(1);
            expect(o.errors).toEqual([]);
        });
        await withPage('?variant=broken-utils', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Guests');
            await expect.poll(() => o.page.locator('.x-grid-view:visible').innerText()).toContain('GiB');
            await selectMenu(o.page, 'Backup');
            await expect.poll(() => activeCard(o.page)).toBe('backup');
            expect(o.errors).toEqual([]);
        });
        await withPage('', async (o) => {
            await openTab(o.page);
            await selectMenu(o.page, 'Storage');
            await expect.poll(() => activeCard(o.page)).toBe('storage');
            await selectMenu(o.page, 'Summary');
            await expect.poll(() => activeCard(o.page)).toBe('summary');
            expect(o.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
        }, await hostFor({ corruptReport: true }));
    });
});
