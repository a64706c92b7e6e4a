// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Retention options (`prune-backups`): a property string in files and storage configs
 * (`keep-daily=7,keep-last=3`), an object with possibly string values in job API responses
 * (pve-platform.md §8.1).
 */

import type { PruneOptions } from '../model.ts';
import { describeValue, toBool, toInt } from './coerce.ts';
import { formatPropertyString, parsePropertyString } from './property-string.ts';

type CountKey = Exclude<keyof PruneOptions, 'keepAll'>;

/** PVE's option names, in the order the prune algorithm applies them. */
export const KEEP_COUNT_OPTIONS: readonly (readonly [string, CountKey])[] = [
    ['keep-last', 'keepLast'],
    ['keep-hourly', 'keepHourly'],
    ['keep-daily', 'keepDaily'],
    ['keep-weekly', 'keepWeekly'],
    ['keep-monthly', 'keepMonthly'],
    ['keep-yearly', 'keepYearly'],
];

export interface ParsedPruneOptions {
    /** What could be read; null when the input was absent or nothing usable was in it. */
    prune: PruneOptions | null;
    errors: string[];
}

/**
 * Reads `prune-backups` from a property string or an API object. Unknown keys and bad values are
 * reported and left out; `keep-all` together with positive counts is reported (PVE refuses it)
 * but both are kept so the caller sees what was configured. Never throws.
 */
export function parsePruneOptions(input: unknown): ParsedPruneOptions {
    if (input === null || input === undefined || input === '') return { prune: null, errors: [] };
    let raw: Record<string, unknown>;
    const errors: string[] = [];
    if (typeof input === 'string') {
        const parsed = parsePropertyString(input);
        raw = parsed.values;
        errors.push(...parsed.errors);
    } else if (typeof input === 'object' && !Array.isArray(input)) {
        raw = input as Record<string, unknown>;
    } else {
        return { prune: null, errors: [`prune options must be a property string or an object`] };
    }
    const prune: PruneOptions = {};
    let any = false;
    for (const key of Object.keys(raw)) {
        const value = raw[key];
        if (key === 'keep-all') {
            const flag = toBool(value);
            if (flag === null) errors.push(`invalid value for 'keep-all': '${describeValue(value)}'`);
            else {
                prune.keepAll = flag;
                any = true;
            }
            continue;
        }
        const target = KEEP_COUNT_OPTIONS.find(([name]) => name === key)?.[1];
        if (target === undefined) {
            errors.push(`unknown retention option '${key}'`);
            continue;
        }
        const count = toInt(value);
        if (count === null || count < 0) {
            errors.push(`invalid value for '${key}': '${describeValue(value)}'`);
            continue;
        }
        prune[target] = count;
        any = true;
    }
    if (prune.keepAll === true && KEEP_COUNT_OPTIONS.some(([, k]) => (prune[k] ?? 0) > 0)) {
        errors.push('keep-all cannot be set together with other options.');
    }
    return { prune: any ? prune : null, errors };
}

/** True when the options keep everything: `keep-all`, or no count above zero (§8.2 step 2). */
export function keepsEverything(prune: PruneOptions | null | undefined): boolean {
    if (!prune) return true;
    if (prune.keepAll === true) return true;
    return !KEEP_COUNT_OPTIONS.some(([, k]) => (prune[k] ?? 0) > 0);
}

/** The property string PVE would print for these options (keys sorted, zero counts dropped). */
export function formatPruneOptions(prune: PruneOptions): string {
    const values: Record<string, number | boolean> = {};
    if (prune.keepAll !== undefined) values['keep-all'] = prune.keepAll;
    for (const [name, key] of KEEP_COUNT_OPTIONS) {
        const count = prune[key];
        if (count !== undefined && count > 0) values[name] = count;
    }
    return formatPropertyString(values);
}
