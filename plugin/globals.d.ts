// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Minimal typings for the globals of the PVE web GUI the plugin touches: ExtJS (classic toolkit,
 * the API common to 6.2 and 7.0), the widget toolkit (`Proxmox`), pve-manager (`PVE`) and
 * `gettext`. Only what the plugin uses is declared; everything from the host is treated as
 * possibly missing or changed, so callers check before they use it.
 */

type ExtConfig = { [key: string]: unknown };
/** Any listener; Ext passes arguments that differ per event. */
type ExtListener = (...args: never[]) => unknown;

interface ExtElement {
    dom: HTMLElement;
    on(event: string, fn: ExtListener, scope?: unknown, options?: ExtConfig): void;
}

interface ExtRecord {
    get(field: string): unknown;
    getData(): ExtConfig;
}

interface ExtStore {
    loadData(rows: ExtConfig[], append?: boolean): void;
    getCount(): number;
    getAt(index: number): ExtRecord | null;
    filterBy(fn: (record: ExtRecord) => boolean): void;
    clearFilter(suppressEvent?: boolean): void;
    group(field: string, direction?: string): void;
    clearGrouping(): void;
    getData(): { items: ExtRecord[] };
    each(fn: (record: ExtRecord) => boolean | undefined): void;
    destroy(): void;
}

interface ExtLayout {
    setActiveItem(item: ExtComponent | string | number): void;
    getActiveItem(): ExtComponent | null;
}

interface ExtComponent {
    readonly id: string;
    itemId?: string;
    xtype?: string;
    destroyed?: boolean;
    isDestroyed?: boolean;
    rendered?: boolean;
    items?: unknown;
    dockedItems?: unknown;
    tbar?: unknown;
    title?: string;
    callParent(args?: IArguments | unknown[]): unknown;
    down(selector: string): ExtComponent | null;
    up(selector: string): ExtComponent | null;
    query(selector: string): ExtComponent[];
    getComponent(id: string): ExtComponent | undefined;
    add(item: ExtConfig | ExtConfig[] | ExtComponent): ExtComponent;
    remove(item: ExtComponent, destroy?: boolean): void;
    removeAll(destroy?: boolean): void;
    update(html: string): void;
    setHidden(hidden: boolean): void;
    setDisabled(disabled: boolean): void;
    setTitle(title: string): void;
    setText(text: string): void;
    setValue(value: unknown): void;
    getValue(): unknown;
    setLoading(message: boolean | string): void;
    markInvalid(message: string): void;
    isValid(): boolean;
    show(): ExtComponent;
    close(): void;
    destroy(): void;
    on(event: string, fn: ExtListener, scope?: unknown): void;
    getEl(): ExtElement | undefined;
    getStore(): ExtStore;
    getSelection(): ExtRecord[];
    getLayout(): ExtLayout;
    setActiveItem(item: ExtComponent | string | number): void;
    setActiveTab(item: ExtComponent | string | number): void;
    updateProgress(value: number, text?: string): void;
    updateLayout(): void;
}

interface ExtClass {
    prototype: { [key: string]: unknown };
}

interface ExtStatic {
    define(name: string, body: ExtConfig): unknown;
    create<T = ExtComponent>(name: string | ExtConfig, config?: ExtConfig): T;
    onReady(fn: () => void): void;
    ClassManager: { get(name: string): ExtClass | null | undefined };
    ComponentQuery: { query(selector: string): ExtComponent[] };
    state: {
        Manager: {
            get(key: string, fallback?: unknown): unknown;
            getProvider(): { set(key: string, value: unknown): void } | undefined;
        };
    };
    String: { htmlEncode(text: string): string; format(format: string, ...values: unknown[]): string };
    Date: { format(date: Date, format: string): string };
    util: { CSS: { createStyleSheet(css: string, id: string): unknown } };
    Msg: {
        alert(title: string, message: string): void;
        confirm(title: string, message: string, fn: (button: string) => void): void;
    };
    version?: { version?: string };
    getVersion?(): { version: string };
}

interface ProxmoxUtils {
    render_size?(bytes: number): string;
    format_duration_long?(seconds: number): string;
    render_timestamp?(epoch: number): string;
}

interface ProxmoxStatic {
    defaultLang?: string;
    UserName?: string;
    Setup?: { auth_cookie_name?: string };
    Utils?: ProxmoxUtils;
}

declare const Ext: ExtStatic;
declare const Proxmox: ProxmoxStatic | undefined;
declare const PVE: { [key: string]: unknown } | undefined;
declare function gettext(text: string): string;

/** Replaced at build time with the package version. */
declare const __PBH_VERSION__: string;

interface Window {
    /** Daemon base URL set by the admin before the plugin loads (see README "The GUI"). */
    PVE_BACKUP_HEALTH_URL?: string;
    /** Set by the plugin: its version and whether its overrides were installed. */
    PVEBackupHealth?: { version: string; installed: string[]; problems: string[] };
}
