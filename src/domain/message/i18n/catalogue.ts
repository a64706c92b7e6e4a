// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Message catalogues: one flat key → template map per language, all with the same keys (the
 * type system checks de/it against en; a test checks it at run time too). Templates use
 * `{name}` placeholders.
 */

import { de } from './de.ts';
import { en } from './en.ts';
import { it } from './it.ts';

export const MESSAGE_LANGUAGES = ['en', 'de', 'it'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export type CatalogueKey = keyof typeof en;
export type Catalogue = Readonly<Record<CatalogueKey, string>>;

const CATALOGUES: Record<MessageLanguage, Catalogue> = { en, de, it };

export function catalogueFor(language: MessageLanguage): Catalogue {
    return CATALOGUES[language] ?? en;
}

export type Vars = Record<string, string | number | undefined>;

/** Fills `{name}` placeholders; undefined when one of them has no value (the caller skips the line). */
export function fill(template: string, vars: Vars = {}): string | undefined {
    let missing = false;
    const out = template.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => {
        const v = vars[name];
        if (v === undefined) {
            missing = true;
            return '';
        }
        return String(v);
    });
    return missing ? undefined : out;
}

/** Like fill, but for keys the caller knows it fills completely. */
export function text(cat: Catalogue, key: CatalogueKey, vars: Vars = {}): string {
    return fill(cat[key], vars) ?? cat[key];
}

/** The catalogue key of a problem code's template, when the catalogue has it. */
export function codeKey(cat: Catalogue, code: string, part: string): CatalogueKey | undefined {
    const key = `code.${code}.${part}`;
    return key in cat ? (key as CatalogueKey) : undefined;
}
