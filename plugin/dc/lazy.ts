// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Views that fetch their own data (jobs, history, archives, …) do so only while visible: when
 * their tab is activated and on every refresh of the tab while they are shown.
 */

import type { PluginContext } from '../context.ts';
import { guarded, type HealthModel } from './model.ts';

export interface LazyViewCmp extends ExtComponent {
    pbhModel?: HealthModel;
    pbhLoad?: () => Promise<void>;
    isVisible(deep?: boolean): boolean;
}

/** The class members of a lazy view (spread into the Ext.define body). */
export function lazyView(): ExtConfig {
    return {
        pbhUpdate: function (this: LazyViewCmp, model: HealthModel) {
            this.pbhModel = model;
            if (this.rendered && this.isVisible(true)) void this.pbhLoad?.();
        },
    };
}

/** Call after callParent: loads on activation, and opens task links (`a.pbh-upid`) in PVE's viewer. */
export function bindTaskLinks(ctx: PluginContext, cmp: LazyViewCmp): void {
    cmp.on('activate', guarded(ctx, 'loading a view failed', () => cmp.pbhLoad?.()));
    cmp.on(
        'afterrender',
        guarded(ctx, 'task links failed', () => {
            cmp.getEl()?.on(
                'click',
                guarded(ctx, 'opening the task failed', (_e: unknown, target: HTMLElement) => {
                    const upid = target.getAttribute('data-upid');
                    if (upid) ctx.openTask(upid);
                }),
                null,
                { delegate: 'a.pbh-upid' },
            );
        }),
    );
}
