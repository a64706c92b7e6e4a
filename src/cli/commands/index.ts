// SPDX-License-Identifier: AGPL-3.0-or-later
import type { CliCommand } from '../command.ts';
import { composeArchives, composeNotifiers } from '../../compose.ts';
import { createArchiveCommand } from './archive.ts';
import { checkCommand } from './check.ts';
import { configCommand } from './config.ts';
import { daemonCommand } from './daemon.ts';
import { createNotifyCommand } from './notify.ts';
import { parseLogCommand } from './parse-log.ts';
import { scheduleCommand } from './schedule.ts';

/** Every CLI command, in the order `--help` lists them. */
export function allCommands(): CliCommand[] {
    return [checkCommand, daemonCommand, scheduleCommand, parseLogCommand, configCommand, createNotifyCommand({ notifiers: (c, s) => composeNotifiers(c, s) }), createArchiveCommand(composeArchives)];
}
