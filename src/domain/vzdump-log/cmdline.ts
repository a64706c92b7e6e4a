// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The command line of `INFO: starting new backup job: vzdump 100 101 --storage local …`
 * (pve-platform.md §5.1): values are shell-quoted, option order is random, and `job-id`, `id`,
 * `enabled` and `schedule` never appear.
 */

import { toBool } from '../pve/coerce.ts';
import { splitShellWords } from '../pve/shell-words.ts';
import { parseVzdumpArgs, selectionFromVzdumpArgs } from '../pve/vzdump-args.ts';
import type { JobSelectionFromLog } from './types.ts';

export interface ParsedCmdline {
    options: Record<string, string>;
    selection: JobSelectionFromLog;
    quiet: boolean;
}

/** Parses a logged vzdump command line. Never throws. */
export function parseVzdumpCmdline(cmdline: string): ParsedCmdline {
    const words = splitShellWords(cmdline);
    const first = words[0];
    if (first !== undefined && (first === 'vzdump' || first.endsWith('/vzdump'))) words.shift();
    const args = parseVzdumpArgs(words);
    const selection = selectionFromVzdumpArgs(args);
    const quiet = Object.hasOwn(args.options, 'quiet') && toBool(args.options.quiet) === true;
    return { options: args.options, selection, quiet };
}
