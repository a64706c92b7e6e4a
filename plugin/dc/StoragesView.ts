// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.StoragesView: the storages that hold backups, their usage, when they will be
 * full at the current growth (a least-squares line through the usage history), and whether
 * pruning keeps up (retention problems).
 */

import type { HistoryResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { projectFull, storageSamples } from '../figures.ts';
import { statusIconCls } from '../view-logic.ts';
import { errorHtml, gone, type HealthModel } from './model.ts';
import { bindTaskLinks, lazyView, type LazyViewCmp } from './lazy.ts';
import { qtip } from './render.ts';

const HISTORY_DAYS = 30;

function rows(model: HealthModel | undefined, points: unknown[], now: number): ExtConfig[] {
    const report = model?.report;
    if (!report) return [];
    return report.storages.map((s) => {
        const problems = report.problems.filter((p) => p.storage === s.storage && p.remote === s.remote && (s.shared || p.node === undefined || p.node === s.node));
        const retention = problems.filter((p) => p.code === 'retention-violation');
        const full = s.total !== undefined ? projectFull(storageSamples(points, s.storage, s.node, s.remote), s.total, now) : undefined;
        return {
            remote: s.remote ?? '', storage: s.storage, node: s.shared ? '' : s.node, shared: s.shared, type: s.type, status: s.status,
            usedFraction: s.usedFraction ?? null, used: s.used ?? null, total: s.total ?? null, backups: s.backups,
            full: full ?? null, retention: retention.length, retentionText: retention.map((p) => p.message).join('\n'),
            messages: problems.map((p) => p.message).join('\n'),
        };
    });
}

function columns(ctx: PluginContext): ExtConfig[] {
    const { t, f } = ctx.i18n;
    return [
        {
            text: '', dataIndex: 'status', width: 32, menuDisabled: true,
            renderer: (v: unknown, meta: { tdAttr?: string }, rec: ExtRecord) => {
                if (rec.get('messages')) meta.tdAttr = qtip(ctx, String(rec.get('messages')));
                return `<i class="${statusIconCls(v as 'ok')}"></i>`;
            },
        },
        // Shown only when the daemon watches remote clusters (storage names repeat across them).
        { text: t('Cluster'), dataIndex: 'remote', width: 90, hidden: true, renderer: (v: unknown) => ctx.html(v || t('this cluster')) },
        { text: t('Storage'), dataIndex: 'storage', width: 130, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Node'), dataIndex: 'node', width: 100, renderer: (v: unknown, _m: unknown, rec: ExtRecord) => ctx.html(rec.get('shared') ? t('shared') : v) },
        { text: t('Type'), dataIndex: 'type', width: 70, renderer: (v: unknown) => ctx.html(v) },
        { xtype: 'widgetcolumn', text: t('Usage'), dataIndex: 'usedFraction', width: 150, widget: { xtype: 'progressbarwidget', textTpl: ['{percent:number("0")}%'] } },
        {
            text: t('Used'), dataIndex: 'used', width: 170,
            renderer: (v: unknown, _m: unknown, rec: ExtRecord) => (typeof v === 'number' && typeof rec.get('total') === 'number' ? ctx.html(f('{0} of {1}', ctx.bytes(v), ctx.bytes(rec.get('total') as number))) : ''),
        },
        {
            text: t('Full on'), dataIndex: 'full', width: 150,
            renderer: (v: unknown, meta: { tdAttr?: string }) => {
                meta.tdAttr = qtip(ctx, t('Projected from the usage over the last 30 days (linear fit); empty when usage is not growing or not recorded.'));
                return typeof v === 'number' ? ctx.html(`${ctx.time(v).slice(0, 10)} (${ctx.age(v)})`) : `<span class="faded">${ctx.html(t('not projected'))}</span>`;
            },
        },
        { text: t('Backups'), dataIndex: 'backups', width: 80, align: 'right' },
        {
            text: t('Retention'), dataIndex: 'retention', flex: 1,
            renderer: (v: unknown, meta: { tdAttr?: string }, rec: ExtRecord) => {
                if (!v) return `<i class="fa fa-check good"></i> ${ctx.html(t('pruning keeps up'))}`;
                meta.tdAttr = qtip(ctx, String(rec.get('retentionText')));
                return `<i class="fa fa-exclamation-triangle warning"></i> ${ctx.html(f('{0} guests keep backups the retention policy would remove', Number(v)))}`;
            },
        },
    ];
}

export function defineStoragesView(ctx: PluginContext): void {
    Ext.define('BackupHealth.dc.StoragesView', {
        extend: 'Ext.grid.Panel',
        alias: 'widget.backupHealthStoragesView',
        initComponent: function (this: LazyViewCmp & { store?: ExtStore; columns?: unknown }) {
            const store = Ext.create<ExtStore>('Ext.data.Store', {
                fields: ['remote', 'storage', 'node', 'shared', 'type', 'status', 'usedFraction', 'used', 'total', 'backups', 'full', 'retention', 'retentionText', 'messages'],
                data: [],
            });
            this.store = store;
            this.columns = columns(ctx);
            this.tbar = [{ xtype: 'component', itemId: 'note', html: '' }];
            this.pbhLoad = async () => {
                const now = ctx.now();
                let points: unknown[] = [];
                const note = this.down('#note');
                try {
                    const res = await ctx.api.get<HistoryResponse>(`/history?from=${now - HISTORY_DAYS * 86400}&to=${now}`);
                    points = Array.isArray(res.points) ? res.points : [];
                    note?.update('');
                } catch (e) {
                    note?.update(errorHtml(ctx, e));
                }
                if (gone(this)) return;
                const data = rows(this.pbhModel, points, now);
                store.loadData(data);
                this.down('gridcolumn[dataIndex=remote]')?.setHidden(!data.some((r) => r.remote));
            };
            callParentOf('Ext.grid.Panel', 'initComponent', this, arguments);
            bindTaskLinks(ctx, this);
        },
        ...lazyView(),
    });
}
