// SPDX-License-Identifier: AGPL-3.0-or-later
/** The knobs of the health evaluation, with the defaults a PVE admin gets out of the box. */

export interface EvaluationSettings {
    /**
     * How long after a scheduled time a run may start before it counts as missed. The effective
     * grace is never below `minGraceSeconds`.
     */
    graceSeconds: number;
    minGraceSeconds: number;
    /** Guests with this tag are intentionally not backed up: never "not covered". */
    ignoreTag: string;
    /** A running task is "long" after factor × its usual duration, but not before the minimum. */
    runningLongFactor: number;
    runningLongMinSeconds: number;
    /** Without history, a task counts as running long after this. */
    runningLongDefaultSeconds: number;
    /** Size anomaly: newest size below low× or above high× the median of earlier backups. */
    sizeLowRatio: number;
    sizeHighRatio: number;
    /** Duration anomaly: newest duration above factor × median and more than minSeconds longer. */
    durationFactor: number;
    durationMinExtraSeconds: number;
    /** How many earlier results an anomaly needs before it is judged. */
    anomalyMinSamples: number;
    /** PBS: newest verification older than this many days → verify-stale. 0 disables. */
    verifyMaxAgeDays: number;
    storageWarnFraction: number;
    storageCriticalFraction: number;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
    graceSeconds: 1800,
    minGraceSeconds: 1800,
    ignoreTag: 'nobackup',
    runningLongFactor: 3,
    runningLongMinSeconds: 3600,
    runningLongDefaultSeconds: 6 * 3600,
    sizeLowRatio: 0.5,
    sizeHighRatio: 2,
    durationFactor: 3,
    durationMinExtraSeconds: 600,
    anomalyMinSamples: 3,
    verifyMaxAgeDays: 30,
    storageWarnFraction: 0.85,
    storageCriticalFraction: 0.95,
};

export function effectiveGrace(settings: EvaluationSettings): number {
    return Math.max(settings.graceSeconds, settings.minGraceSeconds);
}
