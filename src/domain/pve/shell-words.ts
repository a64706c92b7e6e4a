// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Splits a command line into words the way a POSIX shell would for the quoting PVE produces
 * (`String::ShellQuote`: single quotes, with `'\''` for an embedded quote), plus double quotes and
 * backslash escapes for hand-written lines. Unterminated quotes run to the end; never throws.
 */
export function splitShellWords(text: string): string[] {
    const words: string[] = [];
    const source = typeof text === 'string' ? text : '';
    let word = '';
    let inWord = false;
    let i = 0;
    while (i < source.length) {
        const ch = source[i] as string;
        if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
            if (inWord) words.push(word);
            word = '';
            inWord = false;
            i++;
        } else if (ch === "'") {
            const end = source.indexOf("'", i + 1);
            const stop = end < 0 ? source.length : end;
            word += source.slice(i + 1, stop);
            inWord = true;
            i = stop + 1;
        } else if (ch === '"') {
            i++;
            inWord = true;
            while (i < source.length && source[i] !== '"') {
                const c = source[i] as string;
                const next = source[i + 1];
                if (c === '\\' && next !== undefined && '"\\$`'.includes(next)) {
                    word += next;
                    i += 2;
                } else {
                    word += c;
                    i++;
                }
            }
            i++;
        } else if (ch === '\\' && i + 1 < source.length) {
            word += source[i + 1] as string;
            inWord = true;
            i += 2;
        } else {
            word += ch;
            inWord = true;
            i++;
        }
    }
    if (inWord) words.push(word);
    return words;
}
