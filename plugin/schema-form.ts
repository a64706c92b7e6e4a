// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The settings form as data: the daemon's JSON Schema (a draft 2020-12 subset: object,
 * properties, required, type, enum, minimum, maximum, pattern, title, description, default, items,
 * writeOnly) plus the current settings become a tree of field specs; the entered values become a
 * SettingsUpdate. Secrets (`writeOnly: true`, or `format: "password"`) are never filled in: the
 * form says whether one is set, and only a typed value (or an explicit removal) is sent.
 */

import type { SettingsUpdate } from '../src/contract/http-api.ts';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'secret' | 'json';

export interface FieldSpec {
    kind: FieldKind;
    path: string;
    label: string;
    help?: string;
    options?: (string | number)[];
    min?: number;
    max?: number;
    pattern?: string;
    required: boolean;
    value: unknown;
    /** For secrets: whether one is stored. */
    secretSet: boolean;
}

export type FormNode =
    | { type: 'field'; field: FieldSpec }
    | { type: 'group'; path: string; title: string; help?: string; children: FormNode[]; arrayItem?: number; array?: { path: string; item: Schema } };

export type Schema = { [key: string]: unknown };

function asSchema(x: unknown): Schema {
    return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Schema) : {};
}

function typeOf(s: Schema): string {
    const t = s.type;
    if (Array.isArray(t)) return String(t.find((x) => x !== 'null') ?? 'string');
    return typeof t === 'string' ? t : s.properties ? 'object' : s.enum ? 'enum' : 'string';
}

function humanize(key: string): string {
    const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
}

export function isSecret(s: Schema): boolean {
    return s.writeOnly === true || s.format === 'password' || s['x-secret'] === true;
}

export function getPath(obj: unknown, path: string): unknown {
    let cur: unknown = obj;
    for (const key of path.split('.')) {
        if (typeof cur !== 'object' || cur === null) return undefined;
        cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
    const keys = path.split('.');
    let cur: Record<string, unknown> = obj;
    keys.forEach((key, i) => {
        if (i === keys.length - 1) {
            if (value === undefined) delete cur[key];
            else cur[key] = value;
            return;
        }
        const next = cur[key];
        if (typeof next !== 'object' || next === null) cur[key] = /^\d+$/.test(keys[i + 1] ?? '') ? [] : {};
        cur = cur[key] as Record<string, unknown>;
    });
}

function field(s: Schema, path: string, key: string, required: boolean, settings: unknown, secrets: ReadonlySet<string>): FieldSpec {
    const spec: FieldSpec = { kind: 'string', path, label: typeof s.title === 'string' ? s.title : humanize(key), required, value: getPath(settings, path), secretSet: secrets.has(path) };
    if (typeof s.description === 'string') spec.help = s.description;
    const type = typeOf(s);
    if (isSecret(s)) {
        spec.kind = 'secret';
        spec.value = undefined;
    } else if (Array.isArray(s.enum)) {
        spec.kind = 'enum';
        spec.options = s.enum.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
    } else if (type === 'integer' || type === 'number' || type === 'boolean' || type === 'string') spec.kind = type;
    else if (type === 'array' && ['string', 'integer', 'number'].includes(typeOf(asSchema(s.items)))) spec.kind = 'list';
    else spec.kind = 'json';
    if (typeof s.minimum === 'number') spec.min = s.minimum;
    if (typeof s.maximum === 'number') spec.max = s.maximum;
    if (typeof s.pattern === 'string') spec.pattern = s.pattern;
    if (spec.value === undefined && s.default !== undefined && spec.kind !== 'secret') spec.value = s.default;
    return spec;
}

/** The form tree of an object schema at `prefix` (empty for the root). */
export function buildForm(schema: Schema, settings: unknown, secretsSet: readonly string[], prefix = ''): FormNode[] {
    const secrets = new Set(secretsSet);
    const props = asSchema(schema.properties);
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const out: FormNode[] = [];
    for (const [key, raw] of Object.entries(props)) {
        const s = asSchema(raw);
        const path = prefix ? `${prefix}.${key}` : key;
        const title = typeof s.title === 'string' ? s.title : humanize(key);
        const type = typeOf(s);
        if (type === 'object' && s.properties && !isSecret(s)) {
            const g: FormNode = { type: 'group', path, title, children: buildForm(s, settings, secretsSet, path) };
            if (typeof s.description === 'string') g.help = s.description;
            out.push(g);
        } else if (type === 'array' && typeOf(asSchema(s.items)) === 'object' && asSchema(s.items).properties) {
            const item = asSchema(s.items);
            const list = getPath(settings, path);
            const children: FormNode[] = (Array.isArray(list) ? list : []).map((entry, i) => ({
                type: 'group' as const,
                path: `${path}.${i}`,
                title: `${typeof item.title === 'string' ? item.title : title} ${i + 1}${typeof (entry as { name?: unknown })?.name === 'string' ? `: ${(entry as { name: string }).name}` : ''}`,
                arrayItem: i,
                children: buildForm(item, settings, secretsSet, `${path}.${i}`),
            }));
            out.push({ type: 'group', path, title, children, array: { path, item } });
        } else {
            out.push({ type: 'field', field: field(s, path, key, required.has(key), settings, secrets) });
        }
    }
    return out;
}

/** Every field spec of a form tree, depth first. */
export function fieldsOf(nodes: readonly FormNode[]): FieldSpec[] {
    return nodes.flatMap((n) => (n.type === 'field' ? [n.field] : fieldsOf(n.children)));
}

/** A new empty array item with the schema's defaults. */
export function defaultItem(item: Schema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(asSchema(item.properties))) {
        const s = asSchema(raw);
        if (s.default !== undefined) out[key] = s.default;
        else if (Array.isArray(s.enum) && s.enum.length > 0) out[key] = s.enum[0];
    }
    return out;
}

/** What a form control holds for a field: its value, or for a secret the typed text and "remove". */
export type FieldInput = { value: unknown } | { secret: string; remove: boolean };

/** Parses one form control's value into the settings value; throws with a readable message. */
export function parseValue(spec: FieldSpec, raw: unknown): unknown {
    if (raw === '' || raw === null || raw === undefined) return spec.kind === 'boolean' ? false : undefined;
    switch (spec.kind) {
        case 'integer':
        case 'number': {
            const n = Number(raw);
            if (!Number.isFinite(n) || (spec.kind === 'integer' && !Number.isInteger(n))) throw new Error(`${spec.label}: not a number`);
            return n;
        }
        case 'boolean':
            return raw === true || raw === 'true' || raw === 'on';
        case 'list':
            return String(raw).split(/[\n,]/).map((x) => x.trim()).filter((x) => x.length > 0);
        case 'json':
            try {
                return JSON.parse(String(raw));
            } catch {
                throw new Error(`${spec.label}: not valid JSON`);
            }
        default:
            return raw;
    }
}

/** Builds the PUT body: the edited settings (unknown keys kept) and only the secrets that change. */
export function collectUpdate(base: unknown, specs: readonly FieldSpec[], inputs: ReadonlyMap<string, FieldInput>): SettingsUpdate {
    const settings = JSON.parse(JSON.stringify(base ?? {})) as Record<string, unknown>;
    const secrets: Record<string, string> = {};
    for (const spec of specs) {
        const input = inputs.get(spec.path);
        if (!input) continue;
        if ('secret' in input) {
            if (input.secret !== '') secrets[spec.path] = input.secret;
            else if (input.remove && spec.secretSet) secrets[spec.path] = '';
            continue;
        }
        setPath(settings, spec.path, parseValue(spec, input.value));
    }
    return Object.keys(secrets).length > 0 ? { settings, secrets } : { settings };
}

/** The settings path a validation message starts with (`a.b.0.c: must be …`), if any. */
export function pathOfError(message: string): string | undefined {
    const m = /^(?:settings\.)?([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*:/.exec(message.trim());
    return m?.[1];
}

/** Display text of a value for text inputs (lists comma-separated, objects as JSON). */
export function displayValue(spec: FieldSpec): unknown {
    const v = spec.value;
    if (spec.kind === 'list' && Array.isArray(v)) return v.join(', ');
    if (spec.kind === 'json' && v !== undefined) return JSON.stringify(v, null, 2);
    return v;
}
