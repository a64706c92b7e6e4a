// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.SummaryWidget: the Datacenter Summary panel. A traffic light like PVE's Health
 * panel (big Font Awesome icon and a status line), the counts, and the top three problems by
 * guest name; a click opens the Backup Health tab. It refreshes on its own timer, stopped on
 * destroy (PVE destroys the Summary card on every tab switch).
 */

import type { ReportResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { TAB_ITEM_ID } from '../overrides.ts';
import { guestLabel, STATUS_TEXT, statusIconCls, topProblems, withoutLabel } from '../view-logic.ts';
import { gone, guarded, isApiError } from './model.ts';

export const SUMMARY_WIDGET_XTYPE = 'backupHealthDcSummaryWidget';
const REFRESH_MS = 60_000;

function lightHtml(ctx: PluginContext, iconCls: string, text: string): string {
    return `<div class="pbh-light"><i class="${iconCls}"></i><div>${ctx.html(text)}</div></div>`;
}

function countsHtml(ctx: PluginContext, res: ReportResponse): string {
    const { t } = ctx.i18n;
    const r = res.report;
    if (!r) return `<div class="pbh-top">${ctx.html(t('Waiting for the first check'))}</div>`;
    const c = r.counts;
    const count = (cls: string, n: number, label: string, key: string) => `<span class="pbh-count" data-count="${key}"><i class="${cls}"></i> <b>${n}</b> ${ctx.html(t(label))}</span>`;
    let html = '<div class="pbh-top"><div>';
    html += count(statusIconCls('ok'), c.ok, 'OK', 'ok') + count(statusIconCls('warning'), c.warning, 'Warning', 'warning') + count(statusIconCls('critical'), c.critical, 'Critical', 'critical');
    html += count(statusIconCls('unknown'), c.unknown, 'Unknown', 'unknown') + count('fa fa-ban warning', c.notCovered, 'not covered', 'notCovered');
    html += '</div>';
    const top = topProblems(r.problems, 3);
    if (top.length > 0) {
        html += `<div>${ctx.html(t('Top problems'))}:</div><ul class="pbh-top-problems">`;
        for (const p of top) {
            const own = p.vmid !== undefined ? guestLabel(p.guestName, p.vmid) : (p.storage ?? p.job ?? p.node ?? '');
            const who = p.remote ? `${p.remote} / ${own}` : own;
            html += `<li data-qtip="${ctx.html(ctx.html(p.message))}"><i class="${statusIconCls(p.severity)}"></i> <b>${ctx.html(who)}</b>: ${ctx.html(withoutLabel(p.message, own))}</li>`;
        }
        html += '</ul>';
    }
    if (res.daemon.lastCheck !== undefined) html += `<div class="pbh-meta">${ctx.html(t('Last check'))}: ${ctx.html(ctx.age(res.daemon.lastCheck))}</div>`;
    return `${html}</div>`;
}

/** Selects the tab in the Datacenter config panel (or asks PVE's state provider to). */
function openTab(cmp: ExtComponent): void {
    const config = (cmp.up('[hstateid=dctab]') ?? Ext.ComponentQuery.query('[hstateid=dctab]')[0]) as (ExtComponent & { selectById?: (id: string) => unknown }) | undefined;
    if (config && typeof config.selectById === 'function' && config.selectById(TAB_ITEM_ID)) return;
    Ext.state.Manager.getProvider()?.set('dctab', { value: TAB_ITEM_ID });
}

export function defineSummaryWidget(ctx: PluginContext): void {
    const { t } = ctx.i18n;
    Ext.define('BackupHealth.dc.SummaryWidget', {
        extend: 'Ext.panel.Panel',
        alias: `widget.${SUMMARY_WIDGET_XTYPE}`,
        cls: 'pbh-widget',
        layout: { type: 'hbox', align: 'stretch' },
        initComponent: function (this: ExtComponent) {
            this.title = t('Backup Health');
            this.items = [
                { xtype: 'component', itemId: 'light', flex: 1, html: lightHtml(ctx, 'fa fa-spinner fa-spin faded', t('Loading…')) },
                { xtype: 'component', itemId: 'counts', flex: 2, html: '' },
            ];
            let timer: ReturnType<typeof setTimeout> | undefined;
            const load = async () => {
                try {
                    const res = await ctx.api.get<ReportResponse>('/report');
                    if (gone(this)) return;
                    const status = res.report?.status;
                    this.down('#light')?.update(status ? lightHtml(ctx, `${statusIconCls(status)}`, t(STATUS_TEXT[status])) : lightHtml(ctx, 'fa fa-spinner fa-spin faded', t('Waiting for the first check')));
                    this.down('#counts')?.update(countsHtml(ctx, res));
                } catch (e) {
                    if (gone(this)) return;
                    const text = isApiError(e) && (e.kind === 'unauthorized' || e.kind === 'forbidden') ? t('Access denied by the Backup Health service') : t('Backup Health service unreachable');
                    this.down('#light')?.update(lightHtml(ctx, 'fa fa-question-circle faded', text));
                    this.down('#counts')?.update(`<div class="pbh-top">${ctx.html(t('Open the Backup Health tab for details.'))}</div>`);
                }
                if (!gone(this)) timer = setTimeout(() => void load(), REFRESH_MS);
            };
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            this.on('afterrender', guarded(ctx, 'widget failed', () => {
                this.getEl()?.on('click', guarded(ctx, 'opening the tab failed', () => openTab(this)));
            }));
            this.on('destroy', () => {
                if (timer !== undefined) clearTimeout(timer);
                timer = undefined;
            });
            void load();
        },
    });
}
