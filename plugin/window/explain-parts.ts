// SPDX-License-Identifier: AGPL-3.0-or-later
/** Columns and the size chart of the explain window. */

import type { GuestDetailResponse } from '../../src/contract/http-api.ts';
import type { PluginContext } from '../context.ts';
import { resultHtml } from '../dc/render.ts';
import { chartPath } from '../figures.ts';

function upid(ctx: PluginContext, value: unknown): string {
    if (typeof value !== 'string' || !value) return '';
    // The start time (hex) and type are enough to recognise a task; the full UPID is in the tooltip.
    const short = value.split(':').slice(4, 6).join(':') || value;
    return `<a class="pbh-link pbh-upid" data-upid="${ctx.html(value)}" data-qtip="${ctx.html(ctx.html(value))}">${ctx.html(short)}</a>`;
}

const STATE_TEXT: Record<string, [string, string]> = {
    ran: ['fa fa-play-circle good', 'ran'],
    missed: ['fa fa-times-circle critical', 'missed'],
    pending: ['fa fa-clock-o faded', 'pending'],
    'dst-ambiguous': ['fa fa-question-circle faded', 'DST hour, not judged'],
    unknown: ['fa fa-question-circle faded', 'unknown'],
    'not-expected': ['fa fa-minus-circle faded', 'not expected'],
};

export function runsColumns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    return [
        { text: t('Expected at'), dataIndex: 'time', width: 140, renderer: (v: unknown) => ctx.html(ctx.time(v as number)) },
        { text: t('Job'), dataIndex: 'job', width: 110, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Node'), dataIndex: 'node', width: 80, renderer: (v: unknown) => ctx.html(v) },
        {
            text: t('Run'),
            dataIndex: 'state',
            width: 150,
            renderer: (v: unknown) => {
                const s = STATE_TEXT[String(v)];
                return s ? `<i class="${s[0]}"></i> ${ctx.html(t(s[1]))}` : ctx.html(v);
            },
        },
        { text: t('Task'), dataIndex: 'upid', width: 170, renderer: (v: unknown) => upid(ctx, v) },
        { text: t('Guest result'), dataIndex: 'guestStatus', width: 110, renderer: (v: unknown) => (v === 'absent' ? ctx.html(t('not in the task')) : resultHtml(ctx, String(v ?? ''))) },
        { text: t('Why'), dataIndex: 'why', flex: 1, renderer: (v: unknown) => ctx.html(v) },
    ];
}

export function attemptsColumns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    return [
        { text: t('Start'), dataIndex: 'start', width: 140, renderer: (v: unknown) => ctx.html(ctx.time(v as number)) },
        { text: t('Result'), dataIndex: 'status', width: 100, renderer: (v: unknown) => resultHtml(ctx, String(v)) },
        { text: t('Kind'), dataIndex: 'scheduled', width: 90, renderer: (v: unknown) => ctx.html(t(v ? 'scheduled' : 'manual')) },
        { text: t('Job'), dataIndex: 'jobId', width: 100, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Node'), dataIndex: 'node', width: 80, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Duration'), dataIndex: 'durationSeconds', width: 80, align: 'right', renderer: (v: unknown) => ctx.html(ctx.duration(v as number)) },
        { text: t('Size'), dataIndex: 'sizeBytes', width: 90, align: 'right', renderer: (v: unknown) => ctx.html(ctx.bytes(v as number)) },
        { text: t('Task'), dataIndex: 'upid', width: 170, renderer: (v: unknown) => upid(ctx, v) },
        { text: t('Error'), dataIndex: 'error', flex: 1, renderer: (v: unknown) => ctx.html(v) },
    ];
}

export function backupsColumns(ctx: PluginContext): ExtConfig[] {
    const { t } = ctx.i18n;
    return [
        { text: t('Created'), dataIndex: 'ctime', width: 140, renderer: (v: unknown) => ctx.html(ctx.time(v as number)) },
        { text: t('Storage'), dataIndex: 'storage', width: 110, renderer: (v: unknown) => ctx.html(v) },
        { text: t('Size'), dataIndex: 'size', width: 90, align: 'right', renderer: (v: unknown) => ctx.html(ctx.bytes(v as number)) },
        {
            text: t('Verify'),
            dataIndex: 'verify',
            width: 90,
            renderer: (v: unknown) => (v === 'ok' ? `<i class="fa fa-check good"></i> ${ctx.html(t('OK'))}` : v === 'failed' ? `<i class="fa fa-times critical"></i> ${ctx.html(t('Failed'))}` : ''),
        },
        { text: t('Protected'), dataIndex: 'protected', width: 80, renderer: (v: unknown) => (v ? '<i class="fa fa-shield"></i>' : '') },
        { text: t('Volume'), dataIndex: 'volid', flex: 1, renderer: (v: unknown) => ctx.html(v) },
    ];
}

/** The backups' sizes over time as a small inline SVG (themes colour it through currentColor). */
export function backupsChartHtml(ctx: PluginContext, backups: GuestDetailResponse['backups']): string {
    const values = backups.filter((b) => typeof b.size === 'number').map((b) => ({ at: b.ctime, value: b.size as number }));
    if (values.length < 2) return `<div class="faded">${ctx.html(ctx.i18n.t('Not enough backups with a known size for a chart.'))}</div>`;
    const w = 600;
    const h = 90;
    const path = chartPath(values, w, h);
    const dots = chartPath(values, w, h)
        .split(' ')
        .map((p) => p.slice(1).split(','))
        .map(([x, y]) => `<circle cx="${x}" cy="${y}" r="2.5"></circle>`)
        .join('');
    const max = Math.max(...values.map((v) => v.value));
    const first = Math.min(...values.map((v) => v.at));
    const last = Math.max(...values.map((v) => v.at));
    const label = ctx.i18n.f('Backup size over time: {0} to {1}, largest {2}', ctx.time(first), ctx.time(last), ctx.bytes(max));
    return `<div class="pbh-meta">${ctx.html(label)}</div><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${ctx.html(label)}"><line x1="0" y1="${h - 1}" x2="${w}" y2="${h - 1}" stroke="currentColor" stroke-opacity="0.3"></line><path class="pbh-line" d="${path}"></path>${dots}</svg>`;
}
