// SPDX-License-Identifier: AGPL-3.0-or-later
/** Line diff (Myers' O(ND) algorithm) and unified-diff output for configuration files. */

export type DiffOp = { kind: ' ' | '-' | '+'; line: string };

/** Shortest edit script from `a` to `b`; null when it needs more than `maxEdits` edits. */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 4000): DiffOp[] | null {
    const n = a.length;
    const m = b.length;
    const max = Math.min(n + m, maxEdits);
    const off = max + 1;
    const v = new Int32Array(2 * max + 3);
    const trace: Int32Array[] = [];
    for (let d = 0; d <= max; d++) {
        // Keep only the diagonals step d reads (k-1..k+1 for |k| <= d): O(D²) memory.
        trace.push(v.slice(off - d - 1, off + d + 2));
        for (let k = -d; k <= d; k += 2) {
            let x = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number)) ? (v[off + k + 1] as number) : (v[off + k - 1] as number) + 1;
            let y = x - k;
            while (x < n && y < m && a[x] === b[y]) {
                x++;
                y++;
            }
            v[off + k] = x;
            if (x >= n && y >= m) return backtrack(a, b, trace, d);
        }
    }
    return null;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], depth: number): DiffOp[] {
    const ops: DiffOp[] = [];
    let x = a.length;
    let y = b.length;
    for (let d = depth; d > 0; d--) {
        const row = trace[d] as Int32Array;
        const at = (k: number): number => row[k + d + 1] as number;
        const k = x - y;
        const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
        const prevX = at(prevK);
        const prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            ops.push({ kind: ' ', line: a[--x] as string });
            y--;
        }
        if (x === prevX) ops.push({ kind: '+', line: b[--y] as string });
        else ops.push({ kind: '-', line: a[--x] as string });
    }
    while (x > 0 && y > 0) {
        ops.push({ kind: ' ', line: a[--x] as string });
        y--;
    }
    return ops.reverse();
}

function splitLines(text: string): string[] {
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
}

/**
 * `diff -u` style text between two versions (`--- a/<path>`, `+++ b/<path>`, `@@` hunks with
 * `context` lines); empty when equal; a one-line note when the change is too large to show.
 */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
    const a = splitLines(before);
    const b = splitLines(after);
    const ops = diffLines(a, b);
    if (ops === null) return `--- a/${path}\n+++ b/${path}\n(too many changes to show: ${a.length} → ${b.length} lines)\n`;
    if (!ops.some((o) => o.kind !== ' ')) return '';
    const out = [`--- a/${path}`, `+++ b/${path}`];
    // Positions (index in ops) of changes; hunks merge changes closer than 2 × context.
    const changes = ops.flatMap((o, i) => (o.kind === ' ' ? [] : [i]));
    let start = 0;
    while (start < changes.length) {
        let end = start;
        while (end + 1 < changes.length && (changes[end + 1] as number) - (changes[end] as number) <= 2 * context) end++;
        const from = Math.max(0, (changes[start] as number) - context);
        const to = Math.min(ops.length - 1, (changes[end] as number) + context);
        let lineA = 1;
        let lineB = 1;
        for (let i = 0; i < from; i++) {
            if (ops[i]?.kind !== '+') lineA++;
            if (ops[i]?.kind !== '-') lineB++;
        }
        const hunk = ops.slice(from, to + 1);
        const countA = hunk.filter((o) => o.kind !== '+').length;
        const countB = hunk.filter((o) => o.kind !== '-').length;
        out.push(`@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`);
        for (const o of hunk) out.push(`${o.kind}${o.line}`);
        start = end + 1;
    }
    return `${out.join('\n')}\n`;
}
