// SPDX-License-Identifier: AGPL-3.0-or-later
/** Turns the settings into what the evaluator and the alert policy take. Pure. */

import { type AlertPolicySettings, DEFAULT_ALERT_SETTINGS } from '../domain/alerts/policy.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from '../domain/health/settings.ts';
import { previousEvent } from '../domain/schedule/next.ts';
import { tryParseCalendarEvent } from '../domain/schedule/parse.ts';
import type { DaemonConfig, MaintenanceWindow, Sensitivity } from './types.ts';

/** Size anomaly: newest archive below low× or above high× the median of earlier ones. */
const SIZE: Record<Sensitivity, { sizeLowRatio: number; sizeHighRatio: number }> = {
    off: { sizeLowRatio: 0, sizeHighRatio: Number.POSITIVE_INFINITY },
    low: { sizeLowRatio: 0.3, sizeHighRatio: 3 },
    normal: { sizeLowRatio: DEFAULT_SETTINGS.sizeLowRatio, sizeHighRatio: DEFAULT_SETTINGS.sizeHighRatio },
    high: { sizeLowRatio: 0.7, sizeHighRatio: 1.5 },
};

/** Duration anomaly: newest above factor × median and more than extra seconds longer. */
const DURATION: Record<Sensitivity, { durationFactor: number; durationMinExtraSeconds: number }> = {
    off: { durationFactor: Number.POSITIVE_INFINITY, durationMinExtraSeconds: Number.POSITIVE_INFINITY },
    low: { durationFactor: 5, durationMinExtraSeconds: 1800 },
    normal: { durationFactor: DEFAULT_SETTINGS.durationFactor, durationMinExtraSeconds: DEFAULT_SETTINGS.durationMinExtraSeconds },
    high: { durationFactor: 2, durationMinExtraSeconds: 300 },
};

/**
 * The evaluator's knobs. `graceMinutes: 'auto'` maps to the evaluator's minimum grace (30 min);
 * EvaluationSettings has no per-job derived grace yet, so that is what `auto` means today.
 */
export function evaluationSettings(config: DaemonConfig): EvaluationSettings {
    const grace = config.graceMinutes === 'auto' ? DEFAULT_SETTINGS.minGraceSeconds : config.graceMinutes * 60;
    return {
        ...DEFAULT_SETTINGS,
        graceSeconds: grace,
        ignoreTag: config.ignoreTag,
        ...SIZE[config.anomalies.size],
        ...DURATION[config.anomalies.duration],
        verifyMaxAgeDays: config.verifyMaxAgeDays,
        storageWarnFraction: config.storage.warnPercent / 100,
        storageCriticalFraction: config.storage.criticalPercent / 100,
    };
}

/** The alert policy's settings: reminder interval and the silences still in force at `now`. */
export function alertPolicySettings(config: DaemonConfig): AlertPolicySettings {
    return {
        ...DEFAULT_ALERT_SETTINGS,
        reminderSeconds: config.reminderHours === 0 ? Number.POSITIVE_INFINITY : config.reminderHours * 3600,
        silences: config.silences.map((s) => {
            const rule: { remote?: string; vmid?: number; job?: string; codes?: string[]; until?: number } = {};
            if (s.remote !== undefined) rule.remote = s.remote;
            if (s.vmid !== undefined) rule.vmid = s.vmid;
            if (s.job !== undefined) rule.job = s.job;
            if (s.codes !== undefined) rule.codes = [...s.codes];
            if (s.until !== undefined) rule.until = s.until;
            return rule;
        }),
    };
}

/**
 * The maintenance window open at `now` (epoch s) in `timeZone` (the node's), if any: one whose
 * schedule fired at most `durationMinutes` ago.
 */
export function activeMaintenanceWindow(config: DaemonConfig, now: number, timeZone: string): MaintenanceWindow | undefined {
    return config.maintenanceWindows.find((w) => {
        const parsed = tryParseCalendarEvent(w.schedule);
        if (!parsed.ok) return false;
        const start = previousEvent(parsed.event, now + 1, timeZone);
        return start !== null && now < start + w.durationMinutes * 60;
    });
}
