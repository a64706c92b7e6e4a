// SPDX-License-Identifier: AGPL-3.0-or-later
// The catalogues are complete and parallel, every problem code has its templates, and each
// code is rendered from its fields and evidence in every language (never the English message).
import { describe, expect, it } from 'vitest';
import type { AlertBatch } from '../../../src/domain/alerts/types.ts';
import { PROBLEM_CODES, type Problem, type ProblemCode } from '../../../src/domain/model.ts';
import { renderAlertMessage } from '../../../src/domain/message/alert-message.ts';
import { MESSAGE_LANGUAGES, catalogueFor } from '../../../src/domain/message/i18n/catalogue.ts';
import { formatDuration, formatPercent, formatWhen } from '../../../src/domain/message/locale-format.ts';
import { decisiveLine, problemText } from '../../../src/domain/message/problem-text.ts';
import { AT, timeZoneOf } from './fixtures.ts';

const placeholders = (t: string) => [...t.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
    const en = catalogueFor('en');

    it('have the same keys and the same placeholders in every language', () => {
        for (const lang of MESSAGE_LANGUAGES) {
            const cat = catalogueFor(lang);
            expect(Object.keys(cat).sort(), lang).toEqual(Object.keys(en).sort());
            for (const [key, template] of Object.entries(cat)) {
                expect(template.trim(), `${lang} ${key}`).not.toBe('');
                expect(placeholders(template), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
            }
        }
    });

    it('have a title, a group subject and a finding for every problem code, and no template for unknown codes', () => {
        for (const lang of MESSAGE_LANGUAGES) {
            const cat = catalogueFor(lang) as Record<string, string>;
            for (const code of PROBLEM_CODES) {
                for (const part of ['title', 'group', 'found']) expect(cat[`code.${code}.${part}`], `${lang} ${code}.${part}`).toBeDefined();
            }
            const codes = Object.keys(cat).filter((k) => k.startsWith('code.')).map((k) => k.split('.')[1]);
            for (const c of codes) expect(PROBLEM_CODES as readonly string[]).toContain(c);
        }
    });

    it('are translated, not copied', () => {
        for (const lang of ['de', 'it'] as const) {
            const cat = catalogueFor(lang);
            for (const code of PROBLEM_CODES) {
                const k = `code.${code}.found` as keyof typeof en;
                expect(cat[k], `${lang} ${code}`).not.toBe(en[k]);
            }
        }
    });
});

const run = Date.UTC(2026, 6, 1, 0, 30) / 1000; // 02:30 summer time in Vienna
const P: Record<ProblemCode, Problem> = {
    'backup-failed': { code: 'backup-failed', severity: 'critical', vmid: 101, guestName: 'web01', job: 'daily', node: 'pve1', message: 'EN', evidence: { expectedRuns: [run], logLines: [{ upid: 'U', n: 1, text: 'INFO: start' }, { upid: 'U', n: 9, text: 'ERROR: Backup of VM 101 failed - boom' }] } },
    'backup-missed': { code: 'backup-missed', severity: 'warning', vmid: 101, guestName: 'web01', job: 'daily', node: 'pve1', message: 'EN', evidence: { expectedRuns: [run], tasks: [], details: { missedInARow: 1, laterManualBackup: 'UPID:x' } } },
    'backup-stale': { code: 'backup-stale', severity: 'critical', vmid: 101, guestName: 'web01', node: 'pve1', message: 'EN', evidence: { expectedRuns: [run], details: { lastGood: '2026-06-28T00:30:00Z' } } },
    'backup-running-long': { code: 'backup-running-long', severity: 'warning', node: 'pve1', job: 'daily', message: 'EN', evidence: { tasks: ['U'], details: { runtimeSeconds: 3 * 3600 + 600, limitSeconds: 3600 } } },
    'backup-warnings': { code: 'backup-warnings', severity: 'warning', vmid: 101, guestName: 'web01', job: 'daily', node: 'pve1', message: 'EN', evidence: { expectedRuns: [run], logLines: [{ upid: 'U', n: 30, text: "WARN: hook script 'log-end' failed" }] } },
    'not-covered': { code: 'not-covered', severity: 'warning', vmid: 105, guestName: 'test', node: 'pve2', message: 'EN', evidence: { details: { disabledJobs: 'weekly,monthly', otherNodeJobs: null } } },
    'job-disabled': { code: 'job-disabled', severity: 'info', job: 'weekly', message: 'EN', evidence: {} },
    'guest-missing': { code: 'guest-missing', severity: 'warning', vmid: 999, job: 'daily', message: 'EN', evidence: {} },
    'size-anomaly': { code: 'size-anomaly', severity: 'warning', vmid: 101, guestName: 'web01', node: 'pve1', message: 'EN', evidence: { details: { sizeBytes: 1024 ** 3, medianBytes: 10 * 1024 ** 3 } } },
    'duration-anomaly': { code: 'duration-anomaly', severity: 'warning', vmid: 101, guestName: 'web01', node: 'pve1', message: 'EN', evidence: { details: { durationSeconds: 7200, medianSeconds: 60 } } },
    'verify-failed': { code: 'verify-failed', severity: 'critical', vmid: 101, guestName: 'web01', storage: 'pbs', message: 'EN', evidence: {} },
    'verify-stale': { code: 'verify-stale', severity: 'warning', vmid: 101, guestName: 'web01', storage: 'pbs', message: 'EN', evidence: { details: { verifiedAt: null, maxAgeDays: 1 } } },
    'retention-violation': { code: 'retention-violation', severity: 'warning', vmid: 101, guestName: 'web01', storage: 'nfs', message: 'EN', evidence: { details: { policy: 'keep-last=3', overdue: 4 } } },
    'storage-low': { code: 'storage-low', severity: 'critical', storage: 'local', node: 'pve1', message: 'EN', evidence: { details: { used: 96, total: 100, fraction: 0.96 } } },
    'source-unreachable': { code: 'source-unreachable', severity: 'unknown', message: 'GET /cluster/resources: connect ECONNREFUSED', evidence: {} },
    'schedule-invalid': { code: 'schedule-invalid', severity: 'unknown', job: 'odd', message: 'EN', evidence: { details: { schedule: '0 2 * * *' } } },
    'config-archive-failed': { code: 'config-archive-failed', severity: 'critical', node: 'pve1', message: 'tar exited with status 2', evidence: {} },
    'config-archive-stale': { code: 'config-archive-stale', severity: 'warning', node: 'pve1', message: 'newest archive is 9 days old', evidence: {} },
};

describe('every problem code in every language', () => {
    for (const lang of MESSAGE_LANGUAGES) {
        it(`${lang}: renders from fields and evidence, with every placeholder filled`, () => {
            const cat = catalogueFor(lang);
            for (const code of PROBLEM_CODES) {
                const t = problemText({ cat, timeZoneOf, defaultTimeZone: 'UTC', now: AT }, P[code]);
                const all = [t.label, t.title, t.expected ?? '', t.found].join('\n');
                expect(all, `${lang} ${code}`).not.toMatch(/[{}]|undefined|NaN/);
                expect(t.found, `${lang} ${code}`).not.toBe(P[code].message);
                expect(t.title).toBe(cat[`code.${code}.title` as keyof typeof cat]);
            }
        });
    }

    it('says what was found in English for each variant', () => {
        const en = (p: Problem) => problemText({ cat: catalogueFor('en'), timeZoneOf, defaultTimeZone: 'UTC', now: AT }, p);
        expect(en(P['backup-failed'])).toEqual({
            label: 'web01 (VMID 101)',
            title: 'Backup failed',
            expected: 'scheduled backup by job daily on node pve1 at 2026-07-01 02:30 (Europe/Vienna)',
            found: 'the backup failed',
            log: 'ERROR: Backup of VM 101 failed - boom',
        });
        expect(en(P['backup-missed']).found).toBe('the scheduled run did not start; a manual backup ran later');
        expect(en({ ...P['backup-missed'], evidence: { expectedRuns: [run], tasks: ['UPID:ran'] } }).found).toBe('the job ran but did not include this guest');
        expect(en(P['backup-stale']).found).toBe('the newest good backup is 146 days 8 hours old, from 2026-06-28 02:30 (Europe/Vienna)');
        expect(en({ ...P['backup-stale'], evidence: { expectedRuns: [run], details: { lastGood: null } } }).found).toBe('no good backup was found in the history window');
        expect(en(P['backup-running-long'])).toMatchObject({ label: 'job daily', expected: 'the task finishes within 1 hour', found: 'the backup task on node pve1 has been running for 3 hours 10 minutes' });
        expect(en(P['backup-warnings']).log).toBe("WARN: hook script 'log-end' failed");
        expect(en(P['not-covered']).found).toBe('it is only in disabled jobs: weekly, monthly');
        expect(en(P['guest-missing'])).toMatchObject({ label: 'VMID 999', found: 'job daily names VMID 999, which no longer exists; every run logs an error for it' });
        expect(en(P['size-anomaly'])).toMatchObject({ expected: 'about 10.0 GiB, like earlier backups', found: 'the newest backup is only 1.00 GiB' });
        expect(en(P['duration-anomaly'])).toMatchObject({ expected: 'about 1 minute, like earlier backups', found: 'the newest backup took 2 hours' });
        expect(en(P['verify-stale'])).toMatchObject({ expected: 'a successful PBS verification at most 1 day old', found: 'no backup of this guest has ever been verified' });
        expect(en(P['retention-violation']).found).toBe('backups outside the policy are still there: 4 (is pruning running?)');
        expect(en(P['storage-low'])).toMatchObject({ label: 'storage local', found: 'storage local is 96.0 % full (96 B of 100 B): backups will fail soon' });
        expect(en(P['source-unreachable'])).toMatchObject({ label: 'the cluster', cause: 'GET /cluster/resources: connect ECONNREFUSED' });
        expect(en({ ...P['source-unreachable'], node: 'pve3' }).found).toBe('node pve3 could not be read: the backups of its guests cannot be checked');
        expect(en(P['schedule-invalid']).found).toBe("the schedule '0 2 * * *' of job odd cannot be parsed; its runs cannot be checked");
        expect(en(P['config-archive-failed']).cause).toBe('tar exited with status 2');
    });

    it('falls back to the English message for a code without a template', () => {
        const odd = { ...P['job-disabled'], code: 'brand-new-check' as ProblemCode, message: 'something new happened' };
        const t = problemText({ cat: catalogueFor('de'), timeZoneOf, defaultTimeZone: 'UTC', now: AT }, odd);
        expect(t).toEqual({ label: 'Auftrag weekly', title: 'brand-new-check', found: 'something new happened' });
    });

    it('picks the ERROR or WARN line as the decisive one', () => {
        expect(decisiveLine(P['backup-failed'])).toBe('ERROR: Backup of VM 101 failed - boom');
        expect(decisiveLine({ ...P['backup-failed'], evidence: { logLines: [{ upid: 'U', n: 1, text: 'INFO: only info' }] } })).toBe('INFO: only info');
        expect(decisiveLine(P['verify-failed'])).toBeUndefined();
    });
});

describe('locale formatting', () => {
    it('writes durations with correct singular and plural forms', () => {
        const f = (lang: 'en' | 'de' | 'it', s: number) => formatDuration(catalogueFor(lang), s);
        expect([f('en', 86_400 + 3600), f('en', 2 * 86_400), f('en', 61), f('en', 1)]).toEqual(['1 day 1 hour', '2 days', '1 minute', '1 second']);
        expect([f('de', 86_400 + 7200), f('de', 3600 + 60), f('de', 45)]).toEqual(['1 Tag 2 Stunden', '1 Stunde 1 Minute', '45 Sekunden']);
        expect([f('it', 2 * 86_400 + 3600), f('it', 7200 + 120), f('it', 60)]).toEqual(['2 giorni 1 ora', '2 ore 2 minuti', '1 minuto']);
    });

    it('writes times in the given zone, DST included, and falls back to UTC for an unknown zone', () => {
        expect(formatWhen(catalogueFor('de'), run, 'Europe/Vienna')).toBe('01.07.2026, 02:30 Uhr (Europe/Vienna)');
        expect(formatWhen(catalogueFor('it'), run, 'Europe/Rome')).toBe('01/07/2026 alle 02:30 (Europe/Rome)');
        expect(formatWhen(catalogueFor('en'), run, 'Mars/Olympus')).toBe('2026-07-01 00:30 (UTC)');
        expect(formatPercent(catalogueFor('it'), 0.8512)).toBe('85,1%');
    });
});

describe('batches', () => {
    const item = (vmid: number) => ({ key: String(vmid), firstSeen: AT, problem: { ...P['backup-failed'], vmid, guestName: `vm${vmid}` } });

    it('a summary names at most three guests', () => {
        const batch: AlertBatch = { kind: 'problem', at: AT, severity: 'critical', items: [101, 102, 103, 104, 105].map(item) };
        const m = renderAlertMessage(batch, { language: 'en', timeZoneOf });
        expect(m.subject).toBe('5 backups failed');
        expect(m.summary).toBe('5 backups failed: vm101 (VMID 101), vm102 (VMID 102), vm103 (VMID 103), +2 more');
    });

    it('a single problem names the guest in the subject', () => {
        const m = renderAlertMessage({ kind: 'problem', at: AT, cluster: 'lab', severity: 'critical', items: [item(101)] }, { language: 'it', timeZoneOf });
        expect(m.subject).toBe('Backup non riuscito: vm101 (VMID 101) sul cluster lab');
        expect(m.text.startsWith('pve-backup-health ha rilevato un nuovo problema:\n\n• vm101 (VMID 101) – Backup non riuscito (critico)\n')).toBe(true);
    });

    it('a test message names the sender and needs no items', () => {
        const m = renderAlertMessage({ kind: 'test', at: AT, severity: 'info', items: [] }, { language: 'de', timeZoneOf, source: 'pve1' });
        expect(m).toEqual({
            subject: 'Testnachricht von pve-backup-health',
            summary: 'Testnachricht von pve-backup-health',
            text: 'Dies ist eine Testnachricht von pve-backup-health auf pve1. Wenn Sie sie lesen können, funktioniert dieses Benachrichtigungsziel.\n',
        });
    });
});
