// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs a TypeScript entry of test/gui under Node 20 (which cannot run TypeScript): bundles it with
// esbuild next to node_modules (so playwright-core resolves), then calls its `main(argv)`.
//   node test/gui/run.mjs serve [--port N] [--source demo|<scenario>]   host page + fake daemon (make demo: the real one)
//   node test/gui/run.mjs bench [--guests N]                            10 000-guest render time
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const entries = { serve: 'serve.ts', bench: 'bench-render.ts' };
const [name, ...args] = process.argv.slice(2);
if (!entries[name]) {
    console.error(`usage: node test/gui/run.mjs ${Object.keys(entries).join('|')} [options]`);
    process.exit(2);
}
const dir = join(here, '../../node_modules/.cache/pbh-gui');
mkdirSync(dir, { recursive: true });
const outfile = join(dir, `${name}-${process.pid}.mjs`);
try {
    await build({
        entryPoints: [join(here, entries[name])],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile,
        packages: 'external',
        // The sources find their files relative to test/gui; the bundle lives elsewhere.
        define: { 'import.meta.dirname': JSON.stringify(here) },
        logLevel: 'warning',
    });
    const { main } = await import(pathToFileURL(outfile).href);
    process.exitCode = await main(args);
} finally {
    rmSync(outfile, { force: true });
}
