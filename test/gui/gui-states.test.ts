// SPDX-License-Identifier: AGPL-3.0-or-later
// The GUI in Chromium, continued (see gui.test.ts): the daemon unreachable or refusing, read-only
// users, the buttons that change something, archives, and a PVE that changed underneath.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchivesResponse, ErrorResponse, SettingsResponse } from '../../src/contract/http-api.ts';
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
        // A PVE user without privileges (nobody@pve): the daemon answers 403.
        await g.withPage(`?ticket=${encodeURIComponent(g.backend.tickets.nobody)}`, async (o) => {
            await openTab(o.page);
            const text = await o.page.locator('.pbh-message').innerText();
            expect(text).toContain('Permission denied');
            expect(text).toContain('Sys.Audit');
            await screenshot(o.page, 'forbidden');
        });
    });

    it('shows read-only users everything but the buttons', async () => {
        await g.withPage(`?cap=audit&ticket=${encodeURIComponent(g.backend.tickets.reader)}`, async (o) => {
            await openTab(o.page);
            const hidden = (q: string) => o.page.evaluate<boolean>(`Ext.ComponentQuery.query(${JSON.stringify(q)})[0].isHidden()`);
            expect(await hidden('#checkNow')).toBe(true);
            await selectInnerTab(o.page, 'Config archives');
            // The list, or (while the daemon has no archives set up) the note saying so.
            await o.page.waitForFunction('[...document.querySelectorAll(".x-grid-row, .pbh-message")].some((e) => e.offsetParent !== null)');
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
            expect(await page.locator('.pbh-header').innerText()).toContain('Last check: 2026-11-21 09:00');
            // Five minutes pass in the simulated cluster; the next check is the one asked for.
            g.backend.sim.clock.advance(300);
            await page.locator('.x-btn', { hasText: 'Check now' }).click();
            await expect.poll(() => page.locator('.pbh-header').innerText(), { timeout: 15_000 }).toContain('Last check: 2026-11-21 09:05');

            await page.locator('.x-grid-row:visible', { hasText: 'mail01' }).dblclick();
            await page.locator('.x-window.pbh-explain .pbh-problem').first().waitFor();
            await page.locator('.x-window.pbh-explain .x-btn', { hasText: 'Silence…' }).click();
            await page.locator('.x-window .x-btn', { hasText: /^Silence$/ }).click();
            await expect.poll(() => page.locator('.x-window.pbh-explain').innerText()).toContain('Silenced');
            await page.locator('.x-window.pbh-explain .x-btn', { hasText: 'Close' }).click();

            // What the daemon itself says about a check interval of 5 s (nothing is changed by a 400).
            const auth = { Authorization: `PVEAuthCookie=${g.backend.tickets.admin}`, 'Content-Type': 'application/json' };
            const current = (await (await fetch(`${g.backend.url}/api/v1/settings`, { headers: auth })).json()) as SettingsResponse;
            const refused = await fetch(`${g.backend.url}/api/v1/settings`, { method: 'PUT', headers: auth, body: JSON.stringify({ settings: { ...current.settings, checkIntervalSeconds: 5 } }) });
            expect(refused.status).toBe(400);
            const why = ((await refused.json()) as ErrorResponse).error;
            expect(why).toMatch(/^checkIntervalSeconds: /);

            await selectInnerTab(page, 'Settings');
            const interval = page.locator('.x-field:visible', { hasText: 'Check interval' }).locator('input');
            // Typed like a person: click, select what is there, type over it (fill() bypasses
            // ExtJS, and Ctrl+A races its focus handling).
            const type = async (text: string) => {
                await interval.click();
                await interval.selectText();
                await interval.pressSequentially(text);
                expect(await interval.inputValue()).toBe(text);
            };
            await type('5');
            await page.locator('.x-btn:visible', { hasText: 'Save' }).click();
            await expect.poll(() => page.locator('.pbh-error:visible').innerText()).toContain(why);
            expect(await page.locator('.x-form-invalid:visible').count()).toBeGreaterThan(0);
            await type('600');
            // The second target (ntfy) has no token yet.
            const token = () => page.locator('.x-fieldset:visible', { hasText: 'ntfy-phone' }).last().locator('input[type=password]');
            expect(await token().getAttribute('placeholder')).toBe('(not set)');
            await token().fill('tk_s3cret');
            await page.locator('.x-btn:visible', { hasText: 'Save' }).click();
            await expect.poll(() => page.locator('.pbh-error:visible').innerText()).toContain('Saved.');
            expect(await token().getAttribute('placeholder')).toBe('(set)');
            expect(await token().inputValue()).toBe('');
            const saved = (await (await fetch(`${g.backend.url}/api/v1/settings`, { headers: auth })).json()) as SettingsResponse;
            expect(saved.settings.checkIntervalSeconds).toBe(600);
            expect(saved.secretsSet).toContain('notifications.targets.1.token');
            expect(JSON.stringify(saved)).not.toContain('tk_s3cret');
            await screenshot(page, 'tab-settings');
            expect(o.errors).toEqual([]);
        });
    });

    it('creates, lists and compares configuration archives', async () => {
        const headers = { Authorization: `PVEAuthCookie=${g.backend.tickets.admin}` };
        const names = async () => ((await (await fetch(`${g.backend.url}/api/v1/archives`, { headers })).json()) as ArchivesResponse).archives.map((a) => a.name);
        // The daemon archived the node on its first check (none existed).
        const before = await names();
        expect(before.length).toBeGreaterThan(0);
        await g.withPage('', async (o) => {
            const { page } = o;
            await openTab(page);
            await selectInnerTab(page, 'Config archives');
            const rows = page.locator('.x-grid-row:visible');
            await expect.poll(() => rows.count()).toBe(before.length);
            for (const n of before) expect(await page.locator('.x-grid-view:visible').innerText()).toContain(n);
            // An admin moves a job's start; a minute later an archive is made by hand.
            const jobs = join(g.backend.hostRoot, 'etc/pve/jobs.cfg');
            const text = readFileSync(jobs, 'utf8');
            expect(text.split('\tschedule 02:00\n')).toHaveLength(2);
            writeFileSync(jobs, text.replace('\tschedule 02:00\n', '\tschedule 02:15\n'));
            g.backend.sim.clock.advance(60);
            await page.locator('.x-btn:visible', { hasText: 'Create now' }).click();
            await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before.length + 1);
            const made = (await names()).filter((n) => !before.includes(n));
            expect(made).toHaveLength(1);
            expect(await rows.first().innerText()).toContain(made[0]);
            await screenshot(page, 'tab-archives');
            // Newest first: the new archive, then the one before it.
            await rows.nth(0).click();
            await rows.nth(1).click({ modifiers: ['Control'] });
            await page.locator('.x-btn:visible', { hasText: 'Compare' }).click();
            const diff = page.locator('.x-window table.pbh-diff');
            await diff.first().waitFor();
            expect(await page.locator('.x-window').last().innerText()).toContain('etc/pve/jobs.cfg');
            expect(await page.locator('.x-window tr.pbh-changed td.pbh-l').first().innerText()).toContain('schedule 02:00');
            expect(await page.locator('.x-window tr.pbh-changed td.pbh-r').first().innerText()).toContain('schedule 02:15');
            await screenshot(page, 'archive-diff');
            expect(o.errors).toEqual([]);
        });
    });

    it('says so when the service has no configuration archives', async () => {
        // A daemon version without the archive endpoints (404): only the fake can still be one.
        await g.withPage('', async (o) => {
            await openTab(o.page);
            await selectInnerTab(o.page, 'Config archives');
            await expect.poll(() => o.page.locator('.pbh-message:visible').innerText()).toContain('Configuration archives are not available');
        }, await g.hostForFake({ archives: false }));
    });

    it('with remote clusters: a Cluster column, and each guest explained and silenced in its own cluster', async () => {
        const { url, fake } = await g.hostWithFake({ remote: 'dc2' });
        const failed = fake.report.problems.find((p) => p.code === 'backup-failed' && p.remote === 'dc2' && (p.evidence.logLines?.length ?? 0) > 0);
        expect(failed?.guestName).toBeDefined();
        const name = failed?.guestName as string;
        await g.withPage('', async (o) => {
            await openTab(o.page);
            await expect.poll(() => o.page.locator('.x-grid-view:visible').innerText()).toContain(`dc2 / ${name} (${failed?.vmid})`);
            await selectInnerTab(o.page, 'Guests');
            const count = () => o.page.evaluate<number>('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount()');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() > 0');
            expect(await count()).toBe(fake.report.guests.length);
            expect(await o.page.locator('.x-column-header:visible').allInnerTexts()).toContain('Cluster');
            // The same VMID is in both clusters: the search picks the remote's.
            await o.page.locator('input[placeholder="Search"]:visible').fill(`dc2 ${name}`);
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthGuestsGrid")[0].getStore().getCount() === 1');
            await o.page.locator('.x-grid-row:visible', { hasText: name }).dblclick();
            const win = o.page.locator('.x-window.pbh-explain');
            await win.locator('.pbh-log').first().waitFor();
            expect(await win.locator('.x-title-text').first().innerText()).toContain(`dc2 / ${name}`);
            expect(fake.requests).toContain(`GET /api/v1/guests/${failed?.vmid}?remote=dc2 root@pam`);
            // PVE's task viewer knows only this cluster's tasks: the remote's UPIDs are text.
            expect(await win.locator('.pbh-problem a.pbh-upid').count()).toBe(0);
            expect(await win.locator('.pbh-problem .pbh-meta').first().innerText()).toContain('UPID:');
            await screenshot(o.page, 'explain-remote');
            await win.locator('.x-btn', { hasText: 'Silence…' }).click();
            await o.page.locator('.x-window .x-btn', { hasText: /^Silence$/ }).click();
            await expect.poll(() => win.innerText()).toContain('Silenced');
            expect(fake.requests).toContain('POST /api/v1/silences root@pam');
            await win.locator('.x-btn', { hasText: 'Close' }).click();
            // Storages of the same name in both clusters: two rows each, told apart by the column.
            await selectInnerTab(o.page, 'Storages');
            await o.page.waitForFunction('Ext.ComponentQuery.query("backupHealthStoragesView")[0].getStore().getCount() > 0');
            const storageRows = await o.page.evaluate<number>('Ext.ComponentQuery.query("backupHealthStoragesView")[0].getStore().getCount()');
            expect(storageRows).toBe(fake.report.storages.length);
            // Each cluster's storage projected from its own history (not both mixed into one).
            const projected = fake.report.storages.filter((x) => x.used !== undefined && x.total !== undefined).length;
            expect(projected).toBeGreaterThan(1);
            await expect.poll(async () => ((await o.page.locator('.x-grid-view:visible').innerText()).match(/20\d\d-\d\d-\d\d \(in \d+ d\)/g) ?? []).length).toBe(projected);
            expect(await o.page.locator('.x-column-header:visible').allInnerTexts()).toContain('Cluster');
            expect(o.errors).toEqual([]);
            expect(pluginWarnings(o)).toEqual([]);
        }, url);
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
        }, await g.hostForFake({ corruptReport: true })); // a daemon bug the real one cannot be asked for
    });
});
