// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Task logs as vzdump writes them, using the exact strings of pve-platform.md §5. Every line
 * carries the time it was written, so a running task shows only what it has logged so far.
 */

import type { GuestType } from '../../src/domain/model.ts';
import type { LocalTime } from './local-time.ts';
import { isoUtc } from './local-time.ts';
import type { Prng } from './prng.ts';

export interface LogLine {
    at: number;
    text: string;
}

export type GuestOutcome = 'ok' | 'warnings' | 'failed' | 'running-long';

export interface GuestPlan {
    vmid: number;
    type: GuestType;
    name: string;
    sizeGiB: number;
    outcome: GuestOutcome;
    error?: string;
}

export interface RunPlan {
    node: string;
    timeZone: string;
    /** Task start (UPID starttime). */
    start: number;
    /** When the node lock was obtained (≥ start). */
    lockAt: number;
    storage: { id: string; type: string };
    /** Options printed on the command line (without positional vmids). */
    options: Record<string, string>;
    /** Effective retention (job, else storage), printed by the prune step. */
    retention?: string;
    /** Runs the prune after a guest's backup made at `ctime`; returns the volids it removes. */
    prune?: (vmid: number, ctime: number) => string[];
    /** VMIDs given on the command line. */
    vmids: number[];
    /** Listed guests living on other nodes. */
    external: number[];
    guests: GuestPlan[];
    /** The job dies before any guest (e.g. storage offline): only a TASK ERROR line. */
    jobFailure?: string;
}

export interface GuestResult {
    vmid: number;
    type: GuestType;
    outcome: GuestOutcome;
    start: number;
    end: number;
    sizeBytes: number;
    volid?: string;
    format?: string;
}

export interface RenderedRun {
    lines: LogLine[];
    end: number;
    /** Final status as `index` records it. */
    status: string;
    results: GuestResult[];
}

const GiB = 1024 ** 3;

function quote(v: string): string {
    return /^[A-Za-z0-9_\-+=:./@]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}

function hms(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/** vzdump's `format_size`. */
function archiveSize(bytes: number): string {
    const kb = bytes / 1024;
    if (kb < 1024) return `${Math.floor(kb)}KB`;
    const mb = kb / 1024;
    if (mb < 1024) return `${Math.floor(mb)}MB`;
    const gb = mb / 1024;
    return gb < 1024 ? `${gb.toFixed(2)}GB` : `${(gb / 1024).toFixed(2)}TB`;
}

function gib(bytes: number, digits = 1): string {
    return `${(bytes / GiB).toFixed(digits)} GiB`;
}

export function commandLine(plan: RunPlan, prng: Prng): string {
    const opts = Object.entries(plan.options);
    // vzdump prints options in Perl hash order, i.e. effectively random.
    for (let i = opts.length - 1; i > 0; i--) {
        const j = prng.int(0, i);
        [opts[i], opts[j]] = [opts[j] as [string, string], opts[i] as [string, string]];
    }
    return ['vzdump', ...plan.vmids.map(String), ...opts.map(([k, v]) => `--${k} ${quote(v)}`)].join(' ');
}

/** Renders one vzdump task. Guests run back to back after the node lock was taken. */
export function renderRun(plan: RunPlan, lt: LocalTime, prng: Prng): RenderedRun {
    const lines: LogLine[] = [];
    const log = (at: number, text: string) => lines.push({ at, text });
    if (plan.jobFailure) {
        log(plan.start + 1, `TASK ERROR: ${plan.jobFailure}`);
        return { lines, end: plan.start + 1, status: plan.jobFailure, results: [] };
    }
    let t = plan.start;
    if (plan.lockAt > plan.start) {
        log(t, 'INFO: trying to get global lock - waiting...');
        t = plan.lockAt;
        log(t, 'INFO: got global lock');
    }
    log(t, `INFO: starting new backup job: ${commandLine(plan, prng)}`);
    if (plan.external.length > 0) log(t, `INFO: skip external VMs: ${plan.external.join(', ')}`);
    const results: GuestResult[] = [];
    let failed = 0;
    let warnings = 0;
    for (const g of plan.guests) {
        const r = renderGuest(plan, g, t + 1, lt, prng, log);
        results.push(r);
        t = r.end;
        if (g.outcome === 'failed') failed++;
        if (g.outcome === 'warnings') warnings++;
        if (g.outcome === 'running-long') return { lines, end: Number.POSITIVE_INFINITY, status: 'RUNNING', results };
    }
    t += 1;
    if (failed > 0) {
        log(t, 'INFO: Backup job finished with errors');
        log(t, 'TASK ERROR: job errors');
        return { lines, end: t, status: 'job errors', results };
    }
    log(t, 'INFO: Backup job finished successfully');
    if (warnings > 0) {
        log(t, `TASK WARNINGS: ${warnings}`);
        return { lines, end: t, status: `WARNINGS: ${warnings}`, results };
    }
    log(t, 'TASK OK');
    return { lines, end: t, status: 'OK', results };
}

function renderGuest(
    plan: RunPlan,
    g: GuestPlan,
    start: number,
    lt: LocalTime,
    prng: Prng,
    log: (at: number, text: string) => void,
): GuestResult {
    const tz = plan.timeZone;
    const pbs = plan.storage.type === 'pbs';
    const kind = g.type === 'qemu' ? 'VM' : 'CT';
    log(start, `INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
    log(start, `INFO: Backup started at ${lt.stamp(start, tz)}`);
    log(start, 'INFO: status = running');
    if (g.outcome === 'failed') {
        const end = start + prng.int(0, 3);
        log(end, `ERROR: Backup of VM ${g.vmid} failed - ${g.error ?? `${kind} is locked (snapshot)`}`);
        log(end, `INFO: Failed at ${lt.stamp(end, tz)}`);
        return { vmid: g.vmid, type: g.type, outcome: 'failed', start, end, sizeBytes: 0 };
    }
    const disk = Math.round(g.sizeGiB * GiB);
    const seconds = g.outcome === 'running-long' ? 86400 : Math.round((20 + g.sizeGiB * 2.5) * (0.9 + prng.next() * 0.2));
    const end = start + seconds;
    const archiveBytes = Math.round(disk * (0.35 + prng.next() * 0.05));
    log(start, `INFO: ${kind} Name: ${g.name}`);
    if (g.type === 'qemu') log(start, `INFO: include disk 'scsi0' 'local-lvm:vm-${g.vmid}-disk-0' ${Math.round(g.sizeGiB)}G`);
    else log(start, "INFO: including mount point rootfs ('/') in backup");
    log(start, `INFO: backup mode: ${plan.options.mode ?? 'snapshot'}`);
    log(start, 'INFO: ionice priority: 7');
    const stamp = lt.fileStamp(start, tz);
    const ext = g.type === 'qemu' ? 'vma.zst' : 'tar.zst';
    const file = `vzdump-${g.type}-${g.vmid}-${stamp}.${ext}`;
    const pbsName = `${g.type === 'qemu' ? 'vm' : 'ct'}/${g.vmid}/${isoUtc(start)}`;
    const dumpdir = plan.storage.id === 'local' ? '/var/lib/vz/dump' : `/mnt/pve/${plan.storage.id}/dump`;
    if (pbs) log(start + 1, `INFO: creating Proxmox Backup Server archive '${pbsName}'`);
    else log(start + 1, `INFO: creating vzdump archive '${dumpdir}/${file}'`);
    const mid = start + Math.round(seconds / 2);
    if (g.outcome === 'running-long') {
        log(start + 2, "INFO: started backup task 'a1b2c3d4-0000-4000-8000-00000000dead'");
        log(start + 600, `INFO:   3% (${gib(disk * 0.03)} of ${gib(disk)}) in 10m, read: 5.1 MiB/s, write: 4.9 MiB/s`);
        return { vmid: g.vmid, type: g.type, outcome: 'running-long', start, end: Number.POSITIVE_INFINITY, sizeBytes: 0 };
    }
    if (g.type === 'qemu') {
        log(start + 1, 'INFO: starting backup via QMP command');
        log(start + 1, `INFO: started backup task '${uuid(prng)}'`);
        log(start + 1, 'INFO: resuming VM again');
        const rate = (disk / seconds / 1024 ** 2).toFixed(1);
        log(mid, `INFO:  51% (${gib(disk * 0.51)} of ${gib(disk)}) in ${Math.round(seconds / 2)}s, read: ${rate} MiB/s, write: ${rate} MiB/s`);
        log(end - 1, `INFO: 100% (${gib(disk)} of ${gib(disk)}) in ${seconds}s, read: ${rate} MiB/s, write: ${rate} MiB/s`);
        log(end - 1, `INFO: transferred ${gib(disk, 2)} in ${seconds} seconds (${rate} MiB/s)`);
    } else {
        log(start + 1, "INFO: create storage snapshot 'vzdump'");
        log(end - 1, `INFO: Total bytes written: ${disk} (${(disk / GiB).toFixed(1)}GiB, ${Math.round(disk / seconds / 1024 ** 2)}MiB/s)`);
    }
    if (!pbs) log(end - 1, `INFO: archive file size: ${archiveSize(archiveBytes)}`);
    if (g.outcome === 'warnings') {
        log(end - 1, 'INFO: adding notes to backup');
        log(end - 1, 'WARN: unable to add notes - got timeout');
    }
    const retention = plan.retention;
    if (retention) {
        log(end, `INFO: prune older backups with retention: ${retention.split(',').sort().join(', ')}`);
        if (pbs) log(end, `INFO: running 'proxmox-backup-client prune' for '${pbsName.split('/').slice(0, 2).join('/')}'`);
        const pruned = plan.prune?.(g.vmid, start) ?? [];
        if (!pbs) for (const v of pruned) log(end, `INFO: removing backup '${v}'`);
        const n = pruned.length;
        log(end, `INFO: pruned ${n} backup(s)${n > 0 ? ' not covered by keep-retention policy' : ''}`);
    }
    if (g.type === 'lxc') log(end, "INFO: cleanup temporary 'vzdump' snapshot");
    log(end, `INFO: Finished Backup of VM ${g.vmid} (${hms(seconds)})`);
    log(end, `INFO: Backup finished at ${lt.stamp(end, tz)}`);
    const r: GuestResult = { vmid: g.vmid, type: g.type, outcome: g.outcome, start, end, sizeBytes: pbs ? disk : archiveBytes };
    r.volid = pbs ? `${plan.storage.id}:backup/${pbsName}` : `${plan.storage.id}:backup/${file}`;
    r.format = pbs ? (g.type === 'qemu' ? 'pbs-vm' : 'pbs-ct') : ext;
    return r;
}

function uuid(prng: Prng): string {
    const h = (n: number) => (prng.int(0, 16 ** n - 1) >>> 0).toString(16).padStart(n, '0');
    return `${h(8)}-${h(4)}-4${h(3)}-8${h(3)}-${h(6)}${h(6)}`;
}
