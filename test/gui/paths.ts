// SPDX-License-Identifier: AGPL-3.0-or-later
// Where the repository is, for test/gui modules that may also run bundled elsewhere.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository root: found from this file, or — when this module was bundled elsewhere (e.g.
 * by scripts/run-ts.mjs into node_modules/.cache) — from the working directory upwards.
 */
export function findRoot(): string {
    const starts = [typeof import.meta.dirname === 'string' ? resolve(import.meta.dirname, '../..') : undefined, process.cwd()];
    for (const start of starts) {
        for (let dir = start; dir; dir = dirname(dir)) {
            if (existsSync(join(dir, 'test/gui/page/standins.js'))) return dir;
            if (dirname(dir) === dir) break;
        }
    }
    throw new Error('cannot find the repository (test/gui/page/standins.js) from this module or the working directory');
}
