// SPDX-License-Identifier: AGPL-3.0-or-later
/** PVE API answers as the client returns them: camelCase, numbers and booleans already coerced. */

import type { PruneOptions } from '../../domain/model.ts';

export interface ApiClusterNode {
    name: string;
    online: boolean;
    /** The node that answered this request (the API endpoint we talk to). */
    local: boolean;
    nodeid?: number;
    ip?: string;
}

export interface ApiClusterStatus {
    /** Absent on a stand-alone node. */
    cluster?: { name: string; quorate: boolean; nodes?: number; version?: number };
    nodes: ApiClusterNode[];
}

export interface ApiVmResource {
    vmid: number;
    type: 'qemu' | 'lxc';
    node: string;
    name?: string;
    status?: string;
    template: boolean;
    tags: string[];
    pool?: string;
    lock?: string;
}

export interface ApiNodeTime {
    timezone: string;
    time?: number;
    localtime?: number;
}

export interface ApiBackupJob {
    id: string;
    /** `vzdump` for jobs.cfg entries; absent for legacy vzdump.cron jobs. */
    type?: string;
    schedule?: string;
    enabled: boolean;
    repeatMissed: boolean;
    comment?: string;
    nextRun?: number;
    vmids: number[];
    all: boolean;
    exclude: number[];
    pool?: string;
    node?: string;
    storage?: string;
    prune?: PruneOptions;
    /** Every property as PVE sent it (kebab-case keys, values as strings). */
    raw: Record<string, string>;
}

export interface ApiIncludedGuest {
    vmid: number;
    name?: string;
    type: 'qemu' | 'lxc' | 'unknown';
    volumes: Array<{ id: string; volid: string; included: boolean; reason?: string }>;
}

export interface ApiTask {
    upid: string;
    node: string;
    starttime: number;
    endtime?: number;
    type: string;
    id: string;
    /** `user@realm`, or `user@realm!tokenid` for token tasks. */
    user: string;
    /** `OK`, `WARNINGS: n`, an error text, `unexpected status` or `RUNNING`. */
    status?: string;
}

export interface TaskPage {
    items: ApiTask[];
    total?: number;
}

export interface ApiTaskStatus {
    status: 'running' | 'stopped';
    exitstatus?: string;
    starttime?: number;
}

export interface ApiStorageStatus {
    storage: string;
    type: string;
    content: string[];
    enabled: boolean;
    active: boolean;
    shared: boolean;
    total?: number;
    used?: number;
    avail?: number;
}

export interface ApiBackup {
    volid: string;
    vmid: number;
    ctime: number;
    format?: string;
    size?: number;
    notes?: string;
    protected: boolean;
    encrypted: boolean;
    subtype?: string;
    verification?: { state: string; upid?: string };
}

export interface ApiStorageConfig {
    storage: string;
    type?: string;
    content: string[];
    shared?: boolean;
    /** Property string as stored, e.g. `keep-daily=7,keep-last=3`. */
    pruneBackups?: string;
    maxProtectedBackups?: number;
}
