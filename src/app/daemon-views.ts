// SPDX-License-Identifier: AGPL-3.0-or-later
/** Read views the daemon serves besides the report: one guest in detail, jobs with next runs. */

import type { GuestDetailResponse, JobsResponse, Silence } from '../contract/http-api.ts';
import { backupsOfGuest } from '../domain/health/guest-backups.ts';
import type { GuestReport, HealthReport } from '../domain/health/report.ts';
import type { ClusterSnapshot } from '../domain/model.ts';
import { nextEvents } from '../domain/schedule/next.ts';
import { tryParseCalendarEvent } from '../domain/schedule/parse.ts';

export function guestDetail(
    report: HealthReport,
    snapshot: ClusterSnapshot | undefined,
    which: { vmid: number; remote?: string },
    silences: readonly Silence[],
    now: number,
    explain?: (vmid: number) => Pick<GuestReport, 'runs' | 'attempts'> | undefined,
): Omit<GuestDetailResponse, 'daemon'> | undefined {
    const { vmid, remote } = which;
    const found = report.guests.find((g) => g.vmid === vmid && g.remote === remote);
    if (!found) return undefined;
    const guest = { ...found, ...explain?.(vmid) };
    const backups: GuestDetailResponse['backups'] = [];
    // Only this guest's backups are built (the collector keeps them in columns).
    for (const b of snapshot ? backupsOfGuest(snapshot.backups, vmid) : []) {
        const item: GuestDetailResponse['backups'][number] = { volid: b.volid, storage: b.storage, ctime: b.ctime, verify: b.verification?.state ?? 'none' };
        if (b.size !== undefined) item.size = b.size;
        if (b.protected !== undefined) item.protected = b.protected;
        backups.push(item);
    }
    backups.sort((a, b) => b.ctime - a.ctime);
    const active = silences.filter((s) => s.vmid === vmid && s.remote === remote && (s.until === undefined || s.until > now));
    return { guest, backups, silences: active };
}

/** Jobs with their next five runs, in the time zone of the first node that runs them. */
export function jobsWithNextRuns(report: HealthReport, now: number): JobsResponse['jobs'] {
    return report.jobs.map((j) => {
        const parsed = tryParseCalendarEvent(j.schedule);
        const node = j.nodes[0]?.node ?? report.nodes[0]?.name;
        const tz = report.nodes.find((n) => n.name === node && n.remote === j.remote)?.timeZone ?? 'UTC';
        const nextRuns = parsed.ok && j.enabled ? nextEvents(parsed.event, now, 5, tz) : [];
        return { ...j, nextRuns };
    });
}

/**
 * The report as `/report` serves it: per-guest explanations (`runs`, `attempts`) are left out —
 * they make a 10 000-guest report ~10× larger; `/guests/{vmid}` has them. (The daemon's own
 * reports have none; a report read back from an older version's state file may.)
 */
export function slimReport(report: HealthReport): HealthReport {
    return { ...report, guests: report.guests.map((g) => ({ ...g, runs: [], attempts: [] })) };
}
