// SPDX-License-Identifier: AGPL-3.0-or-later
// Debian's Chromium driven by playwright-core: headless, no sandbox (CI runs as root), a fresh
// profile per launch, no background traffic. `hasChromium` lets a suite skip when it is absent.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.PBH_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
}
