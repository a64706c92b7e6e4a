// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Pure numbers for the storage projection, the archive diff and the size chart. No Ext, no DOM
 * (unit-tested in test/gui/view-logic.test.ts).
 */

/** Least-squares line through (x, y); undefined for fewer than two distinct x. */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } | undefined {
    const n = points.length;
    if (n < 2) return undefined;
    let sx = 0;
    let sy = 0;
    for (const p of points) {
        sx += p.x;
        sy += p.y;
    }
    const mx = sx / n;
    const my = sy / n;
    let num = 0;
    let den = 0;
    for (const p of points) {
        num += (p.x - mx) * (p.y - my);
        den += (p.x - mx) ** 2;
    }
    if (den === 0) return undefined;
    const slope = num / den;
    return { slope, intercept: my - slope * mx };
}

/**
 * When a storage is projected to be full (epoch s), from usage samples over time; undefined when
 * usage is not growing or there is too little data. Never in the past: already full is `now`.
 */
export function projectFull(samples: readonly { at: number; used: number }[], total: number, now: number): number | undefined {
    if (!(total > 0) || samples.length < 3) return undefined;
    const fit = linearFit(samples.map((s) => ({ x: s.at, y: s.used })));
    if (!fit || fit.slope <= 0) return undefined;
    const at = (total - fit.intercept) / fit.slope;
    return Number.isFinite(at) ? Math.max(now, Math.round(at)) : undefined;
}

/**
 * Usage samples of one storage from history points (`HistoryPoint.storages`), read defensively:
 * they come over the network, and older points have no `storages`.
 */
/** `remote`: the remote cluster of the storage (names repeat across clusters); absent: this one. */
export function storageSamples(points: readonly unknown[], storage: string, node: string, remote?: string): { at: number; used: number }[] {
    const out: { at: number; used: number }[] = [];
    for (const p of points) {
        if (typeof p !== 'object' || p === null) continue;
        const { at, storages } = p as { at?: unknown; storages?: unknown };
        if (typeof at !== 'number' || !Array.isArray(storages)) continue;
        for (const s of storages as unknown[]) {
            if (typeof s !== 'object' || s === null) continue;
            const e = s as { storage?: unknown; node?: unknown; remote?: unknown; used?: unknown };
            if (e.storage === storage && e.remote === remote && (e.node === node || e.node === undefined) && typeof e.used === 'number') out.push({ at, used: e.used });
        }
    }
    return out;
}

export interface DiffRow {
    kind: 'same' | 'changed' | 'added' | 'removed' | 'hunk';
    left: string;
    right: string;
}

/** A unified diff turned into side-by-side rows: removals left, additions right, paired up. */
export function sideBySide(diff: string): DiffRow[] {
    const rows: DiffRow[] = [];
    let minus: string[] = [];
    let plus: string[] = [];
    const flush = () => {
        const n = Math.max(minus.length, plus.length);
        for (let i = 0; i < n; i++) {
            const l = minus[i];
            const r = plus[i];
            rows.push({ kind: l !== undefined && r !== undefined ? 'changed' : l !== undefined ? 'removed' : 'added', left: l ?? '', right: r ?? '' });
        }
        minus = [];
        plus = [];
    };
    for (const line of diff.split('\n')) {
        if (line.startsWith('---') || line.startsWith('+++')) continue;
        if (line.startsWith('@@')) {
            flush();
            rows.push({ kind: 'hunk', left: line, right: line });
        } else if (line.startsWith('-')) minus.push(line.slice(1));
        else if (line.startsWith('+')) plus.push(line.slice(1));
        else {
            flush();
            if (line === '') continue;
            const text = line.startsWith(' ') ? line.slice(1) : line;
            rows.push({ kind: 'same', left: text, right: text });
        }
    }
    flush();
    return rows;
}

/** Points of a small line chart (SVG coordinates) for values over time. */
export function chartPath(values: readonly { at: number; value: number }[], width: number, height: number, pad = 4): string {
    if (values.length === 0) return '';
    const xs = values.map((v) => v.at);
    const ys = values.map((v) => v.value);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y1 = Math.max(...ys, 1);
    const sx = (x: number) => (x1 === x0 ? width / 2 : pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad));
    const sy = (y: number) => height - pad - (y / y1) * (height - 2 * pad);
    return [...values]
        .sort((a, b) => a.at - b.at)
        .map((v, i) => `${i === 0 ? 'M' : 'L'}${sx(v.at).toFixed(1)},${sy(v.value).toFixed(1)}`)
        .join(' ');
}
