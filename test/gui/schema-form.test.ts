// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema-driven settings form as data (plugin/schema-form.ts): fields from the JSON Schema,
// secrets never filled in, the PUT body, validation paths — on a small schema and on the
// daemon's own (src/config/schema.ts).
import { describe, expect, it } from 'vitest';
import { buildForm, collectUpdate, defaultItem, displayValue, type FieldInput, type FormNode, fieldsOf, objectVariants, parseValue, pathOfError } from '../../plugin/schema-form.ts';
import { settingsJsonSchema, validateConfig } from '../../src/config/schema.ts';
import { initialSettings, SETTINGS_SCHEMA } from './fake-data.ts';

const secrets = ['notifications.targets.0.token'];

describe('schema-driven settings form', () => {
    const nodes = buildForm(SETTINGS_SCHEMA, initialSettings(), secrets);
    const fields = fieldsOf(nodes);
    const byPath = new Map(fields.map((f) => [f.path, f]));

    it('makes a field per property, groups for objects and one group per array item', () => {
        expect(byPath.get('intervalSeconds')).toMatchObject({ kind: 'integer', min: 60, max: 86400, required: true, value: 900, help: 'How often the cluster is checked.' });
        expect(byPath.get('language')).toMatchObject({ kind: 'enum', options: ['en', 'de', 'it'] });
        expect(byPath.get('evaluation.ignoreTag')).toMatchObject({ kind: 'string', pattern: '^[a-z0-9_-]+$', value: 'nobackup' });
        expect(byPath.get('notifications.targets.1.name')?.value).toBe('webhook-ops');
        expect(byPath.get('notifications.targets.0.enabled')).toMatchObject({ kind: 'boolean', value: true });
        const targets = nodes.find((n) => n.type === 'group' && n.path === 'notifications');
        expect(targets?.type === 'group' && targets.children[0]?.type === 'group' && targets.children[0].array?.path).toBe('notifications.targets');
    });

    it('never fills in a secret, but says whether one is set', () => {
        expect(byPath.get('notifications.targets.0.token')).toMatchObject({ kind: 'secret', secretSet: true, value: undefined });
        expect(byPath.get('notifications.targets.1.token')).toMatchObject({ kind: 'secret', secretSet: false });
    });

    it('builds the update: edited values, unknown keys kept, only changed secrets', () => {
        const inputs = new Map<string, FieldInput>([
            ['intervalSeconds', { value: '600' }],
            ['evaluation.ignoreTag', { value: 'skip' }],
            ['notifications.targets.0.token', { secret: '', remove: false }],
            ['notifications.targets.1.token', { secret: 'tok-2', remove: false }],
        ]);
        const base = { ...initialSettings(), extra: { kept: true } };
        const update = collectUpdate(base, fields, inputs);
        expect(update.settings.intervalSeconds).toBe(600);
        expect((update.settings.evaluation as { ignoreTag: string }).ignoreTag).toBe('skip');
        expect(update.settings.extra).toEqual({ kept: true });
        expect(update.secrets).toEqual({ 'notifications.targets.1.token': 'tok-2' });
        const removal = collectUpdate(base, fields, new Map([['notifications.targets.0.token', { secret: '', remove: true }]]));
        expect(removal.secrets).toEqual({ 'notifications.targets.0.token': '' });
        expect(collectUpdate(base, fields, new Map()).secrets).toBeUndefined();
    });

    it('parses control values by kind and names the field on bad input', () => {
        const interval = byPath.get('intervalSeconds')!;
        expect(() => parseValue(interval, '1.5')).toThrow('Check interval (seconds): not a number');
        expect(parseValue({ ...interval, kind: 'list' }, 'a, b\nc')).toEqual(['a', 'b', 'c']);
        expect(() => parseValue({ ...interval, kind: 'json' }, '{')).toThrow('not valid JSON');
        expect(parseValue({ ...interval, kind: 'boolean' }, '')).toBe(false);
        expect(parseValue(interval, '')).toBeUndefined();
    });

    it('finds the settings path a validation message names', () => {
        expect(pathOfError('intervalSeconds: must be an integer of at least 60')).toBe('intervalSeconds');
        expect(pathOfError('notifications.targets.0.name: a target needs a name')).toBe('notifications.targets.0.name');
        expect(pathOfError('settings.historyDays: too large')).toBe('historyDays');
        expect(pathOfError('notifications.targets[1].url: expected an http(s) URL')).toBe('notifications.targets.1.url');
        expect(pathOfError('the settings file is locked')).toBeUndefined();
    });

    it('creates new array items from the schema defaults', () => {
        const item = (SETTINGS_SCHEMA.properties.notifications.properties.targets as { items: Record<string, unknown> }).items;
        expect(defaultItem(item)).toEqual({ type: 'ntfy', enabled: true });
    });
});

describe('settings form on the daemon’s own schema', () => {
    const schema = settingsJsonSchema();
    const settings = {
        version: 1,
        checkIntervalSeconds: 60,
        graceMinutes: 'auto',
        notifications: {
            targets: [
                { type: 'webhook', name: 'hook', url: 'http://127.0.0.1:1/hook' },
                { type: 'ntfy', name: 'phone', topic: 'backups' },
                { type: 'carrier-pigeon', name: 'odd' },
            ],
        },
    };
    const nodes = buildForm(schema, settings, ['notifications.targets.1.token']);
    const fields = fieldsOf(nodes);
    const byPath = new Map(fields.map((f) => [f.path, f]));
    type Group = Extract<FormNode, { type: 'group' }>;
    const group = (list: readonly FormNode[], path: string) => list.find((n): n is Group => n.type === 'group' && n.path === path);
    const targets = group(group(nodes, 'notifications')?.children ?? [], 'notifications.targets');

    it('leaves the fixed version out and takes "a number or auto" as typed text', () => {
        expect(byPath.has('version')).toBe(false);
        const grace = byPath.get('graceMinutes')!;
        expect(grace).toMatchObject({ kind: 'union', options: ['auto'], accepts: ['integer'], min: 30, max: 1440, value: 'auto' });
        expect(parseValue(grace, ' 45 ')).toBe(45);
        expect(parseValue(grace, 'auto')).toBe('auto');
        expect(() => parseValue(grace, 'soon')).toThrow("Grace period (minutes): expected a number or 'auto'");
        expect(displayValue({ ...grace, value: 90 })).toBe('90');
    });

    it('builds each notification target from its own kind, with the kind shown and secrets write-only', () => {
        expect(targets?.children.map((c) => c.type === 'group' && c.title)).toEqual(['Webhook 1: hook', 'ntfy 2: phone', 'Targets 3: odd']);
        const kind = byPath.get('notifications.targets.0.type')!;
        expect(kind).toMatchObject({ kind: 'const', label: 'Type', value: 'webhook' });
        expect(displayValue(kind)).toBe('Webhook');
        expect(byPath.get('notifications.targets.0.hmacSecret')).toMatchObject({ kind: 'secret', secretSet: false, value: undefined });
        expect(byPath.get('notifications.targets.1.token')).toMatchObject({ kind: 'secret', secretSet: true, value: undefined });
        expect(byPath.get('notifications.targets.1.server')).toMatchObject({ kind: 'string', value: 'https://ntfy.sh' });
        expect(byPath.has('notifications.targets.1.url')).toBe(false);
        // A kind this GUI does not know is still there, as JSON.
        expect(byPath.get('notifications.targets.2')).toMatchObject({ kind: 'json', value: { type: 'carrier-pigeon', name: 'odd' } });
        const variants = objectVariants(targets?.array?.item ?? {}) ?? [];
        expect(variants.map((v) => v.title)).toContain('Telegram');
        expect(defaultItem(variants.find((v) => v.title === 'ntfy')!)).toEqual({ type: 'ntfy', enabled: true, server: 'https://ntfy.sh' });
    });

    it('saves what it shows unchanged: the daemon accepts the form’s update', () => {
        const known = { ...settings, notifications: { targets: settings.notifications.targets.slice(0, 2) } };
        const form = fieldsOf(buildForm(schema, known, []));
        // What the controls hand back when nothing was touched.
        const inputs = new Map<string, FieldInput>(form.map((f) => [f.path, f.kind === 'secret' ? { secret: '', remove: false } : { value: f.kind === 'boolean' ? f.value === true : displayValue(f) ?? '' }]));
        const update = collectUpdate(known, form, inputs);
        const checked = validateConfig(update.settings);
        expect(checked.ok ? [] : checked.errors).toEqual([]);
        expect(update.settings.graceMinutes).toBe('auto');
        expect(update.settings.version).toBe(1);
        expect(update.secrets).toBeUndefined();
    });
});
