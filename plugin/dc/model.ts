// SPDX-License-Identifier: AGPL-3.0-or-later
/** What the tab's views share: the latest answer of the daemon and who is looking. */

import type { DaemonInfo } from '../../src/contract/http-api.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import type { Status } from '../../src/domain/model.ts';
import type { ApiError } from '../api.ts';
import type { PluginContext } from '../context.ts';
import { STATUS_TEXT, statusIconCls } from '../view-logic.ts';

export interface HealthModel {
    daemon: DaemonInfo;
    report?: HealthReport;
    user: string;
    /** Sys.Modify on `/`: may press buttons that change something. */
    canModify: boolean;
}

/** A child view of the tab: told about every new model while it exists. */
export interface PbhView extends ExtComponent {
    pbhUpdate?(model: HealthModel): void;
}

export function statusHtml(ctx: PluginContext, status: Status): string {
    return `<i class="${statusIconCls(status)}"></i> ${ctx.html(ctx.i18n.t(STATUS_TEXT[status] ?? 'Unknown'))}`;
}

/** A small inline error line for a view whose own request failed. */
export function errorHtml(ctx: PluginContext, e: unknown): string {
    const msg = e instanceof Error ? e.message : String(e);
    return `<div class="pbh-error"><i class="fa fa-exclamation-triangle critical"></i>${ctx.html(msg)}</div>`;
}

export function isApiError(e: unknown): e is ApiError {
    return e instanceof Error && e.name === 'ApiError';
}

/** Runs a callback from an Ext event, keeping any exception inside the plugin. */
export function guarded<A extends unknown[]>(ctx: PluginContext, what: string, fn: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
        try {
            const r = fn(...args);
            if (r instanceof Promise) r.catch((e: unknown) => ctx.warn(what, e));
        } catch (e) {
            ctx.warn(what, e);
        }
    };
}

/** Whether an Ext component is gone (destroyed while a request was running). */
export function gone(cmp: ExtComponent | null | undefined): boolean {
    return !cmp || cmp.destroyed === true || cmp.isDestroyed === true;
}
