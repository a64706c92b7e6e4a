// SPDX-License-Identifier: AGPL-3.0-or-later
/** Status over time for trends, kept bounded: every cycle of the last two days, hourly before. */

import type { HealthReport } from '../health/report.ts';
import type { Status } from '../model.ts';

export interface HistoryPoint {
    at: number;
    status: Status;
    ok: number;
    warning: number;
    critical: number;
    unknown: number;
    notCovered: number;
    problems: number;
    /** Storage fill levels, for the projected-full date (`remote`: a remote cluster's storage). */
    storages?: { storage: string; node: string; remote?: string; used: number; total: number }[];
}

const RECENT = 2 * 86400;
const MAX_AGE = 90 * 86400;

export function historyPoint(report: HealthReport, at: number): HistoryPoint {
    const c = report.counts;
    const p: HistoryPoint = { at, status: report.status, ok: c.ok, warning: c.warning, critical: c.critical, unknown: c.unknown, notCovered: c.notCovered, problems: c.problems };
    const storages = report.storages.flatMap((s) =>
        s.used !== undefined && s.total !== undefined ? [{ storage: s.storage, node: s.node, ...(s.remote !== undefined ? { remote: s.remote } : {}), used: s.used, total: s.total }] : [],
    );
    if (storages.length > 0) p.storages = storages;
    return p;
}

/** Appends a point and thins old ones to one per hour (the worst of that hour), dropping > 90 days. */
export function appendHistory(points: readonly HistoryPoint[], point: HistoryPoint): HistoryPoint[] {
    const rank = { ok: 0, warning: 1, unknown: 2, critical: 3 } as const;
    const out: HistoryPoint[] = [];
    const hourly = new Map<number, HistoryPoint>();
    for (const p of [...points, point]) {
        const age = point.at - p.at;
        if (age > MAX_AGE) continue;
        if (age <= RECENT) {
            out.push(p);
            continue;
        }
        const hour = Math.floor(p.at / 3600);
        const kept = hourly.get(hour);
        if (!kept || rank[p.status] > rank[kept.status]) hourly.set(hour, p);
    }
    return [...hourly.values(), ...out].sort((a, b) => a.at - b.at);
}
