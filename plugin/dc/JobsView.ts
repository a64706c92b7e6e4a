// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.JobsView: the backup jobs with their schedule in words, the next runs, the last
 * run per node, result counts over the history window, the guests they include, and warnings
 * when a job is disabled or pinned to a node while its guests live elsewhere.
 */

import type { JobsResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { guestLabel, jobWarnings, statusIconCls } from '../view-logic.ts';
import { errorHtml, gone, guarded, type HealthModel } from './model.ts';
import { qtip } from './render.ts';
import { bindTaskLinks, lazyView, type LazyViewCmp } from './lazy.ts';

type Job = JobsResponse['jobs'][number];

/** A job's guests: those of its own cluster (VMIDs repeat across remote clusters). */
function guestsOf(job: Job, model: HealthModel | undefined) {
    return (model?.report?.guests ?? []).filter((g) => g.remote === job.remote);
}

const jobKey = (job: Pick<Job, 'id' | 'remote'>) => (job.remote ? `${job.remote}/${job.id}` : job.id);

function detailHtml(ctx: PluginContext, job: Job, model: HealthModel): string {
    const { t, f } = ctx.i18n;
    const guests = guestsOf(job, model);
    const byId = new Map(guests.map((g) => [g.vmid, g]));
    let html = `<div class="pbh-section"><h3>${ctx.html(f('Job {0}', job.remote ? `${job.remote} / ${job.id}` : job.id))}: ${ctx.html(job.scheduleText)} <span class="pbh-meta">(${ctx.html(job.schedule)})</span></h3>`;
    for (const w of jobWarnings(job, guests)) html += `<div><i class="fa fa-exclamation-triangle warning"></i> ${ctx.html(f(w.text, ...w.args))}</div>`;
    html += `<h3>${ctx.html(t('Next runs'))}</h3>`;
    html += job.nextRuns.length ? `<div>${job.nextRuns.map((r) => ctx.html(ctx.time(r))).join(' · ')}</div>` : `<div class="faded">${ctx.html(t('none'))}</div>`;
    html += `<h3>${ctx.html(t('Last run per node'))}</h3><table class="pbh-kv">`;
    for (const n of job.nodes) {
        const last = n.lastRun;
        // A remote cluster's task cannot be opened in this cluster's task viewer.
        const state = last ? `${ctx.html(ctx.time(last.time))} · ${ctx.html(t(last.state))}${last.upid && !job.remote ? ` · <a class="pbh-link pbh-upid" data-upid="${ctx.html(last.upid)}">${ctx.html(t('task'))}</a>` : ''}` : ctx.html(t('none'));
        const counts = ctx.html(f('{0} ran, {1} missed', n.ran, n.missed));
        html += `<tr><td>${ctx.html(n.node)}</td><td>${state}</td><td>${counts}</td><td>${n.nextRun !== undefined ? ctx.html(f('next {0}', ctx.time(n.nextRun))) : ''}</td></tr>`;
    }
    html += `</table><h3>${ctx.html(f('Included guests ({0})', job.guests.length))}</h3><div>`;
    html += job.guests
        .map((v) => {
            const g = byId.get(v);
            return g ? `<span class="pbh-count"><i class="${statusIconCls(g.status)}"></i> ${ctx.html(guestLabel(g.name, g.vmid))}</span>` : `<span class="pbh-count"><i class="fa fa-question faded"></i> ${v}</span>`;
        })
        .join('');
    return `${html}</div></div>`;
}

function columns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    return [
        { text: '', dataIndex: 'status', width: 32, menuDisabled: true, renderer: (v: unknown) => `<i class="${statusIconCls(v as 'ok')}"></i>` },
        { text: t('Cluster'), dataIndex: 'remote', width: 90, hidden: true, renderer: (v: unknown) => ctx.html(v || t('this cluster')) },
        { text: 'ID', dataIndex: 'id', width: 120, renderer: (v: unknown) => ctx.html(v) },
        {
            text: t('Schedule'),
            dataIndex: 'scheduleText',
            width: 150,
            renderer: (v: unknown, meta: { tdAttr?: string }, rec: ExtRecord) => {
                meta.tdAttr = qtip(ctx, String(rec.get('schedule')));
                return ctx.html(v);
            },
        },
        { text: t('Enabled'), dataIndex: 'enabled', width: 70, renderer: (v: unknown) => (v ? `<i class="fa fa-check good"></i>` : `<i class="fa fa-ban warning"></i> ${ctx.html(t('No'))}`) },
        { text: t('Node'), dataIndex: 'node', width: 90, renderer: (v: unknown) => ctx.html(v || t('all')) },
        { text: t('Storage'), dataIndex: 'storage', width: 100, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Next run'), dataIndex: 'nextRun', width: 140, renderer: (v: unknown) => ctx.html(typeof v === 'number' ? ctx.time(v) : '') },
        {
            text: t('Results'),
            dataIndex: 'ok',
            width: 170,
            renderer: (_v: unknown, _m: unknown, rec: ExtRecord) =>
                `<span ${qtip(ctx, t('OK / warnings / failed / missed over the history window'))}><span class="good">${rec.get('ok')}</span> / <span class="warning">${rec.get('warnings')}</span> / <span class="critical">${rec.get('failed')}</span> / <span class="critical">${rec.get('missed')}</span></span>`,
        },
        { text: t('Guests'), dataIndex: 'guestCount', width: 70, align: 'right' },
        {
            text: t('Warnings'), dataIndex: 'warningText', flex: 1,
            renderer: (v: unknown, meta: { tdAttr?: string }) => {
                if (!v) return '';
                meta.tdAttr = qtip(ctx, String(v));
                return `<i class="fa fa-exclamation-triangle warning"></i> ${ctx.html(v)}`;
            },
        },
    ];
}

export function defineJobsView(ctx: PluginContext): void {
    Ext.define('BackupHealth.dc.JobsView', {
        extend: 'Ext.panel.Panel',
        alias: 'widget.backupHealthJobsView',
        layout: 'border',
        initComponent: function (this: LazyViewCmp) {
            let jobs: Job[] = [];
            const store = Ext.create<ExtStore>('Ext.data.Store', { fields: ['key', 'remote', 'id', 'status', 'schedule', 'scheduleText', 'enabled', 'node', 'storage', 'nextRun', 'ok', 'warnings', 'failed', 'missed', 'guestCount', 'warningText'], data: [] });
            const showDetail = (key: unknown) => {
                const job = jobs.find((j) => jobKey(j) === key);
                const detail = this.down('#detail');
                if (detail && this.pbhModel) detail.update(job ? detailHtml(ctx, job, this.pbhModel) : '');
            };
            this.items = [
                { xtype: 'grid', itemId: 'grid', region: 'center', store, columns: columns(ctx), listeners: { selectionchange: guarded(ctx, 'job detail failed', (_m: unknown, sel: ExtRecord[]) => showDetail(sel?.[0]?.get('id'))) } },
                { xtype: 'panel', itemId: 'detail', region: 'south', height: 240, split: true, scrollable: true, border: false, html: '' },
            ];
            this.pbhLoad = async () => {
                try {
                    const res = await ctx.api.get<JobsResponse>('/jobs');
                    if (gone(this)) return;
                    jobs = res.jobs;
                    store.loadData(
                        jobs.map((j) => ({
                            key: jobKey(j), remote: j.remote ?? '', id: j.id, status: j.status, schedule: j.schedule, scheduleText: j.scheduleText, enabled: j.enabled, node: j.node ?? '', storage: j.storage ?? '',
                            nextRun: j.nextRuns[0] ?? j.nextRun ?? null, ...j.results, guestCount: j.guests.length,
                            warningText: jobWarnings(j, guestsOf(j, this.pbhModel)).map((w) => ctx.i18n.f(w.text, ...w.args)).join('; '),
                        })),
                    );
                    const grid = this.down('#grid');
                    const sel = grid?.getSelection()[0];
                    // The cluster column shows only when remotes are watched.
                    grid?.down('gridcolumn[dataIndex=remote]')?.setHidden(!jobs.some((j) => j.remote));
                    showDetail(sel?.get('key') ?? (jobs[0] ? jobKey(jobs[0]) : undefined));
                } catch (e) {
                    this.down('#detail')?.update(errorHtml(ctx, e));
                }
            };
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            bindTaskLinks(ctx, this);
        },
        ...lazyView(),
    });
}
