// SPDX-License-Identifier: AGPL-3.0-or-later
// Every string the plugin shows has a German and an Italian translation in its catalogue, and
// the language falls back to PVE's gettext, then English.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../plugin/catalogue.ts';
import { createI18n, detectLang, fill } from '../../plugin/i18n.ts';
import { PROBLEM_LABELS, STATUS_TEXT } from '../../plugin/view-logic.ts';

const pluginDir = join(import.meta.dirname, '../../plugin');

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? sources(p) : n.endsWith('.ts') && n !== 'catalogue.ts' ? [p] : [];
    });
}

/** English strings passed literally to t()/f()/hf(), plus those chosen at run time. */
function usedStrings(): string[] {
    const out = new Set<string>([...Object.values(PROBLEM_LABELS), ...Object.values(STATUS_TEXT), 'not covered', 'Warnings', 'Aborted', 'Running', 'VM', 'CT']);
    for (const file of sources(pluginDir)) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:\bi18n\.[tf]|(?<![\w.])(?:t|f|hf))\(\s*'((?:[^'\\]|\\.)*)'/g)) out.add((m[1] as string).replace(/\\'/g, "'"));
        // Strings picked at run time: `text: '…'` templates (job warnings), row labels and state tables.
        for (const m of text.matchAll(/\btext: '((?:[^'\\]|\\.)*)', args/g)) out.add(m[1] as string);
        for (const m of text.matchAll(/\[\s*'fa [^']*',\s*'([^']*)'\s*\]/g)) out.add(m[1] as string);
        for (const m of text.matchAll(/\brow\('([^']*)'/g)) out.add(m[1] as string);
    }
    return [...out];
}

describe('translations', () => {
    it('covers every string the plugin shows in German and Italian', () => {
        const used = usedStrings();
        expect(used.length).toBeGreaterThan(150);
        for (const lang of ['de', 'it']) {
            const missing = used.filter((s) => !CATALOGUES[lang]?.[s]);
            expect(missing, `${lang} lacks`).toEqual([]);
        }
    });

    it('keeps the {n} placeholders of every string', () => {
        for (const lang of ['de', 'it']) {
            for (const [en, tr] of Object.entries(CATALOGUES[lang] ?? {})) {
                const holes = (s: string) => (s.match(/\{\d\}/g) ?? []).sort().join();
                expect(holes(tr), `${lang}: ${en}`).toBe(holes(en));
            }
        }
    });

    it('uses PVE language, then gettext, then English', () => {
        expect(detectLang('de', '')).toBe('de');
        expect(detectLang(undefined, 'a=b; PVELangCookie=it')).toBe('it');
        expect(detectLang(undefined, '')).toBe('en');
        expect(detectLang('<script>', '')).toBe('en');
        const de = createI18n('de', CATALOGUES, (s) => (s === 'Node' ? 'NODE-FROM-PVE' : s === 'Only in PVE' ? 'Nur in PVE' : s));
        expect(de.t('Check now')).toBe('Jetzt prüfen');
        expect(de.t('Only in PVE')).toBe('Nur in PVE');
        expect(de.f('{0} of {1}', 1, 2)).toBe('1 von 2');
        const pt = createI18n('pt_BR', CATALOGUES, () => {
            throw new Error('broken gettext');
        });
        expect(pt.t('Check now')).toBe('Check now');
        expect(fill('{1} {0} {2}', ['a', 'b'])).toBe('b a {2}');
    });
});
