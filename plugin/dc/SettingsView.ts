// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.SettingsView: the daemon's settings as a form built from its JSON Schema.
 * Validation messages of the daemon (400) are shown on top and on the field they name; secrets
 * are write-only ("(set)" / "(not set)"). Read-only users see the values but cannot save.
 */

import type { SettingsResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { buildForm, collectUpdate, defaultItem, displayValue, type FieldInput, type FieldSpec, fieldsOf, type FormNode, getPath, objectVariants, pathOfError, setPath } from '../schema-form.ts';
import { bindTaskLinks, type LazyViewCmp } from './lazy.ts';
import { errorHtml, gone, guarded, isApiError } from './model.ts';

type Controls = Map<string, { spec: FieldSpec; input: ExtComponent; remove?: ExtComponent }>;

function fieldConfig(ctx: PluginContext, spec: FieldSpec, readOnly: boolean, controls: Controls): ExtConfig {
    const { t } = ctx.i18n;
    const base: ExtConfig = { fieldLabel: ctx.html(spec.label), labelWidth: 220, anchor: '100%', readOnly, allowBlank: !spec.required };
    if (spec.help) base.afterSubTpl = `<div class="pbh-meta">${ctx.html(spec.help)}</div>`;
    const register = (key: 'input' | 'remove') => ({
        afterrender: (cmp: ExtComponent) => {
            const entry = controls.get(spec.path) ?? { spec, input: cmp };
            entry[key] = cmp;
            controls.set(spec.path, entry);
        },
    });
    const value = displayValue(spec);
    switch (spec.kind) {
        case 'secret':
            return {
                xtype: 'fieldcontainer', fieldLabel: ctx.html(spec.label), labelWidth: 220, anchor: '100%', layout: 'hbox',
                items: [
                    { xtype: 'textfield', inputType: 'password', flex: 1, readOnly, emptyText: spec.secretSet ? t('(set)') : t('(not set)'), listeners: register('input'), inputAttrTpl: 'autocomplete="new-password"' },
                    ...(spec.secretSet && !readOnly ? [{ xtype: 'checkbox', boxLabel: t('Remove'), margin: '0 0 0 8', listeners: register('remove') }] : []),
                ],
            };
        case 'boolean': {
            // The help as the box label: below a checkbox it would overlap the box.
            const { afterSubTpl: _below, ...rest } = base;
            return { ...rest, xtype: 'checkbox', value: value === true, ...(spec.help ? { boxLabel: `<span class="pbh-meta">${ctx.html(spec.help)}</span>` } : {}), listeners: register('input') };
        }
        case 'integer':
        case 'number':
            return { ...base, xtype: 'numberfield', value, allowDecimals: spec.kind === 'number', ...(spec.min !== undefined ? { minValue: spec.min } : {}), ...(spec.max !== undefined ? { maxValue: spec.max } : {}), listeners: register('input') };
        case 'enum':
            return { ...base, xtype: 'combobox', editable: false, value, store: (spec.options ?? []).map((o) => [o, String(o)]), listeners: register('input') };
        case 'json':
            return { ...base, xtype: 'textarea', value, height: 80, listeners: register('input') };
        case 'const':
            return { fieldLabel: ctx.html(spec.label), labelWidth: 220, xtype: 'displayfield', value: ctx.html(value) };
        case 'union':
            // Type a value or pick one of the fixed words (e.g. a number of minutes, or "auto").
            return { ...base, xtype: 'combobox', editable: !readOnly, forceSelection: false, queryMode: 'local', value, store: (spec.options ?? []).map((o) => [String(o), String(o)]), listeners: register('input') };
        default:
            return { ...base, xtype: 'textfield', value, ...(spec.pattern ? { regex: safeRegex(spec.pattern), regexText: ctx.i18n.f('Must match {0}', spec.pattern) } : {}), listeners: register('input') };
    }
}

function safeRegex(pattern: string): RegExp | undefined {
    try {
        return new RegExp(pattern);
    } catch {
        return undefined;
    }
}

interface Actions {
    add(path: string, item: Record<string, unknown>): void;
    remove(path: string, index: number): void;
}

function nodesConfig(ctx: PluginContext, nodes: FormNode[], readOnly: boolean, controls: Controls, actions: Actions): ExtConfig[] {
    const { t } = ctx.i18n;
    return nodes.map((n) => {
        if (n.type === 'field') return fieldConfig(ctx, n.field, readOnly, controls);
        const items = nodesConfig(ctx, n.children, readOnly, controls, actions);
        if (n.arrayItem !== undefined && !readOnly) {
            const parent = n.path.slice(0, n.path.lastIndexOf('.'));
            const index = n.arrayItem;
            items.push({ xtype: 'button', ui: 'default-toolbar', text: t('Remove'), iconCls: 'fa fa-trash-o', margin: '0 0 8 0', handler: guarded(ctx, 'remove failed', () => actions.remove(parent, index)) });
        }
        if (n.array && !readOnly) {
            const { path, item } = n.array;
            const variants = objectVariants(item);
            const button: ExtConfig = { xtype: 'button', itemId: 'add', ui: 'default-toolbar', text: t('Add'), iconCls: 'fa fa-plus', margin: '0 0 8 0' };
            // Items of several kinds (notification targets): the kind is chosen from a menu.
            if (variants) {
                button.menu = variants.map((v, i) => ({ text: ctx.html(typeof v.title === 'string' ? v.title : String(i + 1)), handler: guarded(ctx, 'add failed', () => actions.add(path, defaultItem(v))) }));
            } else button.handler = guarded(ctx, 'add failed', () => actions.add(path, defaultItem(item)));
            items.push(button);
        }
        return { xtype: 'fieldset', title: ctx.html(n.title), collapsible: false, items, ...(n.help ? { afterSubTpl: `<div class="pbh-meta">${ctx.html(n.help)}</div>` } : {}) };
    });
}

function inputsOf(controls: Controls): Map<string, FieldInput> {
    const out = new Map<string, FieldInput>();
    for (const [path, c] of controls) {
        if (gone(c.input)) continue;
        if (c.spec.kind === 'secret') out.set(path, { secret: String(c.input.getValue() ?? ''), remove: c.remove?.getValue() === true });
        else out.set(path, { value: c.input.getValue() });
    }
    return out;
}

export function defineSettingsView(ctx: PluginContext): void {
    const { t, f } = ctx.i18n;
    Ext.define('BackupHealth.dc.SettingsView', {
        extend: 'Ext.panel.Panel',
        alias: 'widget.backupHealthSettingsView',
        scrollable: true,
        bodyPadding: 10,
        initComponent: function (this: LazyViewCmp) {
            let current: SettingsResponse | undefined;
            let working: Record<string, unknown> = {};
            let controls: Controls = new Map();
            const message = (html: string) => this.down('#message')?.update(html);
            const render = () => {
                const form = this.down('#form');
                if (!form || !current) return;
                const readOnly = this.pbhModel?.canModify !== true || !current.writable;
                controls = new Map();
                const nodes = buildForm(current.schema, working, current.secretsSet);
                form.removeAll(true);
                form.add(nodesConfig(ctx, nodes, readOnly, controls, {
                    add: (path, item) => edit(() => setPath(working, path, [...((getPath(working, path) as unknown[]) ?? []), item])),
                    remove: (path, i) => edit(() => setPath(working, path, ((getPath(working, path) as unknown[]) ?? []).filter((_x, j) => j !== i))),
                }));
                this.down('#save')?.setHidden(readOnly);
                const notes = [f('Stored in {0}', current.path)];
                if (!current.writable) notes.push(t('The settings cannot be written right now (the cluster file system is read-only without quorum).'));
                this.down('#info')?.update(ctx.html(notes.join(' · ')));
            };
            // Adding or removing list items re-renders the form from the values typed so far.
            const edit = (change: () => void) => {
                if (!current) return;
                working = collectUpdate(working, fieldsOf(buildForm(current.schema, working, current.secretsSet)), inputsOf(controls)).settings;
                change();
                render();
            };
            const save = async () => {
                if (!current) return;
                let update: ReturnType<typeof collectUpdate>;
                try {
                    update = collectUpdate(working, [...controls.values()].map((c) => c.spec), inputsOf(controls));
                } catch (e) {
                    message(errorHtml(ctx, e));
                    return;
                }
                this.setLoading(t('Saving…'));
                try {
                    current = await ctx.api.put<SettingsResponse>('/settings', update);
                    working = JSON.parse(JSON.stringify(current.settings ?? {}));
                    message(`<div class="pbh-error"><i class="fa fa-check good"></i>${ctx.html(t('Saved.'))}</div>`);
                    render();
                } catch (e) {
                    message(errorHtml(ctx, e));
                    if (isApiError(e) && e.kind === 'bad-request') {
                        for (const part of e.message.split('; ')) {
                            const path = pathOfError(part);
                            const control = path ? controls.get(path) : undefined;
                            if (control && !gone(control.input)) control.input.markInvalid(part);
                        }
                    }
                } finally {
                    if (!gone(this)) this.setLoading(false);
                }
            };
            this.tbar = [
                { text: t('Save'), itemId: 'save', iconCls: 'fa fa-floppy-o', hidden: true, handler: guarded(ctx, 'save failed', save) },
                { text: t('Revert'), itemId: 'revert', iconCls: 'fa fa-undo', handler: guarded(ctx, 'reload failed', () => this.pbhLoad?.()) },
                '->',
                { xtype: 'component', itemId: 'info', html: '' },
            ];
            this.items = [
                { xtype: 'component', itemId: 'message', html: '' },
                { xtype: 'container', itemId: 'form', layout: 'anchor', maxWidth: 900, items: [] },
            ];
            this.pbhLoad = async () => {
                try {
                    const res = await ctx.api.get<SettingsResponse>('/settings');
                    if (gone(this)) return;
                    current = res;
                    working = JSON.parse(JSON.stringify(res.settings ?? {}));
                    message('');
                    render();
                } catch (e) {
                    if (!gone(this)) message(errorHtml(ctx, e));
                }
            };
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            bindTaskLinks(ctx, this);
        },
        // Only on activation and "Revert": a periodic refresh must not wipe what is being typed.
        pbhUpdate: function (this: LazyViewCmp, model: LazyViewCmp['pbhModel']) {
            if (model) this.pbhModel = model;
        },
    });
}
