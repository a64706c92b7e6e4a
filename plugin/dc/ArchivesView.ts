// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * BackupHealth.dc.ArchivesView: configuration archives of the hosts. List, create now (with
 * progress), download, verify, and compare two archives side by side. A daemon without archive
 * support says so instead of showing an empty list.
 */

import type { ArchiveTaskResponse, ArchiveVerifyResponse, ArchivesResponse } from '../../src/contract/http-api.ts';
import { ApiError } from '../api.ts';
import type { PluginContext } from '../context.ts';
import { callParentOf } from '../ext.ts';
import { openArchiveDiff } from '../window/ArchiveDiff.ts';
import { bindTaskLinks, lazyView, type LazyViewCmp } from './lazy.ts';
import { errorHtml, gone, guarded, isApiError } from './model.ts';

const POLL_MS = 1000;

function columns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    return [
        { text: t('Name'), dataIndex: 'name', flex: 1, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Node'), dataIndex: 'node', width: 90, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Created'), dataIndex: 'createdAt', width: 140, renderer: (v: unknown) => ctx.html(ctx.time(v as number)) },
        { text: t('Size'), dataIndex: 'size', width: 90, align: 'right', renderer: (v: unknown) => ctx.html(ctx.bytes(v as number)) },
        { text: t('Encrypted'), dataIndex: 'encrypted', width: 80, renderer: (v: unknown) => (v ? '<i class="fa fa-lock"></i>' : '') },
        {
            text: t('Verified'), dataIndex: 'verified', width: 170,
            renderer: (v: unknown) => {
                const ver = v as { at: number; ok: boolean; error?: string } | null;
                if (!ver) return `<span class="faded">${ctx.html(t('never'))}</span>`;
                return ver.ok ? `<i class="fa fa-check good"></i> ${ctx.html(ctx.time(ver.at))}` : `<i class="fa fa-times critical"></i> ${ctx.html(ver.error ?? t('Failed'))}`;
            },
        },
        { text: t('Copies'), dataIndex: 'copies', width: 160, renderer: (v: unknown) => ctx.html(Array.isArray(v) ? v.join(', ') : '') },
    ];
}

async function download(ctx: PluginContext, name: string): Promise<void> {
    // The download needs the Authorization header, so it is fetched and handed over as a blob.
    const blob = await ctx.api.blob(`/archives/${encodeURIComponent(name)}/download`);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function defineArchivesView(ctx: PluginContext): void {
    const { t, f } = ctx.i18n;
    Ext.define('BackupHealth.dc.ArchivesView', {
        extend: 'Ext.panel.Panel',
        alias: 'widget.backupHealthArchivesView',
        layout: 'card',
        initComponent: function (this: LazyViewCmp) {
            const store = Ext.create<ExtStore>('Ext.data.Store', { fields: ['name', 'node', 'createdAt', 'size', 'encrypted', 'verified', 'copies'], sorters: [{ property: 'createdAt', direction: 'DESC' }], data: [] });
            const selected = (): string[] => (this.down('#grid')?.getSelection() ?? []).map((r) => String(r.get('name')));
            const alertError = (e: unknown) => Ext.Msg.alert(t('Error'), ctx.html(e instanceof Error ? e.message : String(e)));
            const create = async () => {
                const bar = this.down('#progress');
                bar?.setHidden(false);
                bar?.updateProgress(0, t('Starting…'));
                try {
                    let task = await ctx.api.post<ArchiveTaskResponse>('/archives');
                    while (task.state === 'running' && !gone(this)) {
                        bar?.updateProgress(task.progress, task.message);
                        await new Promise((r) => setTimeout(r, POLL_MS));
                        task = await ctx.api.get<ArchiveTaskResponse>(`/archives/tasks/${encodeURIComponent(task.id)}`);
                    }
                    if (gone(this)) return;
                    if (task.state === 'failed') alertError(new Error(task.error ?? task.message));
                    bar?.updateProgress(1, task.state === 'done' ? f('Archive {0} created', task.name ?? '') : t('Failed'));
                    await this.pbhLoad?.();
                } catch (e) {
                    if (!gone(this)) alertError(e);
                    bar?.setHidden(true);
                }
            };
            const verify = async () => {
                const [name] = selected();
                if (!name) return;
                this.setLoading(t('Verifying…'));
                try {
                    const res = await ctx.api.post<ArchiveVerifyResponse>(`/archives/${encodeURIComponent(name)}/verify`);
                    const text = res.ok ? f('Archive {0} is intact ({1} files checked).', name, res.checked) : `${f('Archive {0} is damaged:', name)}<br>${res.errors.map((e) => ctx.html(e)).join('<br>')}`;
                    Ext.Msg.alert(t('Verify'), res.ok ? ctx.html(text) : text);
                    await this.pbhLoad?.();
                } catch (e) {
                    alertError(e);
                } finally {
                    if (!gone(this)) this.setLoading(false);
                }
            };
            this.items = [
                {
                    xtype: 'grid', itemId: 'grid', store, multiSelect: true, columns: columns(ctx),
                    tbar: [
                        { text: t('Create now'), itemId: 'create', iconCls: 'fa fa-plus', hidden: true, handler: guarded(ctx, 'archive failed', create) },
                        { text: t('Download'), itemId: 'download', iconCls: 'fa fa-download', handler: guarded(ctx, 'download failed', () => { const [n] = selected(); if (n) return download(ctx, n).catch(alertError); }) },
                        { text: t('Verify'), itemId: 'verify', iconCls: 'fa fa-check-square-o', hidden: true, handler: guarded(ctx, 'verify failed', verify) },
                        { text: t('Compare'), itemId: 'compare', iconCls: 'fa fa-columns', handler: guarded(ctx, 'compare failed', () => {
                            const names = selected();
                            if (names.length !== 2) Ext.Msg.alert(t('Compare'), ctx.html(t('Select exactly two archives to compare.')));
                            else openArchiveDiff(ctx, names[1] as string, names[0] as string);
                        }) },
                        { xtype: 'progressbar', itemId: 'progress', width: 400, hidden: true },
                        '->',
                        { xtype: 'component', itemId: 'info', html: '' },
                    ],
                },
                { xtype: 'component', itemId: 'unavailable', scrollable: true, html: '' },
            ];
            this.pbhLoad = async () => {
                const canModify = this.pbhModel?.canModify === true;
                this.down('#create')?.setHidden(!canModify);
                this.down('#verify')?.setHidden(!canModify);
                try {
                    const res = await ctx.api.get<Partial<ArchivesResponse>>('/archives');
                    if (gone(this)) return;
                    if (!Array.isArray(res.archives)) throw new ApiError('not-found', 'no archives in the answer', ctx.api.baseUrl);
                    store.loadData(res.archives.map((a) => ({ ...a, verified: a.verified ?? null })));
                    const last = res.lastRun ? (res.lastRun.ok ? f('last run {0}', ctx.time(res.lastRun.at)) : f('last run {0} failed: {1}', ctx.time(res.lastRun.at), res.lastRun.error ?? '')) : '';
                    const next = res.nextRun !== undefined ? f('next {0}', ctx.time(res.nextRun)) : '';
                    this.down('#info')?.update(ctx.html([res.schedule ? f('Schedule: {0}', res.schedule) : '', next, last].filter(Boolean).join(' · ')));
                    this.getLayout().setActiveItem(0);
                } catch (e) {
                    if (gone(this)) return;
                    // 404: a daemon without the endpoints; 503: archives not set up on this one.
                    const missing = isApiError(e) && (e.kind === 'not-found' || e.status === 503);
                    this.down('#unavailable')?.update(
                        missing
                            ? `<div class="pbh-message"><h2><i class="fa fa-archive faded"></i>${ctx.html(t('Configuration archives are not available'))}</h2><p>${ctx.html(t('This version of the Backup Health service does not archive host configurations, or the feature is turned off in its settings.'))}</p><p class="pbh-meta">${ctx.html((e as Error).message)}</p></div>`
                            : errorHtml(ctx, e),
                    );
                    this.getLayout().setActiveItem(1);
                }
            };
            callParentOf('Ext.panel.Panel', 'initComponent', this, arguments);
            bindTaskLinks(ctx, this);
        },
        ...lazyView(),
    });
}
