// SPDX-License-Identifier: AGPL-3.0-or-later
// The GUI on the host page against the FAKE daemon, for a person to look at a golden scenario at
// its own time or many guests (`make demo` shows the real daemon with the simulator):
//   node test/gui/run.mjs serve [--port 8006] [--source demo|<scenario folder>] [--guests N]
// Prints the URL and runs until Ctrl-C. Needs the built plugin (make).
import { existsSync } from 'node:fs';
import { ADMIN_TICKET, startFakeBackend } from './fake-backend.ts';
import { PLUGIN_BUNDLE, startHostPage } from './host-page.ts';

function option(args: string[], name: string): string | undefined {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
}

export async function main(args: string[]): Promise<number> {
    if (!existsSync(PLUGIN_BUNDLE)) {
        console.error(`${PLUGIN_BUNDLE} is missing: run make first`);
        return 2;
    }
    const guests = option(args, 'guests');
    const backend = await startFakeBackend({ source: option(args, 'source') ?? 'demo', ...(guests ? { guests: Number(guests) } : {}) });
    const page = await startHostPage({ backendUrl: backend.url, ticket: ADMIN_TICKET, port: Number(option(args, 'port') ?? 0) });
    console.log(`pve-backup-health GUI on the test host page: ${page.url}`);
    console.log(`daemon (fake): ${backend.url} · read-only user: ${page.url}?cap=audit · German: ${page.url}?lang=de`);
    await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
    await page.stop();
    await backend.stop();
    return 0;
}
