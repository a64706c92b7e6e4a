// SPDX-License-Identifier: AGPL-3.0-or-later
// The GUI in Chromium, continued (see gui.test.ts): the daemon unreachable or refusing, read-only
// users, the buttons that change something, archives, and a PVE that changed underneath.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { READER_TICKET } from './backend.ts';
import { hasChromium } from './browser.ts';
import { activeCard, menuIds, openTab, screenshot, selectInnerTab, selectMenu } from './harness.ts';
import { pluginWarnings, skipMessage, useGuiSuite } from './suite.ts';

skipMessage('test/gui/gui-states.test.ts');

describe.skipIf(!hasChromium)('Backup Health GUI in Chromium: failures, permissions, actions', { timeout: 90_000 }, () => {
    const g = useGuiSuite();

    it('says why and what to do when the daemon cannot be reached or refuses', async () => {
        const closed = createServer();
        await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
        const { port } = closed.address() as AddressInfo;
        await new Promise<void>((r) => closed.close(() => r()));
        const down = `http://127.0.0.1:${port}`;
        await g.withPage(`?backend=${encodeURIComponent(down)}`, async (o) => {
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
        await g.withPage(`?ticket=${encodeURIComponent('PVE:x@pam:00000000::bad')}`, async (o) => {
            await openTab(o.page);
            expect(await o.page.locator('.pbh-message').innerText()).toContain('did not accept your session');
        });
        await g.withPage('', async (o) => {
            await openTab(o.page);
            const text = await o.page.locator('.pbh-message').innerText();
            expect(text).toContain('Permission denied');
            expect(text).toContain('Sys.Audit');
        }, await g.hostFor({ failWith: 403 }));
    });

    it('shows read-only users everything but the buttons', async () => {
        await g.withPage(`?cap=audit&ticket=${encodeURIComponent(READER_TICKET)}`, async (o) => {
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
        await g.withPage('', async (o) => {
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
        await g.withPage('', async (o) => {
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
        await g.withPage('', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Config archives');
            await expect.poll(() => o.page.locator('.pbh-message:visible').innerText()).toContain('Configuration archives are not available');
        }, await g.hostFor({ archives: false }));
    });

    it('leaves the PVE GUI working when PVE changed or the plugin fails inside', async () => {
        await g.withPage('?variant=renamed', async (o) => {
            expect(await menuIds(o.page)).not.toContain('backup-health');
            await selectMenu(o.page, 'Backup');
            await expect.poll(() => activeCard(o.page)).toBe('backup');
            expect(pluginWarnings(o)).toHaveLength(1);
            expect(pluginWarnings(o)[0]).toContain('insertNodes');
            expect(o.errors).toEqual([]);
        });
        await g.withPage('?variant=summary-changed', async (o) => {
            expect(await menuIds(o.page)).toContain('backup-health');
            await selectMenu(o.page, 'Summary');
            await expect.poll(() => activeCard(o.page)).toBe('summary');
            expect(await o.page.locator('.pbh-widget').count()).toBe(0);
            expect(pluginWarnings(o)).toHaveLength(1);
            expect(o.errors).toEqual([]);
        });
        await g.withPage('?variant=broken-utils', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Guests');
            await expect.poll(() => o.page.locator('.x-grid-view:visible').innerText()).toContain('GiB');
            await selectMenu(o.page, 'Backup');
            await expect.poll(() => activeCard(o.page)).toBe('backup');
            expect(o.errors).toEqual([]);
        });
        await g.withPage('', async (o) => {
            await openTab(o.page);
            await selectMenu(o.page, 'Storage');
            await expect.poll(() => activeCard(o.page)).toBe('storage');
            await selectMenu(o.page, 'Summary');
            await expect.poll(() => activeCard(o.page)).toBe('summary');
            expect(o.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
        }, await g.hostFor({ corruptReport: true }));
    });
});
