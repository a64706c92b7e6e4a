// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Cross-checks our calendar engine against PVE's own (`schedule-analyze` is authoritative,
 * pve-platform.md §7.3) on the live system: each distinct schedule at most once per interval. A
 * disagreement becomes a source note, so the report says its expectations may be off.
 */

import type { SourceError } from '../../domain/model.ts';
import { nextEvents } from '../../domain/schedule/next.ts';
import { tryParseCalendarEvent } from '../../domain/schedule/parse.ts';
import type { PveClient } from './client.ts';

const SAMPLES = 5;
/** After a failed request, try again sooner than the regular interval. */
const RETRY_AFTER = 3600;

export interface ScheduleCheckState {
    checks: Map<string, { nextAt: number; note?: SourceError }>;
}

export function newScheduleCheckState(): ScheduleCheckState {
    return { checks: new Map() };
}

function iso(list: readonly number[]): string {
    return list.length === 0 ? '(none)' : list.map((t) => new Date(t * 1000).toISOString().replace('.000', '')).join(', ');
}

async function checkOne(api: PveClient, schedule: string, timeZone: string, now: number): Promise<SourceError | undefined> {
    const what = `GET /cluster/jobs/schedule-analyze?schedule=${schedule}`;
    const pve = await api.scheduleAnalyze(schedule, now, SAMPLES);
    const parsed = tryParseCalendarEvent(schedule);
    if (!parsed.ok) {
        return { what, message: `our calendar engine rejects schedule '${schedule}' (${parsed.error}) but PVE runs it at ${iso(pve)}` };
    }
    const ours = nextEvents(parsed.event, now, SAMPLES, timeZone);
    const n = Math.min(ours.length, pve.length);
    const same = ours.slice(0, n).every((t, i) => t === pve[i]) && (ours.length === pve.length || n === SAMPLES);
    if (same) return undefined;
    return { what, message: `calendar engine disagrees with PVE for schedule '${schedule}' (${timeZone}): PVE ${iso(pve)}, ours ${iso(ours)}` };
}

/**
 * Checks the due schedules (in the time zone of the node serving the API). Returns the notes of
 * all current disagreements, including ones found in earlier cycles.
 */
export async function checkSchedules(
    api: PveClient,
    schedules: readonly string[],
    timeZone: string,
    now: number,
    interval: number,
    state: ScheduleCheckState,
): Promise<SourceError[]> {
    const wanted = new Set(schedules.filter((s) => s.trim() !== ''));
    for (const s of state.checks.keys()) if (!wanted.has(s)) state.checks.delete(s);
    await Promise.all(
        [...wanted].map(async (schedule) => {
            const prev = state.checks.get(schedule);
            if (prev && now < prev.nextAt) return;
            try {
                const note = await checkOne(api, schedule, timeZone, now);
                state.checks.set(schedule, note ? { nextAt: now + interval, note } : { nextAt: now + interval });
            } catch {
                // Keep the previous verdict; the check is advisory and must not cost a request every cycle.
                state.checks.set(schedule, prev?.note ? { nextAt: now + RETRY_AFTER, note: prev.note } : { nextAt: now + RETRY_AFTER });
            }
        }),
    );
    return scheduleNotes(state);
}

/** The disagreements found so far. */
export function scheduleNotes(state: ScheduleCheckState): SourceError[] {
    return [...state.checks.values()].flatMap((c) => (c.note ? [c.note] : []));
}
