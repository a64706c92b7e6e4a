// SPDX-License-Identifier: AGPL-3.0-or-later
import type { CliCommand, CliContext } from './command.ts';
import { UsageError } from './command.ts';

declare const __PBH_VERSION__: string;
export const VERSION = typeof __PBH_VERSION__ === 'string' ? __PBH_VERSION__ : 'dev';

function help(commands: CliCommand[]): string {
    const width = Math.max(...commands.map((c) => c.name.length));
    const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
    return [
        `pve-backup-health ${VERSION} - schedule-aware backup health for Proxmox VE`,
        '',
        'Usage: pve-backup-health <command> [options]',
        '',
        'Commands:',
        ...lines,
        '',
        'Run `pve-backup-health <command> --help` for the options of one command.',
        '',
    ].join('\n');
}

/** Dispatches argv to a command and returns the exit code; never calls process.exit itself. */
export async function runCli(
    argv: string[],
    commands: CliCommand[],
    io: Omit<CliContext, 'args'>,
): Promise<number> {
    const [name, ...args] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
        io.out(help(commands));
        return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === 'version') {
        io.out(`pve-backup-health ${VERSION}\n`);
        return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
        io.err(`pve-backup-health: unknown command '${name}'\n\n${help(commands)}`);
        return 2;
    }
    if (args.includes('--help') || args.includes('-h')) {
        io.out(`${command.usage.trimEnd()}\n`);
        return 0;
    }
    try {
        return await command.run({ ...io, args });
    } catch (e) {
        if (e instanceof UsageError) {
            io.err(`pve-backup-health ${name}: ${e.message}\n\n${command.usage.trimEnd()}\n`);
            return 2;
        }
        throw e;
    }
}
