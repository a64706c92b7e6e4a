// SPDX-License-Identifier: AGPL-3.0-or-later
// Alert batches shaped like the evaluator's problems, for the message golden tests.
import type { AlertBatch, AlertItem } from '../../../src/domain/alerts/types.ts';

/** 2026-11-21 09:00 UTC, a Saturday. */
export const AT = Date.UTC(2026, 10, 21, 9, 0) / 1000;
const RUN = Date.UTC(2026, 10, 21, 1, 0) / 1000;

export const ZONES: Record<string, string> = { pve1: 'Europe/Vienna', pve2: 'America/New_York', pve3: 'Europe/Rome' };
export const timeZoneOf = (node: string): string => ZONES[node] ?? 'UTC';

const web01: AlertItem = {
    key: 'backup-failed|101|backup-daily|pve1|',
    firstSeen: AT - 3600,
    problem: {
        code: 'backup-failed',
        severity: 'critical',
        vmid: 101,
        guestName: 'web01',
        job: 'backup-daily',
        node: 'pve1',
        message: 'web01 (101): backup by job backup-daily at 2026-11-21 02:00 on pve1 failed (2 scheduled runs in a row): unable to write',
        evidence: {
            expectedRuns: [RUN],
            tasks: ['UPID:pve1:0000A1B2:0001C3D4:691FBB90:vzdump::root@pam:'],
            logLines: [
                { upid: 'UPID:pve1:0000A1B2:0001C3D4:691FBB90:vzdump::root@pam:', n: 4, text: 'INFO: Starting Backup of VM 101 (qemu)' },
                { upid: 'UPID:pve1:0000A1B2:0001C3D4:691FBB90:vzdump::root@pam:', n: 19, text: 'ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device' },
            ],
            details: { failedInARow: 2 },
        },
    },
};

const db01: AlertItem = {
    key: 'backup-failed|102|backup-daily|pve2|',
    firstSeen: AT - 3600,
    problem: {
        code: 'backup-failed',
        severity: 'critical',
        vmid: 102,
        guestName: 'db01',
        job: 'backup-daily',
        node: 'pve2',
        message: 'db01 (102): backup failed',
        evidence: {
            expectedRuns: [RUN],
            logLines: [{ upid: 'UPID:pve2:1', n: 7, text: 'ERROR: Backup of VM 102 failed - VM 102 qmp command guest-fsfreeze-freeze failed - got timeout' }],
            details: { failedInARow: 1 },
        },
    },
};

const storage: AlertItem = {
    key: 'storage-low|||pve1|local-backup',
    firstSeen: AT - 2 * 86_400,
    problem: {
        code: 'storage-low',
        severity: 'warning',
        storage: 'local-backup',
        node: 'pve1',
        message: 'storage local-backup on pve1 is 91.3% full',
        evidence: { details: { used: 980_000_000_000, total: 1_073_741_824_000, fraction: 0.9127 } },
    },
};

const mail: AlertItem = {
    key: 'backup-missed|103|backup-daily|pve3|',
    firstSeen: AT - 26 * 3600,
    problem: {
        code: 'backup-missed',
        severity: 'critical',
        vmid: 103,
        guestName: 'mail',
        job: 'backup-daily',
        node: 'pve3',
        message: 'mail (103): scheduled backup did not start',
        evidence: { expectedRuns: [RUN], tasks: [], logLines: [], details: { missedInARow: 2, timeZone: 'Europe/Rome', laterManualBackup: null } },
    },
};

export const GROUPED: AlertBatch = { kind: 'problem', at: AT, cluster: 'prod', severity: 'critical', items: [web01, db01] };
export const REMINDER: AlertBatch = { kind: 'reminder', at: AT, cluster: 'prod', severity: 'critical', items: [web01, mail, storage] };
export const RECOVERY: AlertBatch = { kind: 'recovery', at: AT, cluster: 'prod', severity: 'info', items: [web01] };
