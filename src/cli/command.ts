// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A CLI sub-command. Commands write through `out`/`err` (never console) so tests can capture
 * them, and return the process exit code.
 */

export interface CliContext {
    /** Arguments after the command name. */
    args: string[];
    out: (text: string) => void;
    err: (text: string) => void;
    env: Record<string, string | undefined>;
    /** Current time in epoch seconds (injected so tests can fix it). */
    now: () => number;
}

export interface CliCommand {
    name: string;
    summary: string;
    usage: string;
    run(ctx: CliContext): Promise<number>;
}

/** Thrown for bad usage; main prints the message and the command's usage and exits 2. */
export class UsageError extends Error {}
