// SPDX-License-Identifier: AGPL-3.0-or-later
/** Per-guest checks beyond the latest run: staleness, size/duration anomalies, PBS verification. */

import type { BackupItem, Guest, Problem } from '../model.ts';
import { isGood } from './attempts.ts';
import { formatAge, formatBytes, formatLocal, guestLabel, rfc3339 } from './format.ts';
import type { Attempt } from './report.ts';
import type { EvaluationSettings } from './settings.ts';

export function median(values: readonly number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface LastGood {
    time: number;
    upid?: string;
    volid?: string;
}

/** Newest evidence of a good backup: a successful task result or a backup on a storage. */
export function lastGoodBackup(attempts: readonly Attempt[], backups: readonly BackupItem[]): LastGood | undefined {
    let best: LastGood | undefined;
    for (const a of attempts) {
        if (!isGood(a)) continue;
        const t = a.end ?? a.start;
        if (!best || t > best.time) best = { time: t, upid: a.upid };
    }
    for (const b of backups) {
        if (!best || b.ctime > best.time) best = { time: b.ctime, volid: b.volid };
    }
    return best;
}

/** A good backup may start this much before its scheduled time (clock slack) and still count. */
const START_SLACK = 120;

/**
 * Stale: the newest good backup is older than the latest run the current schedule promised
 * (that run's time + grace + usual duration has passed). A DST-skipped day, a weekly or
 * monthly job, a recent schedule change: none of them looks stale, unlike fixed age limits.
 */
export function staleProblem(
    guest: Guest,
    last: LastGood | undefined,
    promisedRun: number,
    now: number,
    historyFrom: number,
    timeZone: string,
): Problem | null {
    if (last && last.time >= promisedRun - START_SLACK) return null;
    if (!last && promisedRun <= historyFrom) return null;
    const label = guestLabel(guest.name, guest.vmid);
    const due = formatLocal(promisedRun, timeZone);
    const message = last
        ? `${label}: newest good backup is ${formatAge(now - last.time)} old (${rfc3339(last.time)}); the schedule promised one from the run due ${due}`
        : `${label}: no successful backup found since ${rfc3339(historyFrom)}; the schedule promised one from the run due ${due}`;
    const p: Problem = { code: 'backup-stale', severity: 'critical', vmid: guest.vmid, guestName: guest.name, node: guest.node, message, evidence: { expectedRuns: [promisedRun] } };
    p.evidence.details = { lastGood: last ? rfc3339(last.time) : null, promisedRun: rfc3339(promisedRun) };
    if (last?.upid) p.evidence.tasks = [last.upid];
    return p;
}

export function anomalyProblems(guest: Guest, attempts: readonly Attempt[], s: EvaluationSettings): Problem[] {
    const good = attempts.filter(isGood);
    const latest = good[good.length - 1];
    if (!latest) return [];
    const out: Problem[] = [];
    const label = guestLabel(guest.name, guest.vmid);
    const prior = good.slice(0, -1).slice(-10);
    // PBS logs the transferred (incremental) size, which swings by design: compare file archives only.
    const sizes = prior.filter((a) => a.sizeBytes !== undefined && isFileArchive(a)).map((a) => a.sizeBytes as number);
    if (latest.sizeBytes !== undefined && isFileArchive(latest) && sizes.length >= s.anomalyMinSamples) {
        const m = median(sizes);
        const r = m > 0 ? latest.sizeBytes / m : 1;
        if (r < s.sizeLowRatio || r > s.sizeHighRatio) {
            const message = `${label}: backup size ${formatBytes(latest.sizeBytes)} is ${r < 1 ? 'far below' : 'far above'} the usual ${formatBytes(m)}`;
            out.push(anomaly('size-anomaly', guest, latest, message, { sizeBytes: latest.sizeBytes, medianBytes: m }));
        }
    }
    const durations = prior.filter((a) => a.durationSeconds !== undefined).map((a) => a.durationSeconds as number);
    if (latest.durationSeconds !== undefined && durations.length >= s.anomalyMinSamples) {
        const m = median(durations);
        if (latest.durationSeconds > m * s.durationFactor && latest.durationSeconds - m > s.durationMinExtraSeconds) {
            const message = `${label}: backup took ${formatAge(latest.durationSeconds)}, usually ${formatAge(m)}`;
            out.push(anomaly('duration-anomaly', guest, latest, message, { durationSeconds: latest.durationSeconds, medianSeconds: m }));
        }
    }
    return out;
}

function isFileArchive(a: Attempt): boolean {
    return a.archive === undefined || !/^(vm|ct)\/\d+\//.test(a.archive);
}

function anomaly(
    code: 'size-anomaly' | 'duration-anomaly',
    guest: Guest,
    latest: Attempt,
    message: string,
    details: Record<string, number>,
): Problem {
    const p: Problem = { code, severity: 'warning', vmid: guest.vmid, guestName: guest.name, node: latest.node, message, evidence: { tasks: [latest.upid], details } };
    if (latest.jobId !== undefined) p.job = latest.jobId;
    return p;
}

/** PBS verification of the guest's newest verified backup, and its age. */
export function verifyProblems(guest: Guest, pbsBackups: readonly BackupItem[], now: number, s: EvaluationSettings): Problem[] {
    if (pbsBackups.length === 0) return [];
    const label = guestLabel(guest.name, guest.vmid);
    const newestFirst = [...pbsBackups].sort((a, b) => b.ctime - a.ctime);
    const verified = newestFirst.find((b) => b.verification !== undefined);
    const out: Problem[] = [];
    if (verified?.verification?.state === 'failed') {
        const message = `${label}: verification of backup ${verified.volid} FAILED: the backup may not be restorable`;
        const p: Problem = { code: 'verify-failed', severity: 'critical', vmid: guest.vmid, guestName: guest.name, storage: verified.storage, message, evidence: {} };
        if (verified.verification.upid) p.evidence.tasks = [verified.verification.upid];
        out.push(p);
    }
    if (s.verifyMaxAgeDays > 0) {
        const maxAge = s.verifyMaxAgeDays * 86400;
        const newestOk = newestFirst.find((b) => b.verification?.state === 'ok');
        const verifiedAt = newestOk?.verification?.time ?? newestOk?.ctime;
        const oldest = newestFirst[newestFirst.length - 1] as BackupItem;
        // Only judge once a backup has existed longer than the allowed age.
        if (now - oldest.ctime > maxAge && (verifiedAt === undefined || now - verifiedAt > maxAge)) {
            const message = verifiedAt === undefined
                ? `${label}: none of its ${pbsBackups.length} PBS backups has ever been verified`
                : `${label}: newest successful verification is ${formatAge(now - verifiedAt)} old (limit ${s.verifyMaxAgeDays} days)`;
            const p: Problem = { code: 'verify-stale', severity: 'warning', vmid: guest.vmid, guestName: guest.name, storage: oldest.storage, message, evidence: {} };
            p.evidence.details = { verifiedAt: verifiedAt === undefined ? null : rfc3339(verifiedAt), maxAgeDays: s.verifyMaxAgeDays };
            out.push(p);
        }
    }
    return out;
}
