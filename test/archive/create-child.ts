// SPDX-License-Identifier: AGPL-3.0-or-later
// Entry point bundled by crash.test.ts and run as a separate process that the test kills with
// SIGKILL while it writes: `node create-child.mjs <source root> <output dir>`.
import { createLocalHostFs } from '../../src/adapters/archive/local-fs.ts';
import { createArchiveStore } from '../../src/adapters/archive/store.ts';

async function main(): Promise<void> {
    const [root, out] = process.argv.slice(2) as [string, string];
    const created = await createArchiveStore({ dir: out }).create({
        source: createLocalHostFs({ root }),
        createdAt: Math.floor(Date.now() / 1000),
        include: ['/opt/big'],
        exclude: [],
        recipients: [],
        tool: 'crash-test child',
    });
    process.stdout.write(`${created.name}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
});
