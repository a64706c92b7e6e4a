// SPDX-License-Identifier: AGPL-3.0-or-later
// Builds the two shipped bundles: the daemon/CLI (one file for node >= 18, no node_modules)
// and, when plugin/index.ts exists, the ExtJS panel (IIFE, ES2020).
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const version = process.env.PBH_VERSION ?? debianVersion() ?? pkg.version;

function debianVersion() {
    try {
        const first = readFileSync(new URL('./debian/changelog', import.meta.url), 'utf8').split('\n')[0];
        return /\(([^)]+)\)/.exec(first ?? '')?.[1];
    } catch {
        return undefined;
    }
}

mkdirSync('dist', { recursive: true });
const minify = process.env.PBH_DEBUG !== '1';

const daemon = await build({
    entryPoints: ['src/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node18',
    // CommonJS: a lone .js file is CommonJS to every Node >= 18 wherever it is installed,
    // while an ESM .js needs a package.json saying so (Node 18 has no module detection).
    format: 'cjs',
    outfile: 'dist/pve-backup-health.js',
    banner: { js: `#!/usr/bin/env node\n// pve-backup-health ${version} - SPDX-License-Identifier: AGPL-3.0-or-later` },
    define: { __PBH_VERSION__: JSON.stringify(version) },
    // ssh2 loads optional native addons (sshcrypto, cpu-features) inside try/catch and falls back
    // to pure JavaScript; the bundle ships none, so those requires simply throw.
    plugins: [
        {
            name: 'no-native-addons',
            setup(b) {
                b.onResolve({ filter: /\.node$|^cpu-features$/ }, (a) => ({ path: a.path, namespace: 'no-native' }));
                b.onLoad({ filter: /.*/, namespace: 'no-native' }, () => ({ contents: 'throw new Error("native addon not bundled")', loader: 'js' }));
            },
        },
    ],
    legalComments: 'linked',
    metafile: true,
    minify: false,
    sourcemap: false,
    logLevel: 'warning',
});

// This repository's package.json says "type": "module"; mark dist/ as CommonJS for local runs.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

const modules = new Set();
for (const input of Object.keys(daemon.metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (m) modules.add(m[1]);
}
writeFileSync('dist/bundled-npm-modules.txt', `${[...modules].sort().join('\n')}\n`);

if (existsSync('plugin/index.ts')) {
    await build({
        entryPoints: ['plugin/index.ts'],
        bundle: true,
        platform: 'browser',
        target: 'es2020',
        format: 'iife',
        outfile: 'dist/pve-backup-health-ui.js',
        banner: { js: `// pve-backup-health-ui ${version} - SPDX-License-Identifier: AGPL-3.0-or-later` },
        define: { __PBH_VERSION__: JSON.stringify(version) },
        minify,
        legalComments: 'none',
        logLevel: 'warning',
    });
    // The panel is loaded on every PVE page view: keep it small (issue: <= 100 KB minified).
    const uiBytes = readFileSync('dist/pve-backup-health-ui.js').length;
    if (minify && uiBytes > 100 * 1024) throw new Error(`dist/pve-backup-health-ui.js is ${uiBytes} bytes, over the 100 KB budget`);
}
console.log(`built pve-backup-health ${version}`);
