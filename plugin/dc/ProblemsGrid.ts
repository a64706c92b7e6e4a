// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.ProblemsGrid: the report's problems, most severe first, named by guest (the
 * first thing an admin wants to see). A double click on a guest's problem explains it.
 */

import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { guestLabel, PROBLEM_LABELS, statusIconCls, withoutLabel } from '../view-logic.ts';
import { openGuestExplain } from '../window/GuestExplain.ts';
import { guarded, type HealthModel } from './model.ts';

interface ProblemsGridCmp extends ExtComponent {
    store?: ExtStore;
    columns?: unknown;
    emptyText?: string;
    pbhModel?: HealthModel;
}

export function problemsGridClass(ctx: PluginContext): ExtConfig {
    const { t } = ctx.i18n;
    const open = (grid: ProblemsGridCmp, rec: ExtRecord | undefined) => {
        const vmid = rec?.get('vmid');
        if (typeof vmid === 'number' && grid.pbhModel) openGuestExplain(ctx, vmid, grid.pbhModel, String(rec?.get('remote') ?? '') || undefined);
    };
    return {
        extend: 'Ext.grid.Panel',
        alias: 'widget.backupHealthProblemsGrid',
        viewConfig: { deferEmptyText: false },
        initComponent: function (this: ProblemsGridCmp) {
            this.store = Ext.create<ExtStore>('Ext.data.Store', { fields: ['severity', 'code', 'remote', 'vmid', 'guest', 'label', 'job', 'node', 'storage', 'message'], data: [] });
            this.emptyText = `<div class="pbh-section"><i class="fa fa-check-circle good"></i> ${ctx.html(t('No problems: every guest is backed up as its jobs promise.'))}</div>`;
            this.columns = [
                { text: '', dataIndex: 'severity', width: 32, menuDisabled: true, renderer: (v: unknown) => `<i class="${statusIconCls(v as 'warning')}"></i>` },
                { text: t('Guest'), dataIndex: 'guest', width: 200, renderer: (v: unknown) => ctx.html(v) },
                { text: t('Problem'), dataIndex: 'code', width: 130, renderer: (v: unknown) => ctx.html(t(PROBLEM_LABELS[String(v)] ?? String(v))) },
                { text: t('Job'), dataIndex: 'job', width: 110, renderer: (v: unknown) => ctx.html(v) },
                { text: t('Node'), dataIndex: 'node', width: 90, renderer: (v: unknown) => ctx.html(v) },
                { text: t('Message'), dataIndex: 'message', flex: 1, cellWrap: true, renderer: (v: unknown, _m: unknown, rec: ExtRecord) => ctx.html(withoutLabel(String(v), String(rec.get('label')))) },
            ];
            this.tbar = [
                { xtype: 'button', itemId: 'explain', text: t('Explain'), iconCls: 'fa fa-search', disabled: true, handler: guarded(ctx, 'explain failed', () => open(this, this.getSelection()[0])) },
            ];
            callParentOf('Ext.grid.Panel', 'initComponent', this, arguments);
            this.on('selectionchange', guarded(ctx, 'selection failed', (_m: unknown, sel: ExtRecord[]) => this.down('#explain')?.setDisabled(!sel?.[0] || typeof sel[0].get('vmid') !== 'number')));
            this.on('itemdblclick', guarded(ctx, 'explain failed', (_v: unknown, rec: ExtRecord) => open(this, rec)));
        },
        pbhUpdate: function (this: ProblemsGridCmp, model: HealthModel) {
            this.pbhModel = model;
            const rows = (model.report?.problems ?? []).map((p) => ({
                severity: p.severity,
                code: p.code,
                remote: p.remote ?? '',
                vmid: p.vmid ?? null,
                // "dc2 / web01 (100)" for a remote cluster's guest; the message starts with the plain label.
                guest: p.vmid !== undefined ? guestLabel(p.guestName, p.vmid, p.remote) : [p.remote, p.storage].filter(Boolean).join(' / '),
                label: p.vmid !== undefined ? guestLabel(p.guestName, p.vmid) : (p.storage ?? ''),
                job: p.job ?? '',
                node: p.node ?? '',
                storage: p.storage ?? '',
                message: p.message,
            }));
            this.store?.loadData(rows);
        },
    };
}
