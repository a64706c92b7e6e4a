// SPDX-License-Identifier: AGPL-3.0-or-later
/** Small cell renderers shared by the grids and the explain window. */

import type { PluginContext } from '../context.ts';

export function qtip(ctx: PluginContext, text: string): string {
    return `data-qtip="${ctx.html(ctx.html(text))}"`;
}

export function resultHtml(ctx: PluginContext, status: string): string {
    const { t } = ctx.i18n;
    const map: Record<string, [string, string]> = {
        ok: ['fa fa-check good', 'OK'],
        warnings: ['fa fa-exclamation-triangle warning', 'Warnings'],
        failed: ['fa fa-times critical', 'Failed'],
        aborted: ['fa fa-times critical', 'Aborted'],
        running: ['fa fa-spinner faded', 'Running'],
        unknown: ['fa fa-question faded', 'Unknown'],
    };
    const m = map[status];
    return m ? `<i class="${m[0]}"></i> ${ctx.html(t(m[1]))}` : '';
}

export function typeText(ctx: PluginContext, type: unknown): string {
    return type === 'qemu' ? ctx.i18n.t('VM') : type === 'lxc' ? ctx.i18n.t('CT') : ctx.html(type);
}
