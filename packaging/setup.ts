// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * /usr/lib/pve-backup-health/setup — the package's helper, bundled to one CommonJS file and run
 * with the system node by the maintainer scripts (and by the daemon for `cluster`).
 *
 *   setup gui-apply  [--template <file>]   add/update the panel's script line (idempotent)
 *   setup gui-remove [--template <file>]   take it out
 *   setup gui-status [--template <file>]   exit 0 when the installed version is loaded
 *   setup cluster    [--pve-dir <dir>] [--default-config <file>]
 *                                           default config, node marker, API user + token
 *
 * Exit codes: 0 done (or nothing to do), 1 failed, 2 bad usage, 75 (EX_TEMPFAIL) skipped
 * because the cluster is not ready (no quorum, pmxcfs not mounted): try again later.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { setupCluster } from './cluster-setup.ts';
import { applyToFile, describeFile, PVE_TEMPLATE, removeFromFile } from './gui-hook.ts';

declare const __PBH_VERSION__: string;

export const EXIT_TEMPFAIL = 75;
const DEFAULT_CONFIG = '/usr/share/pve-backup-health/default-config.json';

export interface SetupIo {
    out(text: string): void;
    err(text: string): void;
    version: string;
}

const USAGE = 'usage: setup gui-apply|gui-remove|gui-status [--template <file>] | cluster [--pve-dir <dir>] [--default-config <file>]\n';

function runPveum(args: string[]) {
    const r = spawnSync('pveum', args, { encoding: 'utf8', timeout: 120_000 });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return { code: null, stdout: '', stderr: '' };
    return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

export function main(argv: string[], io: SetupIo): number {
    const [command, ...rest] = argv;
    let values: { template?: string; 'pve-dir'?: string; 'default-config'?: string };
    try {
        values = parseArgs({
            args: rest,
            options: { template: { type: 'string' }, 'pve-dir': { type: 'string' }, 'default-config': { type: 'string' } },
            strict: true,
        }).values;
    } catch (e) {
        io.err(`setup: ${(e as Error).message}\n${USAGE}`);
        return 2;
    }
    const template = values.template ?? PVE_TEMPLATE;
    const say = (lines: string[]) => {
        for (const l of lines) io.err(`pve-backup-health: ${l}\n`);
    };
    try {
        switch (command) {
            case 'gui-apply': {
                const r = applyToFile(template, io.version);
                say(r.messages);
                if (r.outcome === 'applied') io.out(`pve-backup-health: GUI panel ${io.version} added to ${template}\n`);
                if (r.outcome === 'missing' || r.outcome === 'no-anchor') say([`GUI panel not added to ${template}`]);
                return 0;
            }
            case 'gui-remove': {
                const r = removeFromFile(template);
                say(r.messages);
                if (r.outcome === 'removed') io.out(`pve-backup-health: GUI panel removed from ${template}\n`);
                return 0;
            }
            case 'gui-status': {
                const s = describeFile(template, io.version);
                io.out(`${s.text}\n`);
                return s.ok ? 0 : 1;
            }
            case 'cluster': {
                const r = setupCluster({
                    pveDir: values['pve-dir'] ?? '/etc/pve',
                    // PVE's node name is the host name up to the first dot.
                    nodeName: hostname().split('.')[0] ?? hostname(),
                    version: io.version,
                    defaultConfig: readFileSync(values['default-config'] ?? DEFAULT_CONFIG, 'utf8'),
                    pveum: runPveum,
                });
                say(r.messages);
                return r.status === 'done' ? 0 : r.status === 'skipped' ? EXIT_TEMPFAIL : 1;
            }
            default:
                io.err(`setup: unknown command '${command ?? ''}'\n${USAGE}`);
                return 2;
        }
    } catch (e) {
        io.err(`pve-backup-health: ${command}: ${(e as Error).message}\n`);
        return 1;
    }
}

// Bundled entry point (esbuild defines __PBH_VERSION__); under tests `main` is imported instead.
if (typeof __PBH_VERSION__ === 'string') {
    process.exitCode = main(process.argv.slice(2), {
        out: (t) => process.stdout.write(t),
        err: (t) => process.stderr.write(t),
        version: __PBH_VERSION__,
    });
}
