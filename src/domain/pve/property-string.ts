// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * PVE property strings (`keep-daily=7,keep-last=3`, `enabled=1,storage=local`), the way
 * pve-common's `parse_property_string` reads them: comma-separated `key=value` parts, blank parts
 * skipped, one bare part allowed as the value of the format's default key (the GUI stores
 * `fleecing 0`, meaning `enabled=0`).
 */

import { getOwn, setOwn } from './coerce.ts';

export interface ParsedPropertyString {
    /** Raw string values by key, in the order they appeared. */
    values: Record<string, string>;
    /** Human-readable problems; the parts they concern are left out of `values`. */
    errors: string[];
}

/**
 * Parses a property string. `defaultKey` names the key a bare part (no `=`) belongs to; without
 * it a bare part is an error, as in PVE. Values may be double-quoted (newer PVE quotes values
 * containing commas); the quotes are removed. Never throws.
 */
export function parsePropertyString(text: string, defaultKey?: string): ParsedPropertyString {
    const values: Record<string, string> = {};
    const errors: string[] = [];
    let sawDefault = false;
    for (const rawPart of splitParts(typeof text === 'string' ? text : '')) {
        const part = rawPart.trim();
        if (part === '') continue;
        const eq = part.indexOf('=');
        if (eq < 0) {
            if (defaultKey === undefined) {
                errors.push(`value '${part}' without key, and this property has no default key`);
            } else if (sawDefault || getOwn(values, defaultKey) !== undefined) {
                errors.push(`duplicate key '${defaultKey}'`);
            } else {
                sawDefault = true;
                setOwn(values, defaultKey, unquote(part));
            }
            continue;
        }
        const key = part.slice(0, eq).trim();
        const value = unquote(part.slice(eq + 1).trim());
        if (key === '') {
            errors.push(`missing key in '${part}'`);
        } else if (value === '') {
            errors.push(`missing value for '${key}'`);
        } else if (getOwn(values, key) !== undefined) {
            errors.push(`duplicate key '${key}'`);
        } else {
            setOwn(values, key, value);
        }
    }
    return { values, errors };
}

/** Prints `values` back as `k=v,k=v` with keys sorted, the order PVE logs and writes them in. */
export function formatPropertyString(values: Record<string, string | number | boolean>): string {
    return Object.keys(values)
        .sort()
        .map((k) => {
            const v = values[k];
            const text = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
            return `${k}=${/[,"]/.test(text) ? `"${text.replace(/(["\\])/g, '\\$1')}"` : text}`;
        })
        .join(',');
}

/** Splits on commas outside double quotes; an unterminated quote runs to the end. */
function splitParts(text: string): string[] {
    if (!text.includes('"')) return text.split(',');
    const parts: string[] = [];
    let current = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i] as string;
        if (quoted && ch === '\\' && i + 1 < text.length) {
            current += ch + (text[i + 1] as string);
            i++;
        } else if (ch === '"') {
            quoted = !quoted;
            current += ch;
        } else if (ch === ',' && !quoted) {
            parts.push(current);
            current = '';
        } else {
            current += ch;
        }
    }
    parts.push(current);
    return parts;
}

function unquote(value: string): string {
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
        return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
    }
    return value;
}
