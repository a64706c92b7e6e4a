// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What every view of the plugin gets passed: the daemon client, the strings, formatters, and the
 * few host (PVE) helpers it uses, each guarded so a changed or missing helper degrades to our own
 * fallback instead of an exception inside an ExtJS layout run.
 */

import { createClient, type DaemonClient, readTicket, resolveBaseUrl } from './api.ts';
import { CATALOGUES } from './catalogue.ts';
import { createI18n, detectLang, type I18n } from './i18n.ts';
import { ageParts, formatBytes, formatDuration } from './view-logic.ts';

export interface PluginContext {
    readonly version: string;
    readonly api: DaemonClient;
    readonly i18n: I18n;
    /** Epoch seconds now (the browser clock). */
    now(): number;
    time(epoch: number | null | undefined): string;
    /** "3 h ago", "in 2 d". */
    age(epoch: number | null | undefined): string;
    bytes(value: number | null | undefined): string;
    duration(seconds: number | null | undefined): string;
    html(text: unknown): string;
    /** Opens PVE's own task viewer for a UPID (or says so when PVE has none). */
    openTask(upid: string): void;
    /** One console line per distinct problem of the plugin itself. */
    warn(message: string, error?: unknown): void;
}

function proxmox(): ProxmoxStatic | undefined {
    return typeof Proxmox === 'undefined' ? undefined : Proxmox;
}

/** Calls a host helper, falling back to ours when it is missing, throws or returns a non-string. */
function hostOr<A>(pick: (u: ProxmoxUtils) => ((a: A) => string) | undefined, fallback: (a: A) => string): (a: A) => string {
    return (a) => {
        try {
            const utils = proxmox()?.Utils;
            const fn = utils ? pick(utils) : undefined;
            if (typeof fn === 'function') {
                const out = fn.call(utils, a);
                if (typeof out === 'string') return out;
            }
        } catch {
            // fall back
        }
        return fallback(a);
    };
}

export function createContext(win: Window, warn: (message: string, error?: unknown) => void): PluginContext {
    const cookieName = proxmox()?.Setup?.auth_cookie_name || 'PVEAuthCookie';
    const api = createClient({
        fetch: (url, init) => win.fetch(url, init),
        baseUrl: resolveBaseUrl({ location: win.location, storage: safeStorage(win), override: win.PVE_BACKUP_HEALTH_URL }),
        ticket: () => readTicket(win.document.cookie, cookieName),
    });
    const i18n = createI18n(detectLang(proxmox()?.defaultLang, win.document.cookie), CATALOGUES, typeof gettext === 'function' ? gettext : undefined);
    const html = (text: unknown) => Ext.String.htmlEncode(text === undefined || text === null ? '' : String(text));
    const now = () => Math.floor(Date.now() / 1000);
    const sizeOf = hostOr((u) => u.render_size, formatBytes);
    return {
        version: typeof __PBH_VERSION__ === 'string' ? __PBH_VERSION__ : 'dev',
        api,
        i18n,
        now,
        time: (epoch) => (typeof epoch === 'number' ? Ext.Date.format(new Date(epoch * 1000), 'Y-m-d H:i') : ''),
        age: (epoch) => {
            if (typeof epoch !== 'number') return '';
            const diff = now() - epoch;
            const p = ageParts(Math.abs(diff));
            const span = i18n.f(p.unit, p.value);
            return diff >= 0 ? i18n.f('{0} ago', span) : i18n.f('in {0}', span);
        },
        bytes: (value) => (typeof value === 'number' ? sizeOf(value) : ''),
        duration: (seconds) => (typeof seconds === 'number' ? formatDuration(seconds) : ''),
        html,
        openTask: (upid) => {
            try {
                if (Ext.ClassManager.get('Proxmox.window.TaskViewer')) {
                    Ext.create('Proxmox.window.TaskViewer', { upid }).show();
                    return;
                }
            } catch (e) {
                warn('cannot open the task viewer', e);
            }
            Ext.Msg.alert(i18n.t('Task'), html(upid));
        },
        warn,
    };
}

function safeStorage(win: Window): Storage | undefined {
    try {
        return win.localStorage;
    } catch {
        return undefined;
    }
}
