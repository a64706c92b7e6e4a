// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The arguments of a `vzdump` command line (task log `starting new backup job:` line, legacy
 * `vzdump.cron`): guest ids as positional words, options as `--key value` (PVE's option parser
 * also takes `-key value`, `--key=value`, and a boolean flag without value).
 */

import { setOwn, toBool } from './coerce.ts';
import { parseVmidList } from './vmid-list.ts';

export interface VzdumpArgs {
    /** Guest ids named as positional words or with `--vmid`, without duplicates. */
    vmids: number[];
    /** Option values without shell quoting, by name without dashes. Repeated options are joined with `\n`. */
    options: Record<string, string>;
    errors: string[];
}

export interface VzdumpSelection {
    all: boolean;
    vmids: number[];
    exclude: number[];
    pool: string | null;
    node: string | null;
    storage: string | null;
}

const OPTION = /^--?([a-zA-Z][a-zA-Z0-9_-]*)(?:=(.*))?$/s;

/** Parses the words after `vzdump`. Never throws. */
export function parseVzdumpArgs(words: readonly string[]): VzdumpArgs {
    const options: Record<string, string> = {};
    const errors: string[] = [];
    const positional: string[] = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i] as string;
        const m = OPTION.exec(word);
        if (!m) {
            positional.push(word);
            continue;
        }
        const key = m[1] as string;
        let value = m[2];
        if (value === undefined) {
            const next = words[i + 1];
            if (next !== undefined && !OPTION.test(next)) {
                value = next;
                i++;
            } else {
                value = '1';
            }
        }
        const previous = Object.hasOwn(options, key) ? options[key] : undefined;
        setOwn(options, key, previous === undefined ? value : `${previous}\n${value}`);
    }
    const list = parseVmidList([...positional, options.vmid ?? ''].join(' '));
    errors.push(...list.errors);
    return { vmids: list.vmids, options, errors };
}

/**
 * Which guests the arguments select. As in PVE's `verify_vzdump_parameters`, `exclude` without
 * `pool` implies `all`.
 */
export function selectionFromVzdumpArgs(args: VzdumpArgs): VzdumpSelection {
    const opt = (key: string): string | null => (Object.hasOwn(args.options, key) ? (args.options[key] ?? null) : null);
    const excludeText = opt('exclude');
    const exclude = excludeText === null ? [] : parseVmidList(excludeText).vmids;
    const pool = opt('pool');
    const all = toBool(opt('all')) === true || (excludeText !== null && pool === null);
    return { all, vmids: args.vmids, exclude, pool, node: opt('node'), storage: opt('storage') };
}
