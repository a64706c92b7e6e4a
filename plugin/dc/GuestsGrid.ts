// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.GuestsGrid: every guest with its backup state, in ExtJS's buffered grid (only
 * the visible rows are in the DOM, so 10 000 guests stay fast). "Problems only", a search field and
 * grouping by node or job; a double click explains the verdict.
 */

import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import type { Status } from '../../src/domain/model.ts';
import { type GuestRow, guestRows, PROBLEM_LABELS, rowMatches, STATUS_TEXT, statusIconCls, TREND_ICON } from '../view-logic.ts';
import { openGuestExplain } from '../window/GuestExplain.ts';
import { guarded, type HealthModel } from './model.ts';
import { qtip, resultHtml, typeText } from './render.ts';
import { problemsGridClass } from './ProblemsGrid.ts';

interface GuestsGridCmp extends ExtComponent {
    store?: ExtStore;
    features?: unknown;
    columns?: unknown;
    pbhModel?: HealthModel;
    pbhFilter?: () => void;
    pbhUpdate?(model: HealthModel): void;
}

type Renderer = (value: unknown, meta: { tdAttr?: string; tdCls?: string }, record: ExtRecord) => string;

function columns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    // Type, duration and storage start hidden (column menu) so the grid fits next to PVE's trees.
    const r = (fn: Renderer) => fn;
    return [
        { text: '', dataIndex: 'statusRank', width: 32, menuDisabled: true, renderer: r((_v, meta, rec) => {
            const status = rec.get('status') as Status;
            meta.tdAttr = qtip(ctx, t(STATUS_TEXT[status] ?? 'Unknown'));
            return `<i class="${statusIconCls(status)}"></i>`;
        }) },
        // Shown only when the daemon watches remote clusters (VMIDs repeat across them).
        { text: t('Cluster'), dataIndex: 'remote', width: 80, hidden: true, renderer: r((v) => ctx.html(v || t('this cluster'))) },
        { text: 'ID', dataIndex: 'vmid', width: 60 },
        { text: t('Name'), dataIndex: 'name', flex: 1, minWidth: 110, renderer: r((v) => ctx.html(v)) },
        { text: t('Type'), dataIndex: 'type', width: 45, hidden: true, renderer: r((v) => typeText(ctx, v)) },
        { text: t('Node'), dataIndex: 'node', width: 70, renderer: r((v) => ctx.html(v)) },
        { text: t('Jobs'), dataIndex: 'jobs', width: 100, renderer: r((v, meta, rec) => {
            if (rec.get('coverage') === 'excluded') return `<span class="faded">${ctx.html(t('excluded'))}</span>`;
            if (!v) return `<span class="warning">${ctx.html(t('none'))}</span>`;
            meta.tdAttr = qtip(ctx, String(v));
            return ctx.html(v);
        }) },
        { text: t('Schedule'), dataIndex: 'schedule', width: 110, renderer: r((v) => ctx.html(v)) },
        { text: t('Last backup'), dataIndex: 'lastSuccess', width: 100, renderer: r((v) => {
            if (typeof v !== 'number') return `<span class="faded">${ctx.html(t('never'))}</span>`;
            return `<span ${qtip(ctx, ctx.time(v))}>${ctx.html(ctx.age(v))}</span>`;
        }) },
        { text: t('Last result'), dataIndex: 'lastResult', width: 100, renderer: r((v) => resultHtml(ctx, String(v))) },
        { text: t('Size'), dataIndex: 'sizeBytes', width: 105, align: 'right', renderer: r((v, _m, rec) => {
            if (typeof v !== 'number') return '';
            const trend = rec.get('trend') as keyof typeof TREND_ICON;
            const icon = TREND_ICON[trend] ? ` <i class="${TREND_ICON[trend]} faded" ${qtip(ctx, t('Compared with the median of earlier backups'))}></i>` : '';
            return `${ctx.html(ctx.bytes(v))}${icon}`;
        }) },
        { text: t('Duration'), dataIndex: 'durationSeconds', width: 70, hidden: true, align: 'right', renderer: r((v) => ctx.html(ctx.duration(v as number))) },
        { text: t('Storage'), dataIndex: 'storage', width: 85, hidden: true, renderer: r((v) => ctx.html(v)) },
        { text: t('Verify'), dataIndex: 'verify', width: 75, renderer: r((v) => {
            if (v === 'ok') return `<i class="fa fa-check good"></i> ${ctx.html(t('OK'))}`;
            if (v === 'failed') return `<i class="fa fa-times critical"></i> ${ctx.html(t('Failed'))}`;
            if (v === 'none') return `<span class="faded">${ctx.html(t('none'))}</span>`;
            return '';
        }) },
        { text: t('Problems'), dataIndex: 'problems', flex: 1, minWidth: 120, renderer: r((v, meta, rec) => {
            if (!v) return '';
            meta.tdAttr = qtip(ctx, String(rec.get('messages')));
            return ctx.html(String(v).split(', ').map((c) => t(PROBLEM_LABELS[c] ?? c)).join(', '));
        }) },
    ];
}

function toolbar(ctx: PluginContext, grid: GuestsGridCmp): (ExtConfig | string)[] {
    const { t } = ctx.i18n;
    const explain = () => {
        const sel = grid.getSelection()[0];
        if (sel && grid.pbhModel) openGuestExplain(ctx, Number(sel.get('vmid')), grid.pbhModel, String(sel.get('remote') ?? '') || undefined);
    };
    return [
        { xtype: 'button', itemId: 'explain', text: t('Explain'), iconCls: 'fa fa-search', disabled: true, handler: guarded(ctx, 'explain failed', explain) },
        '-',
        { xtype: 'checkbox', itemId: 'problemsOnly', boxLabel: t('Problems only'), listeners: { change: guarded(ctx, 'filter failed', () => grid.pbhFilter?.()) } },
        {
            xtype: 'combobox',
            itemId: 'groupBy',
            fieldLabel: t('Group by'),
            labelWidth: 70,
            width: 190,
            editable: false,
            value: '',
            store: [['', t('nothing')], ['remote', t('Cluster')], ['node', t('Node')], ['jobs', t('Job')]],
            listeners: {
                change: guarded(ctx, 'grouping failed', (_f: unknown, value: unknown) => {
                    if (!grid.store) return;
                    if (value) grid.store.group(String(value));
                    else grid.store.clearGrouping();
                }),
            },
        },
        '->',
        {
            xtype: 'textfield',
            itemId: 'search',
            emptyText: t('Search'),
            width: 220,
            enableKeyEvents: true,
            listeners: { change: { fn: guarded(ctx, 'search failed', () => grid.pbhFilter?.()), buffer: 250 } },
        },
    ];
}

export function defineGuestsGrid(ctx: PluginContext): void {
    Ext.define('BackupHealth.dc.GuestsGrid', {
        extend: 'Ext.grid.Panel',
        alias: 'widget.backupHealthGuestsGrid',
        bufferedRenderer: true,
        initComponent: function (this: GuestsGridCmp) {
            const store = Ext.create<ExtStore>('Ext.data.Store', {
                fields: ['remote', 'vmid', 'name', 'type', 'node', 'status', 'statusRank', 'coverage', 'jobs', 'schedule', 'lastSuccess', 'lastResult', 'sizeBytes', 'trend', 'durationSeconds', 'storage', 'verify', 'problems', 'problemCount', 'messages', 'haystack'],
                sorters: [{ property: 'statusRank', direction: 'DESC' }, { property: 'name', direction: 'ASC' }],
                data: [],
            });
            this.store = store;
            this.features = [{ ftype: 'grouping', groupHeaderTpl: '{name} ({rows.length})', enableGroupingMenu: false }];
            this.columns = columns(ctx);
            this.tbar = toolbar(ctx, this);
            this.pbhFilter = () => {
                const query = String(this.down('#search')?.getValue() ?? '');
                const only = this.down('#problemsOnly')?.getValue() === true;
                store.clearFilter(!query && !only);
                if (query || only) store.filterBy((rec) => rowMatches({ haystack: String(rec.get('haystack')), problemCount: Number(rec.get('problemCount')), status: rec.get('status') as 'ok' }, query, only));
            };
            callParentOf('Ext.grid.Panel', 'initComponent', this, arguments);
            this.on('selectionchange', guarded(ctx, 'selection failed', (_m: unknown, sel: ExtRecord[]) => this.down('#explain')?.setDisabled(!sel || sel.length === 0)));
            this.on('itemdblclick', guarded(ctx, 'explain failed', (_v: unknown, rec: ExtRecord) => {
                if (this.pbhModel) openGuestExplain(ctx, Number(rec.get('vmid')), this.pbhModel, String(rec.get('remote') ?? '') || undefined);
            }));
        },
        pbhUpdate: function (this: GuestsGridCmp, model: HealthModel) {
            this.pbhModel = model;
            const rows: GuestRow[] = model.report ? guestRows(model.report.guests, model.report.problems) : [];
            this.store?.loadData(rows);
            this.down('gridcolumn[dataIndex=remote]')?.setHidden(!rows.some((row) => row.remote !== ''));
            this.pbhFilter?.();
        },
    });
    Ext.define('BackupHealth.dc.ProblemsGrid', problemsGridClass(ctx));
}
