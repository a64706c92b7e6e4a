// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Scenario specs for the PVE simulator: the cluster, its jobs and how its history went. The same
 * spec (with its seed) always generates the same cluster and the same ground truth.
 */

import type { GuestType } from '../../src/domain/model.ts';

export interface SimNodeSpec {
    name: string;
    /** IANA zone; schedules fire in it. */
    timeZone: string;
    ip?: string;
    /** Periods the node was down (epoch s, [from, to)): scheduled runs in them are missed. */
    outages?: Array<{ from: number; to: number }>;
}

export interface SimGuestSpec {
    vmid: number;
    type: GuestType;
    name: string;
    node: string;
    template?: boolean;
    tags?: string[];
    pool?: string;
    /** Disk size; drives archive size and backup duration. Default from the seed. */
    sizeGiB?: number;
    status?: 'running' | 'stopped';
}

export interface SimStorageSpec {
    id: string;
    type: 'dir' | 'nfs' | 'cifs' | 'pbs';
    /** Default: true for nfs/cifs/pbs. */
    shared?: boolean;
    totalGiB: number;
    usedGiB?: number;
    /** Default `['backup']`. */
    content?: string[];
    /** Property string of the storage's retention; default `keep-last=7`. */
    prune?: string;
    /** PBS: share of backups verified OK / failed; the rest is never verified. */
    verify?: { ok: number; failed: number };
    enabled?: boolean;
}

export interface SimJobSpec {
    id: string;
    schedule: string;
    storage: string;
    enabled?: boolean;
    node?: string;
    vmids?: number[];
    all?: boolean;
    exclude?: number[];
    pool?: string;
    repeatMissed?: boolean;
    comment?: string;
    mode?: 'snapshot' | 'suspend' | 'stop';
    /** Job retention as a property string (returned by the API as an object). */
    prune?: string;
    /** A legacy `/etc/pve/vzdump.cron` job: schedule must be `HH:MM` or `<dow-list> HH:MM`. */
    legacy?: boolean;
    /**
     * Periods the job was disabled (epoch s, [from, to)): the scheduler skips its runs. Switching
     * `enabled` sets `updated` in every node's job state file (pve-platform.md §4.4).
     */
    disabled?: Array<{ from: number; to: number }>;
}

export type SimPlantKind = 'failed' | 'missed' | 'stale' | 'running-long' | 'warnings' | 'verify-failed' | 'job-failed';

/**
 * A problem placed on purpose at the latest due run of the guest's job(s). `stale` makes the last
 * four runs fail: the evaluator reports that as one failure streak, not as stale on top.
 */
export interface SimPlant {
    kind: SimPlantKind;
    vmid: number;
}

export interface SimTokenSpec {
    /** `user@realm!tokenid`. */
    id: string;
    secret: string;
    /** ACL: privileges granted on a path and everything below it. */
    acl: Array<{ path: string; privs: string[] }>;
}

export interface ScenarioSpec {
    seed: number;
    /** Cluster name; omit for a stand-alone node. */
    cluster?: string;
    /** The simulated "now" the clock starts at (epoch s). History ends here. */
    start: number;
    historyDays: number;
    /** How far beyond `start` scheduled runs are generated, for tests that advance the clock. Default 3. */
    futureDays?: number;
    nodes: SimNodeSpec[];
    guests: SimGuestSpec[];
    storages: SimStorageSpec[];
    jobs: SimJobSpec[];
    /** Random noise in the history (per guest run / per node run). */
    rates?: { fail?: number; warn?: number; miss?: number };
    plant?: SimPlant[];
    /** Default: one token with the privileges the check needs on `/` (see DEFAULT_TOKEN). */
    tokens?: SimTokenSpec[];
}

/** The `*.Audit` privileges of PVE's built-in PVEAuditor role. */
export const AUDIT_PRIVS = ['Sys.Audit', 'VM.Audit', 'Datastore.Audit', 'Pool.Audit', 'SDN.Audit', 'Mapping.Audit'];

/**
 * What the health check needs on `/`: PVEAuditor, plus Datastore.AllocateSpace and VM.Backup,
 * without which PVE silently leaves backup volumes out of storage content lists.
 */
export const MONITOR_PRIVS = [...AUDIT_PRIVS, 'Datastore.AllocateSpace', 'VM.Backup'];

export const DEFAULT_TOKEN: SimTokenSpec = {
    id: 'monitor@pve!health',
    secret: '5d4f1c2e-8a7b-4c3d-9e0f-1a2b3c4d5e6f',
    acl: [{ path: '/', privs: MONITOR_PRIVS }],
};

/** A token with exactly PVEAuditor on `/`: sees everything except backup volumes. */
export const PVEAUDITOR_TOKEN: SimTokenSpec = {
    id: 'pveauditor@pve!ro',
    secret: '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b',
    acl: [{ path: '/', privs: AUDIT_PRIVS }],
};

export function tokenString(t: SimTokenSpec): string {
    return `${t.id}=${t.secret}`;
}
