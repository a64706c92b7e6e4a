// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The two hooks into PVE's GUI (pve-platform.md §1.9, §1.10), each installed only when the PVE
 * class it needs is there in the expected shape; otherwise the caller logs one warning and the
 * GUI stays exactly as PVE built it.
 *
 * - `PVE.dc.Config`: the tab goes into the item list *before* the base class builds its tree,
 *   through a temporary instance-level `insertNodes`, so PVE's own state restore (`dctab`) finds it
 *   after a reload.
 * - `PVE.dc.Summary`: the widget is spliced into a copy of the class's item array after Guests.
 */

export const TAB_ITEM_ID = 'backup-health';
export const WIDGET_ITEM_ID = 'backupHealthSummary';

/** The capability map PVE keeps in the state manager; a missing map counts as empty. */
export function hasSysAudit(): boolean {
    const caps = Ext.state.Manager.get('GuiCap') as { dc?: Record<string, unknown> } | undefined;
    return Boolean(caps?.dc?.['Sys.Audit']);
}

type ItemList = ExtConfig[];

function itemIdOf(item: unknown): unknown {
    return typeof item === 'object' && item !== null ? (item as ExtConfig).itemId : undefined;
}

/** Inserts `item` right after the entry with itemId `after` (or at the end), unless present. */
export function spliceAfter(items: ItemList, after: string, item: ExtConfig): void {
    if (items.some((i) => itemIdOf(i) === item.itemId)) return;
    const at = items.findIndex((i) => itemIdOf(i) === after);
    items.splice(at < 0 ? items.length : at + 1, 0, item);
}

interface Hooks {
    tabItem(): ExtConfig;
    widgetItem(): ExtConfig;
    warn(message: string, error?: unknown): void;
}

/** Returns why the Datacenter tab cannot be added, or null once the override is installed. */
export function overrideDcConfig(hooks: Hooks): string | null {
    const dc = Ext.ClassManager.get('PVE.dc.Config');
    const base = Ext.ClassManager.get('PVE.panel.Config');
    if (!dc || !base) return 'PVE.dc.Config or PVE.panel.Config is missing';
    const baseInsert = base.prototype.insertNodes;
    if (typeof baseInsert !== 'function') return 'PVE.panel.Config has no insertNodes any more';
    // Called directly, not through callParent (which cannot see strict-mode callers, see ext.ts).
    const original = dc.prototype.initComponent;
    if (typeof original !== 'function') return 'PVE.dc.Config has no initComponent';
    Ext.define('BackupHealth.override.dc.Config', {
        override: 'PVE.dc.Config',
        initComponent: function (this: ExtComponent & { insertNodes?: unknown }) {
            let installed = false;
            try {
                if (hasSysAudit()) {
                    this.insertNodes = function (this: ExtComponent, items: ItemList) {
                        try {
                            if (Array.isArray(items)) spliceAfter(items, 'backup', hooks.tabItem());
                        } catch (e) {
                            hooks.warn('cannot add the Backup Health tab', e);
                        }
                        return (baseInsert as (items: ItemList) => unknown).call(this, items);
                    };
                    installed = true;
                }
            } catch (e) {
                hooks.warn('cannot add the Backup Health tab', e);
            }
            try {
                original.apply(this, arguments);
            } finally {
                if (installed) delete this.insertNodes;
            }
        },
    });
    return null;
}

/** Returns why the Summary widget cannot be added, or null once the override is installed. */
export function overrideDcSummary(hooks: Hooks): string | null {
    const summary = Ext.ClassManager.get('PVE.dc.Summary');
    if (!summary) return 'PVE.dc.Summary is missing';
    const items = summary.prototype.items;
    if (!Array.isArray(items) || !items.some((i) => itemIdOf(i) === 'dcGuests')) return 'PVE.dc.Summary has no Guests item any more';
    const original = summary.prototype.initComponent;
    if (typeof original !== 'function') return 'PVE.dc.Summary has no initComponent';
    Ext.define('BackupHealth.override.dc.Summary', {
        override: 'PVE.dc.Summary',
        initComponent: function (this: ExtComponent) {
            try {
                if (hasSysAudit()) {
                    const current = Array.isArray(this.items) ? (this.items as ItemList) : [];
                    // Never mutate the shared class-level array: every Summary gets its own copy.
                    const copy = current.slice();
                    spliceAfter(copy, 'dcGuests', hooks.widgetItem());
                    this.items = copy;
                }
            } catch (e) {
                hooks.warn('cannot add the Backup Health widget', e);
            }
            original.apply(this, arguments);
        },
    });
    return null;
}
