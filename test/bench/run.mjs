// SPDX-License-Identifier: AGPL-3.0-or-later
// `make bench`: Node 20 cannot run TypeScript, so bundle the bench with esbuild, then run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The bundle runs from a temporary directory: tell it (and its children) where the repository is.
process.env.PBH_BENCH_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pbh-bench-'));
try {
    const outfile = join(dir, 'bench.mjs');
    await build({
        entryPoints: [new URL('./bench.ts', import.meta.url).pathname],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node18',
        outfile,
        logLevel: 'warning',
    });
    const { runBench } = await import(pathToFileURL(outfile).href);
    process.exitCode = await runBench(process.argv.slice(2));
} finally {
    rmSync(dir, { recursive: true, force: true });
}
