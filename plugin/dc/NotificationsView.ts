// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.NotificationsView: where alerts go (the targets in the settings), a test
 * button, and the log of what was sent and whether the receiver took it.
 */

import type { NotificationLogResponse, NotificationTestResponse, SettingsResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { bindTaskLinks, lazyView, type LazyViewCmp } from './lazy.ts';
import { errorHtml, gone, guarded } from './model.ts';

/** Targets from the settings document: `notifications.targets` (or `targets`), items with a name. */
export function targetsOf(settings: Record<string, unknown>): { name: string; type: string; enabled: boolean }[] {
    const n = settings.notifications;
    const list = (typeof n === 'object' && n !== null && Array.isArray((n as { targets?: unknown }).targets) ? (n as { targets: unknown[] }).targets : settings.targets) as unknown;
    if (!Array.isArray(list)) return [];
    return list
        .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string')
        .map((x) => ({ name: String(x.name), type: typeof x.type === 'string' ? x.type : '', enabled: x.enabled !== false }));
}

export function defineNotificationsView(ctx: PluginContext): void {
    const { t, f } = ctx.i18n;
    Ext.define('BackupHealth.dc.NotificationsView', {
        extend: 'Ext.panel.Panel',
        alias: 'widget.backupHealthNotificationsView',
        layout: 'border',
        initComponent: function (this: LazyViewCmp) {
            const targets = Ext.create<ExtStore>('Ext.data.Store', { fields: ['name', 'type', 'enabled'], data: [] });
            const log = Ext.create<ExtStore>('Ext.data.Store', { fields: ['at', 'target', 'kind', 'subject', 'ok', 'error', 'problems'], data: [] });
            const test = async (target?: string) => {
                this.setLoading(t('Sending…'));
                try {
                    const res = await ctx.api.post<NotificationTestResponse>('/notifications/test', target === undefined ? {} : { target });
                    const lines = res.results.map((r) => (r.ok ? `<i class="fa fa-check good"></i> ${ctx.html(r.target)}` : `<i class="fa fa-times critical"></i> ${ctx.html(r.target)}: ${ctx.html(r.error ?? '')}`));
                    Ext.Msg.alert(t('Test notification'), lines.join('<br>') || ctx.html(t('No targets.')));
                } catch (e) {
                    Ext.Msg.alert(t('Error'), ctx.html(e instanceof Error ? e.message : String(e)));
                } finally {
                    if (!gone(this)) {
                        this.setLoading(false);
                        await this.pbhLoad?.();
                    }
                }
            };
            this.items = [
                {
                    xtype: 'grid', itemId: 'targets', region: 'north', height: 200, split: true, title: t('Targets'), store: targets,
                    viewConfig: { emptyText: ctx.html(t('No notification targets are configured (see Settings).')), deferEmptyText: false },
                    columns: [
                        { text: t('Name'), dataIndex: 'name', flex: 1, renderer: (v: unknown) => ctx.html(v) },
                        { text: t('Type'), dataIndex: 'type', width: 140, renderer: (v: unknown) => ctx.html(v) },
                        { text: t('Enabled'), dataIndex: 'enabled', width: 80, renderer: (v: unknown) => (v ? '<i class="fa fa-check good"></i>' : '<i class="fa fa-ban faded"></i>') },
                    ],
                    tbar: [
                        { text: t('Test'), itemId: 'test', iconCls: 'fa fa-paper-plane-o', hidden: true, handler: guarded(ctx, 'test failed', () => {
                            const sel = this.down('#targets')?.getSelection()[0];
                            return test(sel ? String(sel.get('name')) : undefined);
                        }) },
                        { text: t('Test all'), itemId: 'testAll', iconCls: 'fa fa-paper-plane', hidden: true, handler: guarded(ctx, 'test failed', () => test()) },
                        { xtype: 'component', itemId: 'error', html: '' },
                    ],
                },
                {
                    xtype: 'grid', itemId: 'log', region: 'center', title: t('Sent messages'), store: log,
                    viewConfig: { emptyText: ctx.html(t('Nothing sent yet.')), deferEmptyText: false },
                    columns: [
                        { text: t('Time'), dataIndex: 'at', width: 140, renderer: (v: unknown) => ctx.html(ctx.time(v as number)) },
                        { text: t('Target'), dataIndex: 'target', width: 130, renderer: (v: unknown) => ctx.html(v) },
                        { text: t('Kind'), dataIndex: 'kind', width: 90, renderer: (v: unknown) => ctx.html(t(String(v))) },
                        { text: t('Delivered'), dataIndex: 'ok', width: 200, renderer: (v: unknown, _m: unknown, rec: ExtRecord) => (v ? '<i class="fa fa-check good"></i>' : `<i class="fa fa-times critical"></i> ${ctx.html(rec.get('error'))}`) },
                        { text: t('Subject'), dataIndex: 'subject', flex: 1, renderer: (v: unknown) => ctx.html(v) },
                    ],
                },
            ];
            this.pbhLoad = async () => {
                const canModify = this.pbhModel?.canModify === true;
                this.down('#test')?.setHidden(!canModify);
                this.down('#testAll')?.setHidden(!canModify);
                const [settings, entries] = await Promise.allSettled([ctx.api.get<SettingsResponse>('/settings'), ctx.api.get<NotificationLogResponse>('/notifications/log')]);
                if (gone(this)) return;
                const errors: unknown[] = [];
                if (settings.status === 'fulfilled') targets.loadData(targetsOf(settings.value.settings ?? {}));
                else errors.push(settings.reason);
                if (entries.status === 'fulfilled') log.loadData(entries.value.entries as unknown as ExtConfig[]);
                else errors.push(entries.reason);
                this.down('#error')?.update(errors.map((e) => errorHtml(ctx, e)).join(''));
                this.down('#log')?.setTitle(f('Sent messages ({0})', log.getCount()));
            };
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            bindTaskLinks(ctx, this);
        },
        ...lazyView(),
    });
}
