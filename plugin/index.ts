// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * pve-backup-health GUI plugin, loaded by one <script> tag after pvemanagerlib.js. It defines the
 * "Backup Health" Datacenter tab and the Datacenter Summary widget and hooks them into PVE's own
 * classes. Nothing here may ever break the PVE GUI: every step is guarded, and a PVE that changed
 * underneath gets one console warning and its GUI unchanged.
 */

import { createContext } from './context.ts';
import { defineArchivesView } from './dc/ArchivesView.ts';
import { defineGuestsGrid } from './dc/GuestsGrid.ts';
import { defineHealthView, HEALTH_VIEW_XTYPE } from './dc/HealthView.ts';
import { defineJobsView } from './dc/JobsView.ts';
import { defineNotificationsView } from './dc/NotificationsView.ts';
import { defineSettingsView } from './dc/SettingsView.ts';
import { defineStoragesView } from './dc/StoragesView.ts';
import { defineSummaryWidget, SUMMARY_WIDGET_XTYPE } from './dc/SummaryWidget.ts';
import { overrideDcConfig, overrideDcSummary, TAB_ITEM_ID, WIDGET_ITEM_ID } from './overrides.ts';
import { STYLE } from './style.ts';

const PREFIX = 'pve-backup-health:';

function register(win: Window): void {
    const state = { version: typeof __PBH_VERSION__ === 'string' ? __PBH_VERSION__ : 'dev', installed: [] as string[], problems: [] as string[] };
    win.PVEBackupHealth = state;
    const seen = new Set<string>();
    const warn = (message: string, error?: unknown) => {
        if (seen.has(message)) return;
        seen.add(message);
        state.problems.push(message);
        console.warn(`${PREFIX} ${message}`, ...(error === undefined ? [] : [error]));
    };
    if (typeof Ext === 'undefined' || typeof Ext.define !== 'function') {
        warn('ExtJS is not loaded: the Backup Health GUI is not available');
        return;
    }
    const ctx = createContext(win, warn);
    Ext.util.CSS.createStyleSheet(STYLE, 'pve-backup-health-style');
    defineGuestsGrid(ctx);
    defineJobsView(ctx);
    defineStoragesView(ctx);
    defineArchivesView(ctx);
    defineNotificationsView(ctx);
    defineSettingsView(ctx);
    defineHealthView(ctx);
    defineSummaryWidget(ctx);

    const hooks = {
        tabItem: () => ({ xtype: HEALTH_VIEW_XTYPE, itemId: TAB_ITEM_ID, title: ctx.i18n.t('Backup Health'), iconCls: 'fa fa-heartbeat' }),
        widgetItem: () => ({ xtype: SUMMARY_WIDGET_XTYPE, itemId: WIDGET_ITEM_ID, height: 250 }),
        warn,
    };
    // One warning for everything PVE changed, naming what is missing, and the GUI as before.
    const missing: string[] = [];
    for (const [name, install] of [['tab', overrideDcConfig], ['widget', overrideDcSummary]] as const) {
        try {
            const why = install(hooks);
            if (why === null) state.installed.push(name);
            else missing.push(why);
        } catch (e) {
            missing.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
    if (missing.length > 0) warn(`this PVE version is not supported by the plugin (${missing.join('; ')}); the GUI is left unchanged`);
}

try {
    register(window);
} catch (e) {
    console.warn(`${PREFIX} the plugin could not start; the PVE GUI is not affected`, e);
}
