// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema-driven settings form as data (plugin/schema-form.ts): fields from the JSON Schema,
// secrets never filled in, the PUT body, validation paths.
import { describe, expect, it } from 'vitest';
import { buildForm, collectUpdate, defaultItem, type FieldInput, fieldsOf, parseValue, pathOfError } from '../../plugin/schema-form.ts';
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
        expect(pathOfError('the settings file is locked')).toBeUndefined();
    });

    it('creates new array items from the schema defaults', () => {
        const item = (SETTINGS_SCHEMA.properties.notifications.properties.targets as { items: Record<string, unknown> }).items;
        expect(defaultItem(item)).toEqual({ type: 'ntfy', enabled: true });
    });
});
