// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The settings form as data: the daemon's JSON Schema (a draft 2020-12 subset: object,
 * properties, required, type, enum, const, minimum, maximum, pattern, title, description, default,
 * items, writeOnly, anyOf/oneOf of scalars — "a number or `auto`" —, and arrays whose items are
 * oneOf objects told apart by a `const` property — notification targets by `type`) plus the
 * current settings become a tree of field specs; the entered values become a SettingsUpdate.
 * Secrets (`writeOnly: true`, or `format: "password"`) are never filled in: the form says whether
 * one is set, and only a typed value (or an explicit removal) is sent.
 */

import type { SettingsUpdate } from '../src/contract/http-api.ts';

/** `const`: shown, not edited (a target's type); `union`: text that may be a number or a fixed word. */
export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'secret' | 'json' | 'const' | 'union';

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
    /** For `const` fields: what to show instead of the raw value (the schema's title). */
    text?: string;
    /** For unions: which free values besides `options` are accepted. */
    accepts?: ('integer' | 'number' | 'string')[];
}

export type FormNode =
    | { type: 'field'; field: FieldSpec }
    | { type: 'group'; path: string; title: string; help?: string; children: FormNode[]; arrayItem?: number; array?: { path: string; item: Schema } };

export type Schema = { [key: string]: unknown };

function asSchema(x: unknown): Schema {
    return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Schema) : {};
}

/** The branches of an anyOf/oneOf, if the schema is one. */
function branches(s: Schema): Schema[] | undefined {
    const list = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
    return list?.map(asSchema);
}

/** The object variants of a oneOf (each with properties), or undefined. */
export function objectVariants(s: Schema): Schema[] | undefined {
    const list = branches(s);
    return list && list.length > 0 && list.every((b) => typeOf(b) === 'object' && b.properties) ? list : undefined;
}

/** The variant an existing value belongs to: every `const` property of it matches. */
function variantOf(variants: readonly Schema[], value: unknown): Schema | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    return variants.find((v) => {
        const consts = Object.entries(asSchema(v.properties)).filter(([, p]) => asSchema(p).const !== undefined);
        return consts.length > 0 && consts.every(([k, p]) => (value as Record<string, unknown>)[k] === asSchema(p).const);
    });
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
    const alternatives = branches(s);
    if (isSecret(s)) {
        spec.kind = 'secret';
        spec.value = undefined;
    } else if (s.const !== undefined) {
        spec.kind = 'const';
        spec.label = humanize(key);
        spec.value = s.const;
        if (typeof s.title === 'string') spec.text = s.title;
    } else if (alternatives?.every((b) => b.const !== undefined || Array.isArray(b.enum) || ['integer', 'number', 'string'].includes(typeOf(b)))) {
        spec.kind = 'union';
        spec.options = alternatives.flatMap((b) => (b.const !== undefined ? [b.const] : Array.isArray(b.enum) ? b.enum : [])).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
        spec.accepts = [...new Set(alternatives.filter((b) => b.const === undefined && !Array.isArray(b.enum)).map((b) => typeOf(b) as 'integer' | 'number' | 'string'))];
        const bounds = alternatives.find((b) => typeOf(b) === 'integer' || typeOf(b) === 'number');
        if (typeof bounds?.minimum === 'number') spec.min = bounds.minimum;
        if (typeof bounds?.maximum === 'number') spec.max = bounds.maximum;
    } else if (Array.isArray(s.enum)) {
        spec.kind = 'enum';
        spec.options = s.enum.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
    } else if (type === 'integer' || type === 'number' || type === 'boolean' || type === 'string') spec.kind = type;
    else if (type === 'array' && ['string', 'integer', 'number'].includes(typeOf(asSchema(s.items)))) spec.kind = 'list';
    else spec.kind = 'json';
    if (typeof s.minimum === 'number') spec.min = s.minimum;
    if (typeof s.maximum === 'number') spec.max = s.maximum;
    if (typeof s.pattern === 'string') spec.pattern = s.pattern;
    if (spec.value === undefined && s.default !== undefined && spec.kind !== 'secret' && spec.kind !== 'const') spec.value = s.default;
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
        } else if (type === 'array' && ((typeOf(asSchema(s.items)) === 'object' && asSchema(s.items).properties) || objectVariants(asSchema(s.items)))) {
            const item = asSchema(s.items);
            const variants = objectVariants(item);
            const list = getPath(settings, path);
            const children: FormNode[] = (Array.isArray(list) ? list : []).map((entry, i) => {
                const itemPath = `${path}.${i}`;
                const shape = variants ? variantOf(variants, entry) : item;
                const name = typeof (entry as { name?: unknown })?.name === 'string' ? `: ${(entry as { name: string }).name}` : '';
                const label = typeof shape?.title === 'string' ? shape.title : typeof item.title === 'string' ? item.title : title;
                // An entry of no known variant is still editable, as JSON.
                const children = shape
                    ? buildForm(shape, settings, secretsSet, itemPath)
                    : [{ type: 'field' as const, field: { ...field({ title: label }, itemPath, key, true, settings, secrets), kind: 'json' as const } }];
                return { type: 'group' as const, path: itemPath, title: `${label} ${i + 1}${name}`, arrayItem: i, children };
            });
            out.push({ type: 'group', path, title, children, array: { path, item } });
        } else if (s.const !== undefined && typeof s.title !== 'string') {
            // A fixed value without a title (the settings version): nothing to show or edit.
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

/** A new empty array item with the schema's defaults (for a oneOf item: of the variant given). */
export function defaultItem(item: Schema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(asSchema(item.properties))) {
        const s = asSchema(raw);
        if (s.const !== undefined) out[key] = s.const;
        else if (s.default !== undefined) out[key] = s.default;
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
        case 'union':
            return parseUnion(spec, String(raw).trim());
        default:
            return raw;
    }
}

function parseUnion(spec: FieldSpec, text: string): unknown {
    const fixed = (spec.options ?? []).find((o) => String(o) === text);
    if (fixed !== undefined) return fixed;
    const accepts = spec.accepts ?? [];
    if (accepts.includes('integer') && /^-?\d+$/.test(text)) return Number(text);
    if (accepts.includes('number') && text !== '' && Number.isFinite(Number(text))) return Number(text);
    if (accepts.includes('string')) return text;
    const choices = [...(accepts.includes('integer') || accepts.includes('number') ? ['a number'] : []), ...(spec.options ?? []).map((o) => `'${o}'`)];
    throw new Error(`${spec.label}: expected ${choices.join(' or ')}`);
}

/** Builds the PUT body: the edited settings (unknown keys kept) and only the secrets that change. */
export function collectUpdate(base: unknown, specs: readonly FieldSpec[], inputs: ReadonlyMap<string, FieldInput>): SettingsUpdate {
    const settings = JSON.parse(JSON.stringify(base ?? {})) as Record<string, unknown>;
    const secrets: Record<string, string> = {};
    for (const spec of specs) {
        const input = inputs.get(spec.path);
        // A fixed value is never edited: the base already holds it.
        if (!input || spec.kind === 'const') continue;
        if ('secret' in input) {
            if (input.secret !== '') secrets[spec.path] = input.secret;
            else if (input.remove && spec.secretSet) secrets[spec.path] = '';
            continue;
        }
        setPath(settings, spec.path, parseValue(spec, input.value));
    }
    return Object.keys(secrets).length > 0 ? { settings, secrets } : { settings };
}

/**
 * The settings path a validation message starts with (`a.b.0.c: must be …`, or the daemon's
 * `a.b[0].c: …`) in the form's dotted notation, if any.
 */
export function pathOfError(message: string): string | undefined {
    const m = /^(?:settings\.)?([A-Za-z_][\w-]*(?:(?:\.[\w-]+)|(?:\[\d+\]))*)\s*:/.exec(message.trim());
    return m?.[1]?.replace(/\[(\d+)\]/g, '.$1');
}

/** Display text of a value for text inputs (lists comma-separated, objects as JSON). */
export function displayValue(spec: FieldSpec): unknown {
    const v = spec.value;
    if (spec.kind === 'list' && Array.isArray(v)) return v.join(', ');
    if (spec.kind === 'json' && v !== undefined) return JSON.stringify(v, null, 2);
    if (spec.kind === 'union' && v !== undefined && v !== null) return String(v);
    if (spec.kind === 'const') return spec.text ?? String(v);
    return v;
}
