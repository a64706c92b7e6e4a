// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Readers for PVE JSON answers, on top of the domain's coercion rules (numbers and booleans may
 * arrive as strings, `1`/`0` or `true`/`false`; pve-platform.md §0). They return undefined rather
 * than null so results can go straight into optional properties.
 */

import { toBool, toNumber, toStr } from '../../domain/pve/coerce.ts';
import { parseVmidList } from '../../domain/pve/vmid-list.ts';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objects(v: unknown): Json[] {
    return Array.isArray(v) ? v.filter(isObject) : [];
}

export function str(v: unknown): string | undefined {
    return toStr(v) ?? undefined;
}

export function num(v: unknown): number | undefined {
    return toNumber(v) ?? undefined;
}

export function bool(v: unknown): boolean | undefined {
    return toBool(v) ?? undefined;
}

/** `"100,101"` or `[100, "101"]` → `[100, 101]`; invalid entries are dropped. */
export function vmidList(v: unknown): number[] {
    const text = Array.isArray(v) ? v.map((x) => str(x) ?? '').join(',') : (str(v) ?? '');
    return parseVmidList(text).vmids;
}

/** `"a;b,c"` → `['a','b','c']` (PVE stores tags `;`-separated; older versions used `,`). */
export function tagList(v: unknown): string[] {
    return (str(v) ?? '')
        .split(/[;,\s]+/)
        .map((t) => t.trim())
        .filter((t) => t.length > 0);
}

/** `"backup,iso,vztmpl"` → list. */
export function contentList(v: unknown): string[] {
    return (str(v) ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0);
}

/** Sets `key` only when `value` is defined (exactOptionalPropertyTypes). */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
    if (value !== undefined) target[key] = value;
}
