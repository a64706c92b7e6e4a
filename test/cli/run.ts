// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs CLI commands in-process (no build needed) and captures their output.
import { allCommands } from '../../src/cli/commands/index.ts';
import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
    code: number;
    out: string;
    err: string;
}

export async function cli(args: string[], now = 1_795_000_000): Promise<CliRun> {
    let out = '';
    let err = '';
    const code = await runCli(args, allCommands(), {
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env: {},
        now: () => now,
    });
    return { code, out, err };
}
