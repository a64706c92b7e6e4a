// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A validator for the JSON Schema subset the settings schema uses. The same schema object is
 * served to the GUI (schema-driven form), so the daemon and the form apply the same rules.
 * Every error names the key (`notifications.targets[1].url`) and the problem; values of
 * `writeOnly` (secret) properties are never echoed. Defaults are filled in on the way.
 */

export interface Schema {
    type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
    title?: string;
    description?: string;
    properties?: Record<string, Schema>;
    required?: readonly string[];
    /** false: unknown keys are errors; true: anything goes (kept as is); a schema: every value. */
    additionalProperties?: boolean | Schema;
    items?: Schema;
    enum?: readonly (string | number)[];
    const?: string | number;
    minimum?: number;
    maximum?: number;
    minLength?: number;
    maxLength?: number;
    minItems?: number;
    maxItems?: number;
    /** Checked by FORMATS below; an annotation for the GUI. */
    format?: string;
    default?: unknown;
    writeOnly?: boolean;
    /** Alternatives; objects are picked by their `type` const (a discriminated union). */
    oneOf?: readonly Schema[];
    anyOf?: readonly Schema[];
}

/** Returns a problem description, or null when the string is fine. */
export type FormatCheck = (value: string) => string | null;

export interface ValidateOptions {
    formats: Record<string, FormatCheck>;
    /** What to say about a secret found where it does not belong; null = secrets are allowed here. */
    secretMisplaced: string | null;
    errors: string[];
}

const MAX_ERRORS = 100;

export function fail(o: ValidateOptions, path: string, message: string): undefined {
    if (o.errors.length < MAX_ERRORS) o.errors.push(`${path || '(document)'}: ${message}`);
    return undefined;
}

function show(value: unknown): string {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describe(s: Schema): string {
    if (s.const !== undefined) return show(s.const);
    if (s.enum) return `one of ${s.enum.join(', ')}`;
    const range = s.minimum !== undefined && s.maximum !== undefined ? ` from ${s.minimum} to ${s.maximum}` : s.minimum !== undefined ? ` of at least ${s.minimum}` : '';
    switch (s.type) {
        case 'integer':
            return `a whole number${range}`;
        case 'number':
            return `a number${range}`;
        case 'boolean':
            return 'true or false';
        case 'array':
            return 'a list';
        case 'object':
            return 'an object';
        default:
            return 'a string';
    }
}

function typeOk(s: Schema, v: unknown): boolean {
    switch (s.type) {
        case 'object':
            return typeof v === 'object' && v !== null && !Array.isArray(v);
        case 'array':
            return Array.isArray(v);
        case 'string':
            return typeof v === 'string';
        case 'integer':
            return typeof v === 'number' && Number.isInteger(v);
        case 'number':
            return typeof v === 'number' && Number.isFinite(v);
        case 'boolean':
            return typeof v === 'boolean';
        default:
            return true;
    }
}

/** Closest known key for a typo, by case-insensitive prefix or shared stem. */
function suggest(key: string, known: string[]): string | undefined {
    const k = key.toLowerCase().replace(/[-_]/g, '');
    return known.find((c) => {
        const l = c.toLowerCase();
        return l === k || (k.length >= 4 && (l.startsWith(k) || k.startsWith(l)));
    });
}

function checkObject(s: Schema, v: Record<string, unknown>, path: string, o: ValidateOptions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = s.properties ?? {};
    const at = (k: string) => (path === '' ? k : `${path}.${k}`);
    for (const [k, ps] of Object.entries(props)) {
        if (ps.writeOnly && o.secretMisplaced !== null) {
            if (v[k] !== undefined) fail(o, at(k), o.secretMisplaced);
            continue;
        }
        let value = v[k];
        if (value === undefined && ps.default !== undefined) value = structuredClone(ps.default);
        if (value === undefined) {
            if (s.required?.includes(k)) fail(o, at(k), `missing (expected ${describe(ps)})`);
            continue;
        }
        const r = check(ps, value, at(k), o);
        if (r !== undefined) out[k] = r;
    }
    for (const [k, value] of Object.entries(v)) {
        if (k in props) continue;
        const extra = s.additionalProperties;
        if (extra === true) out[k] = value;
        else if (typeof extra === 'object') {
            const r = check(extra, value, at(k), o);
            if (r !== undefined) out[k] = r;
        } else {
            const hint = suggest(k, Object.keys(props));
            fail(o, at(k), `unknown key${hint ? ` (did you mean '${hint}'?)` : ''}`);
        }
    }
    return out;
}

function checkOneOf(s: Schema, v: unknown, path: string, o: ValidateOptions): unknown {
    const options = s.oneOf ?? [];
    const tag = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).type : undefined;
    const names = options.map((x) => x.properties?.type?.const).filter((x) => x !== undefined);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(o, path, 'expected an object');
    if (tag === undefined) return fail(o, `${path}.type`, `missing (one of ${names.join(', ')})`);
    const branch = options.find((x) => x.properties?.type?.const === tag);
    if (!branch) return fail(o, `${path}.type`, `expected one of ${names.join(', ')} (got ${show(tag)})`);
    return check(branch, v, path, o);
}

function checkAnyOf(s: Schema, v: unknown, path: string, o: ValidateOptions): unknown {
    for (const alt of s.anyOf ?? []) {
        const trial: ValidateOptions = { ...o, errors: [] };
        const r = check(alt, v, path, trial);
        if (trial.errors.length === 0) return r;
    }
    return fail(o, path, `expected ${(s.anyOf ?? []).map(describe).join(' or ')}${s.writeOnly ? '' : ` (got ${show(v)})`}`);
}

function checkString(s: Schema, v: string, path: string, o: ValidateOptions): string | undefined {
    if (s.minLength !== undefined && v.length < s.minLength) return fail(o, path, s.minLength === 1 ? 'must not be empty' : `must have at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && v.length > s.maxLength) return fail(o, path, `must have at most ${s.maxLength} characters`);
    if (s.format !== undefined && v !== '') {
        const check = o.formats[s.format];
        const problem = check ? check(v) : null;
        if (problem !== null) return fail(o, path, problem);
    }
    return v;
}

/** Validates `v` against `s`; returns the cleaned value (defaults filled) or undefined on error. */
export function check(s: Schema, v: unknown, path: string, o: ValidateOptions): unknown {
    if (s.oneOf) return checkOneOf(s, v, path, o);
    if (s.anyOf) return checkAnyOf(s, v, path, o);
    if (!typeOk(s, v)) return fail(o, path, `expected ${describe(s)}${s.writeOnly || typeof v === 'object' ? '' : ` (got ${show(v)})`}`);
    if (s.const !== undefined && v !== s.const) return fail(o, path, `expected ${show(s.const)}${s.writeOnly ? '' : ` (got ${show(v)})`}`);
    if (s.enum && !s.enum.includes(v as string | number)) return fail(o, path, `expected one of ${s.enum.join(', ')}${s.writeOnly ? '' : ` (got ${show(v)})`}`);
    if (typeof v === 'number') {
        if ((s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum)) {
            return fail(o, path, `expected ${describe(s)} (got ${v})`);
        }
        return v;
    }
    if (typeof v === 'string') return checkString(s, v, path, o);
    if (Array.isArray(v)) {
        if (s.maxItems !== undefined && v.length > s.maxItems) return fail(o, path, `at most ${s.maxItems} entries allowed`);
        if (s.minItems !== undefined && v.length < s.minItems) return fail(o, path, `needs at least ${s.minItems} ${s.minItems === 1 ? 'entry' : 'entries'}`);
        const out: unknown[] = [];
        const before = o.errors.length;
        v.forEach((x, i) => {
            out.push(s.items ? check(s.items, x, `${path}[${i}]`, o) : x);
        });
        return o.errors.length > before ? undefined : out;
    }
    if (s.type === 'object') return checkObject(s, v as Record<string, unknown>, path, o);
    return v;
}
