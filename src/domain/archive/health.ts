// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * When the next archive is due, and the problems archives raise in the health report:
 * `config-archive-failed` (critical) for a failed run, `config-archive-stale` (warning) when the
 * newest verified archive is older than the schedule's interval plus the grace.
 */

import type { Problem } from '../model.ts';
import { nextEvent, parseCalendarEvent, typicalInterval } from '../schedule/index.ts';
import { CONFIG_DB_PATH } from './selection.ts';
import type { ArchiveManifest, ArchiveRun } from './types.ts';

/**
 * The next scheduled run after `lastRun` (epoch s); `now` when nothing ran yet, so a fresh
 * install makes its first archive at once. Null when the schedule never fires again.
 */
export function nextArchiveRun(lastRun: number | undefined, schedule: string, now: number, timeZone: string): number | null {
    if (lastRun === undefined) return now;
    return nextEvent(parseCalendarEvent(schedule), lastRun, timeZone);
}

/** Whether a scheduled archive run is due at `now`. Throws on an invalid schedule. */
export function archiveDue(lastRun: number | undefined, schedule: string, now: number, timeZone: string): boolean {
    const next = nextArchiveRun(lastRun, schedule, now, timeZone);
    return next !== null && next <= now;
}

export interface ArchiveSourceHealth {
    /** `local`, or the pull target's name. */
    source: string;
    /** Node archived by this source, when known. */
    node?: string;
    lastRun?: ArchiveRun;
    /** Creation time of the newest archive of that node that passed verification. */
    newestGood?: number;
}

export interface ArchiveHealthContext {
    schedule: string;
    now: number;
    timeZone: string;
    graceMinutes: number;
}

function hours(seconds: number): string {
    if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
    if (seconds < 3 * 86400) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 86400)} days`;
}

function label(s: ArchiveSourceHealth): string {
    const who = s.node ?? s.source;
    return s.source === 'local' || s.source === s.node ? who : `${who} (pull '${s.source}')`;
}

export function archiveProblems(sources: readonly ArchiveSourceHealth[], ctx: ArchiveHealthContext): Problem[] {
    const out: Problem[] = [];
    const interval = typicalInterval(parseCalendarEvent(ctx.schedule), ctx.now, ctx.timeZone);
    const limit = interval + ctx.graceMinutes * 60;
    for (const s of sources) {
        const node = s.node ? { node: s.node } : {};
        const run = s.lastRun;
        if (run && !run.ok) {
            out.push({
                code: 'config-archive-failed',
                severity: 'critical',
                ...node,
                message: `${label(s)}: configuration archive failed: ${run.error ?? 'unknown error'}`,
                evidence: { details: { source: s.source, at: run.at, error: run.error ?? null } },
            });
        }
        if (s.newestGood === undefined) {
            out.push({
                code: 'config-archive-stale',
                severity: 'warning',
                ...node,
                message: `${label(s)}: no verified configuration archive exists`,
                evidence: { details: { source: s.source, schedule: ctx.schedule } },
            });
        } else if (Number.isFinite(limit) && ctx.now - s.newestGood > limit) {
            out.push({
                code: 'config-archive-stale',
                severity: 'warning',
                ...node,
                message: `${label(s)}: the newest verified configuration archive is ${hours(ctx.now - s.newestGood)} old (schedule '${ctx.schedule}' promises one every ${hours(interval)})`,
                evidence: { details: { source: s.source, newestGood: s.newestGood, intervalSeconds: interval, graceMinutes: ctx.graceMinutes } },
            });
        }
    }
    return out;
}

/** Why a written archive is not good enough to count as a successful run (null when it is). */
export function archiveDefect(m: ArchiveManifest): string | null {
    if (m.configDb && m.configDb.integrity !== 'ok') return `config.db integrity check failed: ${m.configDb.integrity}`;
    const db = m.skipped.find((s) => s.path === CONFIG_DB_PATH && s.reason === 'unreadable');
    if (!m.configDb && db) return `config.db could not be backed up: ${db.detail ?? 'unreadable'}`;
    return null;
}
