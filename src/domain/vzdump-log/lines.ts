// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The three shapes a task log arrives in: raw file text, an array of lines, or the API's
 * `[{n, t}]` list (pve-platform.md §3.6). Normalised once into parallel arrays so the parser's
 * hot loop works on plain strings and builds line objects only for evidence.
 */

export type VzdumpLogInput = string | readonly string[] | readonly { n: number; t: string }[];

export interface LogLines {
    texts: string[];
    /** 1-based line numbers, or null when they are simply index + 1. */
    numbers: number[] | null;
}

/** Never throws, whatever arrives at runtime. */
export function normalizeLogInput(input: unknown): LogLines {
    let lines: LogLines;
    if (typeof input === 'string') lines = { texts: splitText(input), numbers: null };
    else if (Array.isArray(input)) lines = fromArray(input);
    else lines = { texts: [], numbers: null };
    // PVE's log API answers an empty log with one pseudo line.
    if (lines.texts.length === 1 && lines.texts[0] === 'no content') return { texts: [], numbers: null };
    return lines;
}

function splitText(text: string): string[] {
    if (text === '') return [];
    const texts = text.split('\n');
    if (texts[texts.length - 1] === '') texts.pop();
    if (!text.includes('\r')) return texts;
    for (let i = 0; i < texts.length; i++) {
        const line = texts[i] as string;
        if (line.charCodeAt(line.length - 1) === 13) texts[i] = line.slice(0, -1);
    }
    return texts;
}

function fromArray(items: readonly unknown[]): LogLines {
    const texts: string[] = new Array(items.length);
    let numbers: number[] | null = null;
    for (let i = 0; i < items.length; i++) {
        const item = items[i];
        let text = '';
        if (typeof item === 'string') {
            text = item;
        } else if (typeof item === 'object' && item !== null) {
            const { n, t } = item as { n?: unknown; t?: unknown };
            text = primitiveText(t);
            if (typeof n === 'number' && Number.isSafeInteger(n) && n !== i + 1) {
                numbers ??= Array.from({ length: items.length }, (_v, k) => k + 1);
                numbers[i] = n;
            }
        }
        texts[i] = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    }
    return { texts, numbers };
}

/** Objects could carry a throwing `toString`; only primitives are turned into text. */
function primitiveText(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    return '';
}
