// SPDX-License-Identifier: AGPL-3.0-or-later
// Bundles demo/demo.ts (it reuses the test simulator; Node cannot run TypeScript) and runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const dir = mkdtempSync(join(tmpdir(), 'pbh-demo-build-'));
try {
    const outfile = join(dir, 'demo.mjs');
    await build({
        entryPoints: [new URL('./demo.ts', import.meta.url).pathname],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node18',
        outfile,
        logLevel: 'warning',
        external: ['cpu-features'],
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
        define: { __PBH_VERSION__: JSON.stringify('demo') },
    });
    const { runDemo } = await import(pathToFileURL(outfile).href);
    await runDemo();
} finally {
    rmSync(dir, { recursive: true, force: true });
}
