// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The guest detail / explain window: why the guest has its verdict. Problems with the decisive
 * task log lines, the expected scheduled runs next to the tasks that served them (a UPID opens
 * PVE's own task viewer), every attempt, the backups on storages with their size over time, and
 * silencing (for users who may change things).
 */

import type { GuestDetailResponse } from '../../src/contract/http-api.ts';
import type { GuestReport } from '../../src/domain/health/report.ts';
import type { Problem } from '../../src/domain/model.ts';
import type { PluginContext } from '../context.ts';
import { errorHtml, gone, guarded, type HealthModel, statusHtml } from '../dc/model.ts';
import { guestLabel, PROBLEM_LABELS, statusIconCls } from '../view-logic.ts';
import { backupsChartHtml, runsColumns, attemptsColumns, backupsColumns } from './explain-parts.ts';
import { openSilenceWindow } from './SilenceWindow.ts';

/** A UPID that opens PVE's task viewer; as plain text for a remote cluster's task (`local` false). */
export function upidLink(ctx: PluginContext, upid: string | undefined, text?: string, local = true): string {
    if (!upid) return '';
    if (!local) return `<span data-qtip="${ctx.html(ctx.html(upid))}">${ctx.html(text ?? upid)}</span>`;
    return `<a class="pbh-link pbh-upid" data-upid="${ctx.html(upid)}" data-qtip="${ctx.html(ctx.i18n.t('Open the task log'))}">${ctx.html(text ?? upid)}</a>`;
}

function logLinesHtml(ctx: PluginContext, p: Problem, local: boolean): string {
    const lines = p.evidence.logLines ?? [];
    if (lines.length === 0) return '';
    const byTask = new Map<string, typeof lines>();
    for (const l of lines) byTask.set(l.upid, [...(byTask.get(l.upid) ?? []), l]);
    let out = '';
    for (const [upid, ls] of byTask) {
        out += `<div class="pbh-meta">${ctx.html(ctx.i18n.t('Task log'))}: ${upidLink(ctx, upid, undefined, local)}</div><div class="pbh-log">`;
        out += ls.map((l) => `<span class="pbh-log-n">${l.n}</span>${ctx.html(l.text)}`).join('\n');
        out += '</div>';
    }
    return out;
}

function overviewHtml(ctx: PluginContext, g: GuestReport, problems: Problem[], detail: GuestDetailResponse | undefined): string {
    const { t } = ctx.i18n;
    const row = (k: string, v: string) => `<tr><td>${ctx.html(t(k))}</td><td>${v}</td></tr>`;
    let html = '<div class="pbh-section"><table class="pbh-kv">';
    html += row('Status', statusHtml(ctx, g.status));
    html += row('Node', ctx.html(g.node));
    html += row('Jobs', ctx.html(g.jobs.join(', ') || t('none')));
    html += row('Schedule', ctx.html(g.schedule));
    html += row('Last backup', g.lastSuccess !== undefined ? `${ctx.html(ctx.time(g.lastSuccess))} (${ctx.html(ctx.age(g.lastSuccess))}) ${upidLink(ctx, g.lastSuccessUpid, t('task'), g.remote === undefined)}` : ctx.html(t('never')));
    if (g.excludedReason) html += row('Excluded', ctx.html(g.excludedReason));
    html += '</table>';
    html += `<h3>${ctx.html(t('Problems'))}</h3>`;
    if (problems.length === 0) html += `<div><i class="fa fa-check-circle good"></i> ${ctx.html(t('No problems.'))}</div>`;
    for (const p of problems) {
        html += `<div class="pbh-problem"><div><i class="${statusIconCls(p.severity)}"></i><b>${ctx.html(t(PROBLEM_LABELS[p.code] ?? p.code))}</b>: ${ctx.html(p.message)}</div>`;
        html += logLinesHtml(ctx, p, g.remote === undefined);
        html += '</div>';
    }
    const silences = detail?.silences ?? [];
    if (silences.length > 0) {
        html += `<h3>${ctx.html(t('Silenced'))}</h3><ul>`;
        for (const s of silences) {
            const until = s.until !== undefined ? ctx.i18n.f('until {0}', ctx.time(s.until)) : t('until removed');
            html += `<li>${ctx.html(until)} · ${ctx.html(s.createdBy)}${s.reason ? ` · ${ctx.html(s.reason)}` : ''}${s.codes ? ` · ${ctx.html(s.codes.join(', '))}` : ''}</li>`;
        }
        html += '</ul>';
    }
    return `${html}</div>`;
}

function store(fields: string[], data: ExtConfig[]): ExtStore {
    return Ext.create<ExtStore>('Ext.data.Store', { fields, data });
}

/** `remote`: the remote cluster the guest is in (VMIDs repeat across clusters); absent: this one. */
export function openGuestExplain(ctx: PluginContext, vmid: number, model: HealthModel, remote?: string): void {
    const { t } = ctx.i18n;
    const guest = model.report?.guests.find((g) => g.vmid === vmid && g.remote === remote);
    if (!guest) return;
    const problems = (model.report?.problems ?? []).filter((p) => p.vmid === vmid && p.remote === remote);
    const win = Ext.create('Ext.window.Window', {
        title: ctx.i18n.f('Backup health of {0}', guestLabel(guest.name, guest.vmid, remote)),
        // A remote cluster's tasks cannot be opened in this cluster's task viewer: no task links.
        cls: remote ? 'pbh-explain pbh-remote' : 'pbh-explain',
        width: Math.min(1100, Math.max(600, window.innerWidth - 80)),
        height: Math.min(700, Math.max(400, window.innerHeight - 80)),
        modal: true,
        layout: 'fit',
        items: [
            {
                xtype: 'tabpanel',
                itemId: 'tabs',
                items: [
                    { title: t('Explain'), itemId: 'overview', scrollable: true, html: overviewHtml(ctx, guest, problems, undefined) },
                    { title: t('Expected runs'), itemId: 'runs', xtype: 'grid', columns: runsColumns(ctx), store: store(['time', 'job', 'node', 'state', 'upid', 'guestStatus', 'why'], []) },
                    { title: t('Tasks'), itemId: 'attempts', xtype: 'grid', columns: attemptsColumns(ctx), store: store(['start', 'end', 'status', 'scheduled', 'jobId', 'node', 'upid', 'durationSeconds', 'sizeBytes', 'storage', 'error'], []) },
                    {
                        title: t('Backups'),
                        itemId: 'backups',
                        layout: { type: 'vbox', align: 'stretch' },
                        items: [
                            { xtype: 'component', itemId: 'chart', cls: 'pbh-chart pbh-section', height: 130, html: '' },
                            { xtype: 'grid', itemId: 'backupGrid', flex: 1, columns: backupsColumns(ctx), store: store(['volid', 'storage', 'ctime', 'size', 'verify', 'protected'], []) },
                        ],
                    },
                ],
            },
        ],
        buttons: [
            { text: t('Silence…'), itemId: 'silence', iconCls: 'fa fa-bell-slash', hidden: !model.canModify, handler: guarded(ctx, 'silence failed', () => openSilenceWindow(ctx, guest, () => void load())) },
            { text: t('Close'), handler: () => win.close() },
        ],
    });
    const load = async () => {
        win.setLoading(t('Loading…'));
        try {
            const detail = await ctx.api.get<GuestDetailResponse>(`/guests/${vmid}${remote ? `?remote=${encodeURIComponent(remote)}` : ''}`);
            if (gone(win)) return;
            win.down('#overview')?.update(overviewHtml(ctx, detail.guest, problems, detail));
            win.down('#backupGrid')?.getStore().loadData(detail.backups as unknown as ExtConfig[]);
            // GET /report leaves runs and attempts out (size); the guest's detail has them.
            win.down('#runs')?.getStore().loadData((detail.guest.runs ?? []) as unknown as ExtConfig[]);
            win.down('#attempts')?.getStore().loadData((detail.guest.attempts ?? []) as unknown as ExtConfig[]);
            win.down('#chart')?.update(backupsChartHtml(ctx, detail.backups));
        } catch (e) {
            if (!gone(win)) win.down('#overview')?.update(errorHtml(ctx, e) + overviewHtml(ctx, guest, problems, undefined));
        } finally {
            if (!gone(win)) win.setLoading(false);
        }
    };
    win.show();
    if (!remote) win.getEl()?.on(
        'click',
        guarded(ctx, 'opening the task failed', (_e: unknown, target: HTMLElement) => {
            const upid = target.getAttribute('data-upid');
            if (upid) ctx.openTask(upid);
        }),
        null,
        { delegate: 'a.pbh-upid' },
    );
    void load();
}
