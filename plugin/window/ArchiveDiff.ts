// SPDX-License-Identifier: AGPL-3.0-or-later
/** Two configuration archives side by side: files added, removed and changed (old left, new right). */

import type { ArchiveDiffResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { errorHtml, gone } from '../dc/model.ts';
import { sideBySide } from '../figures.ts';

export function diffHtml(ctx: PluginContext, d: ArchiveDiffResponse): string {
    const { t, f } = ctx.i18n;
    let html = `<div class="pbh-section"><table class="pbh-diff"><tr><td><b>${ctx.html(d.a)}</b></td><td><b>${ctx.html(d.b)}</b></td></tr></table>`;
    if (d.added.length + d.removed.length + d.changed.length === 0) html += `<p><i class="fa fa-check good"></i> ${ctx.html(t('The archives hold the same configuration.'))}</p>`;
    if (d.removed.length) html += `<h3>${ctx.html(f('Removed ({0})', d.removed.length))}</h3><div class="pbh-log">${d.removed.map((p) => ctx.html(p)).join('\n')}</div>`;
    if (d.added.length) html += `<h3>${ctx.html(f('Added ({0})', d.added.length))}</h3><div class="pbh-log">${d.added.map((p) => ctx.html(p)).join('\n')}</div>`;
    if (d.changed.length) html += `<h3>${ctx.html(f('Changed ({0})', d.changed.length))}</h3>`;
    for (const c of d.changed) {
        html += `<div class="pbh-meta"><b>${ctx.html(c.path)}</b>${c.summary ? ` · ${ctx.html(c.summary)}` : ''}</div>`;
        if (!c.diff) continue;
        html += '<table class="pbh-diff">';
        for (const row of sideBySide(c.diff)) html += `<tr class="pbh-${row.kind}"><td class="pbh-l">${ctx.html(row.left)}</td><td class="pbh-r">${ctx.html(row.right)}</td></tr>`;
        html += '</table>';
    }
    return `${html}</div>`;
}

/** `a` is the older archive (left), `b` the newer one (right). */
export function openArchiveDiff(ctx: PluginContext, a: string, b: string): void {
    const win = Ext.create('Ext.window.Window', {
        title: ctx.i18n.f('Compare {0} with {1}', a, b),
        width: Math.min(1200, Math.max(600, window.innerWidth - 80)),
        height: Math.min(760, Math.max(400, window.innerHeight - 80)),
        modal: true,
        layout: 'fit',
        items: [{ xtype: 'component', itemId: 'body', scrollable: true, html: '' }],
        buttons: [{ text: ctx.i18n.t('Close'), handler: () => win.close() }],
    });
    win.show();
    win.setLoading(ctx.i18n.t('Loading…'));
    ctx.api
        .get<ArchiveDiffResponse>(`/archives/diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`)
        .then((d) => {
            if (!gone(win)) win.down('#body')?.update(diffHtml(ctx, d));
        })
        .catch((e: unknown) => {
            if (!gone(win)) win.down('#body')?.update(errorHtml(ctx, e));
        })
        .finally(() => {
            if (!gone(win)) win.setLoading(false);
        });
}
