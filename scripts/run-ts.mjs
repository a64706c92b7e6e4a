// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs a TypeScript entry (demo, tools) under Node 20, which cannot run TypeScript itself: bundles
// it with esbuild next to node_modules (dependencies stay external, native addons included),
// then calls its exported `main(argv)` and exits with what it returns.
//   node scripts/run-ts.mjs demo/demo.ts [args…]
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
    console.error('usage: node scripts/run-ts.mjs <entry.ts> [args…]');
    process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(entry);
const dir = join(root, 'node_modules/.cache/pbh-run');
mkdirSync(dir, { recursive: true });
const outfile = join(dir, `${basename(source, '.ts')}-${process.pid}.mjs`);
try {
    await build({
        entryPoints: [source],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile,
        packages: 'external',
        // The sources find their files relative to themselves; the bundle lives elsewhere.
        define: { 'import.meta.dirname': JSON.stringify(dirname(source)), __PBH_VERSION__: JSON.stringify('dev') },
        logLevel: 'warning',
    });
    const { main } = await import(pathToFileURL(outfile).href);
    process.exitCode = await main(args);
} finally {
    rmSync(outfile, { force: true });
}
