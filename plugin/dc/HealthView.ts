// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.HealthView: the "Backup Health" Datacenter tab. A header (overall status,
 * counts, last/next check, "Check now") over a tab panel of views; or, when the daemon cannot be
 * used, a page that says why and what to do. PVE creates the card lazily and destroys it on tab
 * switch, so the refresh timer stops on destroy.
 */

import type { CheckResponse, ReportResponse, WhoAmIResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { STATUS_TEXT, statusIconCls } from '../view-logic.ts';
import { failureHtml, waitingHtml } from './messages.ts';
import { gone, guarded, type HealthModel, isApiError, type PbhView } from './model.ts';

export const HEALTH_VIEW_XTYPE = 'backupHealthDcHealthView';
const REFRESH_MS = 60_000;
const POLL_MS = 2_000;

interface HealthViewCmp extends ExtComponent {
    pbh?: HealthController;
}

class HealthController {
    private timer: ReturnType<typeof setTimeout> | undefined;
    private whoami: WhoAmIResponse | undefined;
    private model: HealthModel | undefined;
    private polling = 0;

    constructor(
        private readonly ctx: PluginContext,
        private readonly view: HealthViewCmp,
    ) {}

    items(): ExtConfig[] {
        const { t } = this.ctx.i18n;
        return [
            { xtype: 'component', itemId: 'message', scrollable: true, html: '' },
            {
                xtype: 'tabpanel',
                itemId: 'main',
                border: false,
                defaults: { border: false },
                items: [
                    { xtype: 'backupHealthProblemsGrid', title: t('Problems'), itemId: 'problems', iconCls: 'fa fa-exclamation-triangle' },
                    { xtype: 'backupHealthGuestsGrid', title: t('Guests'), itemId: 'guests', iconCls: 'fa fa-desktop' },
                    { xtype: 'backupHealthJobsView', title: t('Jobs'), itemId: 'jobs', iconCls: 'fa fa-calendar' },
                    { xtype: 'backupHealthStoragesView', title: t('Storages'), itemId: 'storages', iconCls: 'fa fa-database' },
                    { xtype: 'backupHealthArchivesView', title: t('Config archives'), itemId: 'archives', iconCls: 'fa fa-archive' },
                    { xtype: 'backupHealthNotificationsView', title: t('Notifications'), itemId: 'notifications', iconCls: 'fa fa-bell-o' },
                    { xtype: 'backupHealthSettingsView', title: t('Settings'), itemId: 'settings', iconCls: 'fa fa-gear' },
                ],
            },
        ];
    }

    docked(): ExtConfig[] {
        const { t } = this.ctx.i18n;
        return [
            {
                xtype: 'toolbar',
                dock: 'top',
                itemId: 'header',
                items: [
                    { xtype: 'component', itemId: 'summary', flex: 1, cls: 'pbh-header', html: `<span class="pbh-status"><i class="fa fa-spinner fa-spin faded"></i>${this.ctx.html(t('Loading…'))}</span>` },
                    { xtype: 'button', itemId: 'checkNow', text: t('Check now'), iconCls: 'fa fa-play', hidden: true, handler: guarded(this.ctx, 'check now failed', () => this.checkNow()) },
                    { xtype: 'button', itemId: 'reload', text: t('Reload'), iconCls: 'fa fa-refresh', handler: guarded(this.ctx, 'reload failed', () => this.load()) },
                ],
            },
        ];
    }

    start(): void {
        this.view.on('destroy', () => this.stop());
        void this.load();
    }

    stop(): void {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
    }

    private schedule(ms: number): void {
        this.stop();
        if (!gone(this.view)) this.timer = setTimeout(() => void this.load(), ms);
    }

    async load(): Promise<void> {
        try {
            const [who, res] = await Promise.all([this.whoami ? Promise.resolve(this.whoami) : this.ctx.api.get<WhoAmIResponse>('/whoami'), this.ctx.api.get<ReportResponse>('/report')]);
            if (gone(this.view)) return;
            this.whoami = who;
            this.apply({ daemon: res.daemon, ...(res.report ? { report: res.report } : {}), user: who.user, canModify: who.canModify === true });
            this.schedule(res.report && !res.daemon.checking ? REFRESH_MS : POLL_MS);
        } catch (e) {
            if (gone(this.view)) return;
            if (!isApiError(e)) this.ctx.warn('showing the report failed', e);
            this.showPage(failureHtml(this.ctx, isApiError(e) ? e.kind : 'server', e instanceof Error ? e.message : String(e)));
            this.setButton(false);
            this.schedule(REFRESH_MS);
        }
    }

    private showPage(html: string): void {
        const msg = this.view.down('#message');
        msg?.update(html);
        this.view.getLayout().setActiveItem(0);
        this.view.down('#summary')?.update('');
        const retry = this.view.down('#reload');
        retry?.setText(this.ctx.i18n.t('Retry'));
    }

    private setButton(visible: boolean): void {
        this.view.down('#checkNow')?.setHidden(!visible);
    }

    private apply(model: HealthModel): void {
        this.model = model;
        this.view.down('#reload')?.setText(this.ctx.i18n.t('Reload'));
        this.setButton(model.canModify);
        this.view.down('#checkNow')?.setDisabled(model.daemon.checking);
        this.view.down('#summary')?.update(this.headerHtml(model));
        if (!model.report) {
            this.showPage(waitingHtml(this.ctx));
            this.view.down('#summary')?.update(this.headerHtml(model));
            return;
        }
        this.view.getLayout().setActiveItem(1);
        for (const child of this.view.query('#main > *') as PbhView[]) {
            try {
                child.pbhUpdate?.(model);
            } catch (e) {
                this.ctx.warn(`view ${child.itemId ?? '?'} failed`, e);
            }
        }
    }

    private headerHtml(model: HealthModel): string {
        const { ctx } = this;
        const { t, f } = ctx.i18n;
        const d = model.daemon;
        const r = model.report;
        const parts: string[] = [];
        if (r) {
            parts.push(`<span class="pbh-status"><i class="${statusIconCls(r.status)}"></i>${ctx.html(f('Backup health: {0}', t(STATUS_TEXT[r.status])))}</span>`);
            const c = r.counts;
            const count = (cls: string, n: number, label: string) => `<span class="pbh-count"><i class="${cls}"></i> <b>${n}</b> ${ctx.html(t(label))}</span>`;
            parts.push(
                count(statusIconCls('ok'), c.ok, 'OK'),
                count(statusIconCls('warning'), c.warning, 'Warning'),
                count(statusIconCls('critical'), c.critical, 'Critical'),
                count(statusIconCls('unknown'), c.unknown, 'Unknown'),
                count('fa fa-ban warning', c.notCovered, 'not covered'),
            );
        } else {
            parts.push(`<span class="pbh-status"><i class="fa fa-spinner fa-spin faded"></i>${ctx.html(t('Waiting for the first check'))}</span>`);
        }
        const meta: string[] = [];
        if (d.lastCheck !== undefined) meta.push(`${ctx.html(t('Last check'))}: ${ctx.html(ctx.time(d.lastCheck))} (${ctx.html(ctx.age(d.lastCheck))})`);
        if (d.checking) meta.push(`<i class="fa fa-spinner fa-spin"></i> ${ctx.html(t('checking now'))}`);
        else if (d.nextCheck !== undefined) meta.push(`${ctx.html(t('Next check'))}: ${ctx.html(ctx.time(d.nextCheck))}`);
        meta.push(ctx.html(f('service {0} on {1}', d.version, d.node)));
        parts.push(`<div class="pbh-meta">${meta.join(' · ')}</div>`);
        for (const w of d.warnings) parts.push(`<div class="pbh-daemon-warning"><i class="fa fa-exclamation-triangle warning"></i> ${ctx.html(w)}</div>`);
        return parts.join('');
    }

    private async checkNow(): Promise<void> {
        const button = this.view.down('#checkNow');
        button?.setDisabled(true);
        try {
            await this.ctx.api.post<CheckResponse>('/check');
        } catch (e) {
            if (!gone(this.view)) Ext.Msg.alert(this.ctx.i18n.t('Error'), this.ctx.html(e instanceof Error ? e.message : String(e)));
            button?.setDisabled(false);
            return;
        }
        // Poll until the cycle is over (the report says `checking`), at most ~5 minutes.
        this.polling = 150;
        await this.pollUntilDone();
    }

    private async pollUntilDone(): Promise<void> {
        while (this.polling-- > 0 && !gone(this.view)) {
            await this.load();
            if (this.model && !this.model.daemon.checking) break;
            await new Promise((r) => setTimeout(r, POLL_MS));
        }
        this.polling = 0;
    }
}

export function defineHealthView(ctx: PluginContext): void {
    Ext.define('BackupHealth.dc.HealthView', {
        extend: 'Ext.panel.Panel',
        alias: `widget.${HEALTH_VIEW_XTYPE}`,
        layout: 'card',
        border: false,
        initComponent: function (this: HealthViewCmp) {
            const ctl = new HealthController(ctx, this);
            this.pbh = ctl;
            this.items = ctl.items();
            this.dockedItems = ctl.docked();
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            ctl.start();
        },
    });
}
