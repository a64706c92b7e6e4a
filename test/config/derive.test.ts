// SPDX-License-Identifier: AGPL-3.0-or-later
// Settings → evaluator and alert-policy settings; maintenance windows; environment overrides.
import { describe, expect, it } from 'vitest';
import { activeMaintenanceWindow, alertPolicySettings, evaluationSettings } from '../../src/config/derive.ts';
import { ENV_OVERRIDES, applyEnvOverrides, attributeErrors } from '../../src/config/env.ts';
import { SETTINGS_SCHEMA, defaultConfig, validateConfig } from '../../src/config/schema.ts';
import type { DaemonConfig } from '../../src/config/types.ts';
import type { Schema } from '../../src/config/validate.ts';
import { isSilenced } from '../../src/domain/alerts/policy.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/health/settings.ts';
import type { Problem } from '../../src/domain/model.ts';

function config(doc: Record<string, unknown>): DaemonConfig {
    const r = validateConfig(doc);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config;
}

describe('evaluationSettings', () => {
    it('defaults give exactly the evaluator defaults', () => {
        expect(evaluationSettings(defaultConfig())).toEqual(DEFAULT_SETTINGS);
    });

    it('maps grace, tag, thresholds and verification age', () => {
        const s = evaluationSettings(config({ graceMinutes: 90, ignoreTag: 'skip-backup', storage: { warnPercent: 70, criticalPercent: 90 }, verifyMaxAgeDays: 0 }));
        expect(s).toMatchObject({ graceSeconds: 5400, minGraceSeconds: 1800, ignoreTag: 'skip-backup', storageWarnFraction: 0.7, storageCriticalFraction: 0.9, verifyMaxAgeDays: 0 });
    });

    it('sensitivity levels move the anomaly thresholds in the right direction; off never fires', () => {
        const at = (size: string, duration: string) => evaluationSettings(config({ anomalies: { size, duration } }));
        const low = at('low', 'low');
        const normal = at('normal', 'normal');
        const high = at('high', 'high');
        expect(low.sizeLowRatio).toBeLessThan(normal.sizeLowRatio);
        expect(high.sizeLowRatio).toBeGreaterThan(normal.sizeLowRatio);
        expect(low.sizeHighRatio).toBeGreaterThan(normal.sizeHighRatio);
        expect(high.sizeHighRatio).toBeLessThan(normal.sizeHighRatio);
        expect(low.durationFactor).toBeGreaterThan(normal.durationFactor);
        expect(high.durationFactor).toBeLessThan(normal.durationFactor);
        const off = at('off', 'off');
        // No size ratio is below 0 or above infinity, no duration beyond infinity.
        expect(off.sizeLowRatio).toBe(0);
        expect(off.sizeHighRatio).toBe(Number.POSITIVE_INFINITY);
        expect(off.durationFactor * 3600).toBe(Number.POSITIVE_INFINITY);
    });
});

describe('alertPolicySettings', () => {
    const problem: Problem = { code: 'backup-failed', severity: 'critical', vmid: 101, job: 'daily', message: 'x', evidence: {} };

    it('turns hours into seconds; 0 disables reminders', () => {
        expect(alertPolicySettings(config({ reminderHours: 6 })).reminderSeconds).toBe(21_600);
        expect(alertPolicySettings(config({ reminderHours: 0 })).reminderSeconds).toBe(Number.POSITIVE_INFINITY);
    });

    it('silences become policy rules that match and expire', () => {
        const c = config({
            silences: [
                { id: 'a', vmid: 101, codes: ['backup-failed'], until: 2000, createdBy: 'root@pam', createdAt: 1000 },
                { id: 'b', job: 'weekly', createdBy: 'root@pam', createdAt: 1000 },
            ],
        });
        const rules = alertPolicySettings(c).silences;
        expect(isSilenced(problem, rules, 1500)).toBe(true);
        expect(isSilenced(problem, rules, 2000)).toBe(false);
        expect(isSilenced({ ...problem, code: 'backup-missed' }, rules, 1500)).toBe(false);
        expect(isSilenced({ ...problem, vmid: 200, job: 'weekly' }, rules, 99_999)).toBe(true);
    });
});

describe('maintenance windows', () => {
    const c = config({ maintenanceWindows: [{ name: 'patch', schedule: 'sun 01:00', durationMinutes: 120 }] });
    // Sunday 2026-11-22 01:00 in Vienna is 00:00 UTC.
    const start = Date.UTC(2026, 10, 22, 0, 0) / 1000;

    it('is open from the firing for durationMinutes, in the node time zone', () => {
        expect(activeMaintenanceWindow(c, start - 1, 'Europe/Vienna')).toBeUndefined();
        expect(activeMaintenanceWindow(c, start, 'Europe/Vienna')?.name).toBe('patch');
        expect(activeMaintenanceWindow(c, start + 7199, 'Europe/Vienna')?.name).toBe('patch');
        expect(activeMaintenanceWindow(c, start + 7200, 'Europe/Vienna')).toBeUndefined();
        // The same instant is 00:00 on Sunday in UTC: the window has not started there yet.
        expect(activeMaintenanceWindow(c, start, 'UTC')).toBeUndefined();
    });
});

describe('environment overrides', () => {
    const scalarPaths: string[] = [];
    const walk = (s: Schema, path: string) => {
        if (s.type === 'object' && s.properties && s.additionalProperties !== true) {
            for (const [k, v] of Object.entries(s.properties)) walk(v, path ? `${path}.${k}` : k);
        } else if (s.type !== 'array' && s.type !== 'object' && path !== 'version') scalarPaths.push(path);
    };
    walk(SETTINGS_SCHEMA, '');

    it('cover every scalar setting, one variable each', () => {
        expect(ENV_OVERRIDES.map((o) => o.path).sort()).toEqual(scalarPaths.sort());
        expect(new Set(ENV_OVERRIDES.map((o) => o.env)).size).toBe(ENV_OVERRIDES.length);
    });

    it('write typed values into a copy of the document', () => {
        const doc = { language: 'en', server: { port: 8009 } };
        const r = applyEnvOverrides(doc, {
            PVE_BACKUP_HEALTH_CHECK_INTERVAL: '120',
            PVE_BACKUP_HEALTH_LANGUAGE: 'de',
            PVE_BACKUP_HEALTH_GRACE_MINUTES: 'auto',
            PVE_BACKUP_HEALTH_STORAGE_WARN_PERCENT: '80',
            PVE_BACKUP_HEALTH_PORT: '9009',
            PVE_BACKUP_HEALTH_PUBLIC_URL: '',
            PVE_BACKUP_HEALTH_TOKEN: 'root@pam!x=secret',
        });
        expect(r.document).toEqual({ language: 'de', checkIntervalSeconds: 120, graceMinutes: 'auto', storage: { warnPercent: 80 }, server: { port: 9009 } });
        expect(doc).toEqual({ language: 'en', server: { port: 8009 } });
        expect(r.overrides).toEqual({
            checkIntervalSeconds: 'PVE_BACKUP_HEALTH_CHECK_INTERVAL',
            graceMinutes: 'PVE_BACKUP_HEALTH_GRACE_MINUTES',
            'storage.warnPercent': 'PVE_BACKUP_HEALTH_STORAGE_WARN_PERCENT',
            language: 'PVE_BACKUP_HEALTH_LANGUAGE',
            'server.port': 'PVE_BACKUP_HEALTH_PORT',
        });
        expect(config(r.document as Record<string, unknown>)).toMatchObject({ checkIntervalSeconds: 120, language: 'de', server: { port: 9009 } });
    });

    it('a bad value is reported with the variable that set it', () => {
        const r = applyEnvOverrides({}, { PVE_BACKUP_HEALTH_CHECK_INTERVAL: 'fast' });
        const v = validateConfig(r.document);
        expect(v.ok).toBe(false);
        if (!v.ok) {
            expect(attributeErrors(v.errors, r.overrides)).toEqual([
                'checkIntervalSeconds (PVE_BACKUP_HEALTH_CHECK_INTERVAL): expected a whole number from 10 to 3600 (got "fast")',
            ]);
        }
    });
});
