// SPDX-License-Identifier: AGPL-3.0-or-later
// Entry point of the bundle: `node pve-backup-health.js <command> …`.
import { allCommands } from './cli/commands/index.ts';
import { runCli } from './cli/main.ts';

runCli(process.argv.slice(2), allCommands(), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    now: () => Math.floor(Date.now() / 1000),
}).then(
    // exitCode, not exit(): let stdout drain (large JSON reports through a pipe).
    (code) => {
        process.exitCode = code;
    },
    (e: unknown) => {
        process.stderr.write(`pve-backup-health: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 70;
    },
);
