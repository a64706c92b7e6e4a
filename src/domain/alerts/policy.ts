// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The alert policy: problems only, once. A new problem is told once (grouped per cycle), a
 * persisting one is reminded every `reminderSeconds`, a resolved one gets one recovery message;
 * success is never a message. Silences and maintenance windows hold messages back without
 * forgetting the problem. Short blips neither alert nor recover (field-notes §4: Pulse #1693).
 */

import type { Problem, Severity } from '../model.ts';
import type { AlertBatch, AlertItem, AlertKind } from './types.ts';

export interface SilenceRule {
    /**
     * The remote cluster it is for. Without it, a silence naming a guest or job is for the
     * cluster the daemon runs in (VMIDs and job ids repeat across clusters); one naming only
     * problem codes is for every cluster.
     */
    remote?: string;
    vmid?: number;
    job?: string;
    codes?: string[];
    until?: number;
}

export interface AlertPolicySettings {
    reminderSeconds: number;
    /** A problem must be gone this long before it counts as resolved (no flapping). */
    recoveryDelaySeconds: number;
    /** "Unknown" problems (unreachable source) must persist this long before anyone is told. */
    unknownDelaySeconds: number;
    silences: readonly SilenceRule[];
}

export const DEFAULT_ALERT_SETTINGS: AlertPolicySettings = {
    reminderSeconds: 24 * 3600,
    recoveryDelaySeconds: 120,
    unknownDelaySeconds: 300,
    silences: [],
};

export interface OpenAlert {
    firstSeen: number;
    lastSeen: number;
    /** When the admin was last told (problem or reminder); absent = never told yet. */
    notifiedAt?: number;
    notifiedSeverity?: Severity;
    /** Set while the problem is absent but not yet resolved (recovery delay). */
    missingSince?: number;
    problem: Problem;
}

export interface AlertState {
    version: 1;
    open: Record<string, OpenAlert>;
}

export const EMPTY_ALERT_STATE: AlertState = { version: 1, open: {} };

export interface AlertDecision {
    batches: AlertBatch[];
    state: AlertState;
}

/** Stable identity of a problem across cycles. */
export function problemKey(p: Problem): string {
    const key = [p.code, p.vmid ?? '', p.job ?? '', p.node ?? '', p.storage ?? ''].join('|');
    // Appended only when set, so the keys of one cluster's problems (and alert state) stay as they were.
    return p.remote === undefined ? key : `${key}|@${p.remote}`;
}

export function isSilenced(p: Problem, rules: readonly SilenceRule[], now: number): boolean {
    return rules.some((r) => {
        if (r.until !== undefined && now >= r.until) return false;
        if (r.vmid === undefined && r.job === undefined && (r.codes === undefined || r.codes.length === 0)) return false;
        if (r.remote !== undefined ? p.remote !== r.remote : (r.vmid !== undefined || r.job !== undefined) && p.remote !== undefined) return false;
        if (r.vmid !== undefined && p.vmid !== r.vmid) return false;
        if (r.job !== undefined && p.job !== r.job) return false;
        if (r.codes !== undefined && r.codes.length > 0 && !r.codes.includes(p.code)) return false;
        return true;
    });
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, unknown: 2, critical: 3 };

function worst(items: readonly AlertItem[]): Severity {
    return items.reduce<Severity>((w, i) => (RANK[i.problem.severity] > RANK[w] ? i.problem.severity : w), 'info');
}

/**
 * Decides what to tell for this cycle. `quiet` is true inside a maintenance window: nothing is
 * sent, but problems are remembered and told once the window ends if they still exist.
 */
export function decideAlerts(
    previous: AlertState,
    problems: readonly Problem[],
    now: number,
    settings: AlertPolicySettings,
    context: { quiet: boolean; cluster?: string },
): AlertDecision {
    const open: Record<string, OpenAlert> = {};
    const told: Record<AlertKind, AlertItem[]> = { problem: [], recovery: [], reminder: [], test: [] };
    const current = new Map<string, Problem>();
    for (const p of problems) if (p.severity !== 'info') current.set(problemKey(p), p);

    for (const [key, p] of current) {
        const prev = previous.open[key];
        const entry: OpenAlert = prev ? { ...prev, lastSeen: now, problem: p } : { firstSeen: now, lastSeen: now, problem: p };
        delete entry.missingSince;
        open[key] = entry;
        const item: AlertItem = { key, problem: p, firstSeen: entry.firstSeen };
        if (context.quiet || isSilenced(p, settings.silences, now)) continue;
        if (p.severity === 'unknown' && now - entry.firstSeen < settings.unknownDelaySeconds) continue;
        const worse = entry.notifiedSeverity !== undefined && RANK[p.severity] > RANK[entry.notifiedSeverity];
        if (entry.notifiedAt === undefined || worse) {
            told.problem.push(item);
            entry.notifiedAt = now;
            entry.notifiedSeverity = p.severity;
        } else if (now - entry.notifiedAt >= settings.reminderSeconds) {
            told.reminder.push(item);
            entry.notifiedAt = now;
        }
    }

    for (const [key, prev] of Object.entries(previous.open)) {
        if (current.has(key)) continue;
        const missingSince = prev.missingSince ?? now;
        if (now - missingSince < settings.recoveryDelaySeconds) {
            open[key] = { ...prev, missingSince };
            continue;
        }
        // Only what was told gets a recovery; a problem nobody heard of disappears quietly.
        if (prev.notifiedAt !== undefined && !context.quiet) told.recovery.push({ key, problem: prev.problem, firstSeen: prev.firstSeen });
        else if (prev.notifiedAt !== undefined) open[key] = { ...prev, missingSince };
    }

    const batches: AlertBatch[] = [];
    for (const kind of ['problem', 'reminder', 'recovery'] as const) {
        const items = told[kind];
        if (items.length === 0) continue;
        items.sort((a, b) => RANK[b.problem.severity] - RANK[a.problem.severity] || (a.problem.guestName ?? '').localeCompare(b.problem.guestName ?? ''));
        const batch: AlertBatch = { kind, at: now, items, severity: kind === 'recovery' ? 'info' : worst(items) };
        if (context.cluster !== undefined) batch.cluster = context.cluster;
        batches.push(batch);
    }
    return { batches, state: { version: 1, open } };
}
