// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared by the browser tests and the render bench: the plugin built from the current sources
// (like build.mjs does), pages opened in fresh browser contexts, and small queries into ExtJS.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findRoot } from './paths.ts';

const root = findRoot();
export const SCREENSHOTS = join(root, 'artifacts/screenshots');

/** Builds plugin/index.ts like build.mjs (IIFE, ES2020, minified) into a temp file. */
export async function buildPlugin(): Promise<string> {
    const outfile = join(mkdtempSync(join(tmpdir(), 'pbh-ui-')), 'pve-backup-health-ui.js');
    await build({
        entryPoints: [join(root, 'plugin/index.ts')],
        bundle: true,
        platform: 'browser',
        target: 'es2020',
        format: 'iife',
        outfile,
        define: { __PBH_VERSION__: JSON.stringify('test') },
        minify: true,
        legalComments: 'none',
        logLevel: 'warning',
    });
    return outfile;
}

export interface Opened {
    page: Page;
    context: BrowserContext;
    /** Console warnings and errors, and uncaught page errors. */
    warnings: string[];
    errors: string[];
    close(): Promise<void>;
}

/** Opens the host page in a fresh context (empty localStorage) with the clock at `now`. */
export async function openPage(browser: Browser, url: string, now?: number): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 820 }, timezoneId: 'UTC', locale: 'en-US' });
    const page = await context.newPage();
    const warnings: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
        // The browser logs every HTTP error answer (400, 401, refused); the tests check those themselves.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    if (now !== undefined) await page.clock.setFixedTime(new Date(now * 1000));
    await page.goto(url);
    await page.waitForFunction('window.workspace !== undefined && Ext.ComponentQuery.query("[hstateid=dctab]").length === 1');
    return { page, context, warnings, errors, close: () => context.close() };
}

/** Item ids of the Datacenter menu's top level, in order. */
export function menuIds(page: Page): Promise<string[]> {
    return page.evaluate('Ext.ComponentQuery.query("#menu")[0].getStore().getRoot().childNodes.map((n) => n.getId())');
}

/** itemId of the Datacenter panel's shown card. */
export function activeCard(page: Page): Promise<string> {
    return page.evaluate('Ext.ComponentQuery.query("[hstateid=dctab]")[0].getLayout().getActiveItem().itemId');
}

export async function selectMenu(page: Page, text: string): Promise<void> {
    await page.locator('.x-treelist-item-text', { hasText: new RegExp(`^${text}$`) }).click();
}

/** Opens the Backup Health tab and waits for the daemon's answer (data or an explanation). */
export async function openTab(page: Page, title = 'Backup Health'): Promise<void> {
    await selectMenu(page, title);
    await page.waitForFunction('document.querySelector(".pbh-status i:not(.fa-spinner)") || document.querySelector(".pbh-message h2")');
}

export async function selectInnerTab(page: Page, title: string): Promise<void> {
    await page.locator('.x-tab:visible', { hasText: title }).first().click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
