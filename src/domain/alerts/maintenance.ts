// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Maintenance windows: a PVE calendar event when the window opens plus a duration. Inside a
 * window nothing is sent (e.g. stop-mode backups or planned node reboots), nothing is forgotten.
 */

import { nextEvent, previousEvent } from '../schedule/next.ts';
import { tryParseCalendarEvent } from '../schedule/parse.ts';

export interface MaintenanceWindow {
    name?: string;
    schedule: string;
    durationMinutes: number;
}

/** The window active at `now` (in the node's time zone), or null. Unparsable windows never match. */
export function activeMaintenance(windows: readonly MaintenanceWindow[], now: number, timeZone: string): MaintenanceWindow | null {
    for (const w of windows) {
        const parsed = tryParseCalendarEvent(w.schedule);
        if (!parsed.ok) continue;
        const start = previousEvent(parsed.event, now + 1, timeZone);
        if (start !== null && now < start + w.durationMinutes * 60) return w;
    }
    return null;
}

/** When the next window opens after `now`, for the GUI. */
export function nextMaintenance(windows: readonly MaintenanceWindow[], now: number, timeZone: string): number | null {
    let best: number | null = null;
    for (const w of windows) {
        const parsed = tryParseCalendarEvent(w.schedule);
        if (!parsed.ok) continue;
        const t = nextEvent(parsed.event, now, timeZone);
        if (t !== null && (best === null || t < best)) best = t;
    }
    return best;
}
