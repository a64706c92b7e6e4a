// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The plugin's strings: its own catalogue (German, Italian) keyed by the English text, for the
 * user's PVE language (`Proxmox.defaultLang`, else the `PVELangCookie`); a string missing there
 * goes through PVE's `gettext` (which returns the English text when it has no translation).
 */

export type Catalogue = Readonly<Record<string, string>>;

export interface I18n {
    readonly lang: string;
    /** Translates an English catalogue key. */
    t(text: string): string;
    /** Translates, then fills `{0}`, `{1}`, … with the arguments. */
    f(text: string, ...args: (string | number)[]): string;
}

export function fill(text: string, args: readonly (string | number)[]): string {
    return text.replace(/\{(\d+)\}/g, (m, i: string) => {
        const v = args[Number(i)];
        return v === undefined ? m : String(v);
    });
}

/** PVE's language: the page's `Proxmox.defaultLang`, else the `PVELangCookie`, else English. */
export function detectLang(defaultLang: string | undefined, cookie: string): string {
    const m = /(?:^|;\s*)PVELangCookie=([^;]*)/.exec(cookie);
    const fromCookie = m?.[1] ? decodeURIComponent(m[1]) : undefined;
    const lang = (defaultLang || fromCookie || 'en').toLowerCase();
    return /^[a-z]{2}(?:[_-][a-z]{2,4})?$/.test(lang) ? lang : 'en';
}

export function createI18n(lang: string, catalogues: Readonly<Record<string, Catalogue>>, gettextFn?: (text: string) => string): I18n {
    const own = catalogues[lang] ?? catalogues[lang.slice(0, 2)];
    const t = (text: string): string => {
        const mine = own?.[text];
        if (mine) return mine;
        if (gettextFn) {
            try {
                const theirs = gettextFn(text);
                if (typeof theirs === 'string' && theirs) return theirs;
            } catch {
                // a broken gettext must not hide the text
            }
        }
        return text;
    };
    return { lang, t, f: (text, ...args) => fill(t(text), args) };
}
