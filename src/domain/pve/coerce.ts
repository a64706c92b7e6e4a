// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Defensive coercion of values PVE serializes inconsistently (pve-platform.md §0): booleans come
 * back as `1`/`0`, `true`/`false` or strings, integers as numbers or strings such as `"7"`.
 * Every helper returns null instead of guessing when the value does not fit.
 */

const TRUE_WORDS = new Set(['1', 'on', 'yes', 'true']);
const FALSE_WORDS = new Set(['0', 'off', 'no', 'false']);

/** PVE's `parse_boolean` vocabulary (`1|on|yes|true`, `0|off|no|false`, any case). */
export function toBool(value: unknown): boolean | null {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') {
        if (value === 1) return true;
        if (value === 0) return false;
        return null;
    }
    if (typeof value !== 'string') return null;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return null;
}

/** An integer from a number or a decimal string (`"7"`, `"+3"`, `"-1"`); no fractions, no hex. */
export function toInt(value: unknown): number | null {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (!/^[+-]?\d{1,15}$/.test(text)) return null;
    return Number.parseInt(text, 10);
}

/** A finite number from a number or a decimal string (`"1.5"`, `"7"`, `"1e3"`). */
export function toNumber(value: unknown): number | null {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (!/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(text)) return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
}

/** A string from a string or a number (PVE returns some ids as numbers, some as strings). */
export function toStr(value: unknown): string | null {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return null;
}

/**
 * A value for an error message. Only primitives are converted: an object from JSON such as
 * `{"toString": 1}` makes `String()` throw.
 */
export function describeValue(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    if (value === null || value === undefined) return String(value);
    return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/**
 * Sets an own enumerable property even for names like `__proto__`, so text from files can never
 * reach an object's prototype.
 */
export function setOwn<V>(target: Record<string, V>, key: string, value: V): void {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function getOwn<V>(source: Record<string, V>, key: string): V | undefined {
    return Object.hasOwn(source, key) ? source[key] : undefined;
}
