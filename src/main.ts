// SPDX-License-Identifier: AGPL-3.0-or-later
// Entry point of the bundle: `node pve-backup-health.js <command> …`.
import { allCommands } from './cli/commands/index.ts';
import { runCli } from './cli/main.ts';

const code = await runCli(process.argv.slice(2), allCommands(), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    now: () => Math.floor(Date.now() / 1000),
});
// Let stdout drain before exiting (large JSON reports through a pipe).
process.exitCode = code;
