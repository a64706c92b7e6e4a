// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `/etc/pve/jobs.cfg` (pve-platform.md §4.1): the `vzdump` sections become BackupJobs;
 * `realm-sync` and unknown section types are skipped. Values are checked the way PVE checks them
 * while parsing: a broken value is reported and dropped, the rest of the job is kept; a job
 * without `schedule` is reported and left out, as PVE's required-option check drops it.
 */

import type { BackupJob, JobSelection } from '../model.ts';
import { getOwn, setOwn, toBool, toInt } from './coerce.ts';
import { parsePruneOptions } from './prune-options.ts';
import { decodeComment, readSectionConfig, type Section } from './section-config.ts';
import { parseVmidList } from './vmid-list.ts';

export interface JobsCfgProblem {
    line: number;
    message: string;
}

export interface ParsedJobsCfg {
    jobs: BackupJob[];
    errors: JobsCfgProblem[];
}

const BOOLEAN_KEYS = new Set(['enabled', 'repeat-missed', 'all', 'stdexcludes', 'quiet', 'stop', 'remove', 'protected']);
const INTEGER_KEYS = new Map<string, readonly [number, number]>([
    ['bwlimit', [0, Number.MAX_SAFE_INTEGER]],
    ['ionice', [0, 8]],
    ['lockwait', [0, Number.MAX_SAFE_INTEGER]],
    ['stopwait', [0, Number.MAX_SAFE_INTEGER]],
    ['pigz', [0, Number.MAX_SAFE_INTEGER]],
    ['zstd', [0, Number.MAX_SAFE_INTEGER]],
    ['maxfiles', [1, Number.MAX_SAFE_INTEGER]],
]);
const ENUM_KEYS = new Map<string, readonly string[]>([
    ['mode', ['snapshot', 'suspend', 'stop']],
    ['compress', ['0', '1', 'gzip', 'lzo', 'zstd']],
    ['mailnotification', ['always', 'failure']],
    ['notification-mode', ['auto', 'legacy-sendmail', 'notification-system']],
    ['pbs-change-detection-mode', ['legacy', 'data', 'metadata']],
]);
/** Keys PVE stores one line per value (schema type array). */
const ARRAY_KEYS = new Set(['exclude-path']);
const MAX_ID_LENGTH = 50;
const MAX_SCHEDULE_LENGTH = 128;

/** Parses jobs.cfg text. Never throws. */
export function parseJobsCfg(text: string): ParsedJobsCfg {
    const { sections, errors: syntaxErrors } = readSectionConfig(text);
    const errors: JobsCfgProblem[] = [...syntaxErrors];
    const byId = new Map<string, BackupJob>();
    for (const section of sections) {
        if (section.type !== 'vzdump') continue;
        const job = sectionToJob(section, errors);
        if (!job) continue;
        if (byId.has(job.id)) {
            errors.push({ line: section.line, message: `job '${job.id}': defined twice, the later section wins` });
            byId.delete(job.id);
        }
        byId.set(job.id, job);
    }
    return { jobs: [...byId.values()], errors };
}

function sectionToJob(section: Section, errors: JobsCfgProblem[]): BackupJob | null {
    const id = section.id;
    const report = (line: number, message: string): void => {
        errors.push({ line, message: `job '${id}': ${message}` });
    };
    if (id.length > MAX_ID_LENGTH) report(section.line, `id is longer than ${MAX_ID_LENGTH} characters`);
    const props = acceptedProperties(section, report);
    const get = (key: string): string | undefined => getOwn(props.values, key);
    const schedule = get('schedule');
    if (schedule === undefined) {
        report(section.line, `missing value for required option 'schedule' (PVE ignores this job)`);
        return null;
    }
    const selection: JobSelection = { all: toBool(get('all')) === true, vmids: [], exclude: [] };
    const vmid = get('vmid');
    const exclude = get('exclude');
    const pool = get('pool');
    if (vmid !== undefined) selection.vmids = parseVmidList(vmid).vmids;
    if (exclude !== undefined) selection.exclude = parseVmidList(exclude).vmids;
    if (pool !== undefined) selection.pool = pool;
    if (exclude !== undefined && pool === undefined) selection.all = true;
    if (vmid !== undefined && (selection.all || pool !== undefined)) {
        report(section.line, `'vmid' conflicts with 'all', 'exclude' or 'pool'`);
    }
    if (vmid === undefined && !selection.all && pool === undefined) {
        report(section.line, `selects no guests (no 'vmid', 'all' or 'pool')`);
    }
    const job: BackupJob = {
        id,
        origin: 'jobs.cfg',
        schedule,
        enabled: toBool(get('enabled')) ?? true,
        selection,
        repeatMissed: toBool(get('repeat-missed')) === true,
        options: props.values,
    };
    const node = get('node');
    const storage = get('storage');
    const comment = get('comment');
    if (node !== undefined) job.node = node;
    if (storage !== undefined) job.storage = storage;
    if (comment !== undefined) job.comment = decodeComment(comment);
    const prune = props.prune;
    if (prune) job.prune = prune;
    return job;
}

interface Accepted {
    values: Record<string, string>;
    prune: BackupJob['prune'] | null;
}

/** The section's properties that pass PVE's per-value checks; the others are reported. */
function acceptedProperties(section: Section, report: (line: number, message: string) => void): Accepted {
    const values: Record<string, string> = {};
    let prune: BackupJob['prune'] | null = null;
    for (const { key, value: rawValue, line } of section.properties) {
        const existing = getOwn(values, key);
        if (existing !== undefined && !ARRAY_KEYS.has(key)) {
            report(line, `duplicate attribute '${key}' (the first value is used)`);
            continue;
        }
        const value = rawValue ?? (BOOLEAN_KEYS.has(key) ? '1' : null);
        if (value === null) {
            report(line, `missing value for '${key}'`);
            continue;
        }
        const problem = checkValue(key, value);
        if (problem) {
            report(line, `invalid value for '${key}': ${problem}`);
            continue;
        }
        if (key === 'prune-backups') {
            const parsed = parsePruneOptions(value);
            if (parsed.errors.length > 0) {
                report(line, `invalid value for 'prune-backups': ${parsed.errors.join('; ')}`);
                continue;
            }
            prune = parsed.prune ?? { keepAll: true };
        }
        setOwn(values, key, existing === undefined ? value : `${existing}\n${value}`);
    }
    return { values, prune };
}

/** Why PVE would refuse this value, or null when it is fine (unknown keys are not checked). */
function checkValue(key: string, value: string): string | null {
    if (BOOLEAN_KEYS.has(key)) return toBool(value) === null ? `'${value}' is not a boolean` : null;
    const range = INTEGER_KEYS.get(key);
    if (range) {
        const n = toInt(value);
        if (n === null) return `'${value}' is not an integer`;
        return n < range[0] || n > range[1] ? `${n} is out of range ${range[0]}..${range[1]}` : null;
    }
    const allowed = ENUM_KEYS.get(key);
    if (allowed) return allowed.includes(value) ? null : `'${value}' is not one of ${allowed.join(', ')}`;
    if (key === 'vmid' || key === 'exclude') {
        const { errors } = parseVmidList(value);
        return errors.length > 0 ? errors.join('; ') : null;
    }
    if (key === 'schedule' && value.length > MAX_SCHEDULE_LENGTH) return `longer than ${MAX_SCHEDULE_LENGTH} characters`;
    if (key === 'node' && !/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(value)) return `'${value}' is not a node name`;
    if (key === 'storage' && !/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(value)) return `'${value}' is not a storage id`;
    return null;
}
