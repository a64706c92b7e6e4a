// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The legacy `/etc/pve/vzdump.cron` (pve-platform.md §4.2), read like pve-guest-common's
 * `parse_vzdump_cron_config` and converted the way `GET /cluster/backup` lists it: `id` is
 * `<sha1 of the file>:<n>` counting parsed jobs only, `schedule` is `HH:MM` when every day is
 * selected and `<dow-list> HH:MM` otherwise (weekday names, Monday first).
 */

import type { BackupJob, JobSelection, PruneOptions } from '../model.ts';
import { toInt } from './coerce.ts';
import { parsePruneOptions } from './prune-options.ts';
import { splitShellWords } from './shell-words.ts';
import { parseVzdumpArgs, selectionFromVzdumpArgs } from './vzdump-args.ts';

export interface VzdumpCronProblem {
    line: number;
    message: string;
}

export interface ParsedVzdumpCron {
    jobs: BackupJob[];
    errors: VzdumpCronProblem[];
}

const JOB_LINE = /^(\d+)\s+(\d+)\s+\*\s+\*\s+(\S+)\s+root\s+(\/\S+\/)?(#)?vzdump(\s+(.*))?$/;
const CRON_LIKE = /^\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S.*$/;
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Parses vzdump.cron. The caller hashes the raw file (SHA-1, hex) because job ids depend on it
 * and the domain does no hashing. Never throws.
 */
export function parseVzdumpCron(text: string, sha1Hex: string): ParsedVzdumpCron {
    const jobs: BackupJob[] = [];
    const errors: VzdumpCronProblem[] = [];
    const lines = (typeof text === 'string' ? text : '').split('\n');
    for (let i = 0; i < lines.length; i++) {
        let line = lines[i] as string;
        if (line.endsWith('\r')) line = line.slice(0, -1);
        const n = i + 1;
        if (line.startsWith('#') || line.trim() === '' || /^PATH\s*=/.test(line)) continue;
        const m = JOB_LINE.exec(line);
        if (!m) {
            const what = CRON_LIKE.test(line) ? 'not a vzdump job line' : 'malformed line';
            errors.push({ line: n, message: `${what}: '${clip(line)}'` });
            continue;
        }
        const days = parseDayOfWeek(m[3] as string);
        if (!days) {
            errors.push({ line: n, message: `unable to parse day of week '${m[3]}'` });
            continue;
        }
        const hour = toInt(m[2]) ?? -1;
        const minute = toInt(m[1]) ?? -1;
        const id = `${sha1Hex}:${jobs.length + 1}`;
        const { job, problems } = lineToJob(id, { hour, minute, days, enabled: m[5] === undefined, args: m[7] ?? '' });
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) problems.push(`start time ${m[2]}:${m[1]} is out of range`);
        for (const problem of problems) errors.push({ line: n, message: `job '${id}': ${problem}` });
        jobs.push(job);
    }
    return { jobs, errors };
}

interface CronLine {
    hour: number;
    minute: number;
    days: Set<number>;
    enabled: boolean;
    args: string;
}

function lineToJob(id: string, cron: CronLine): { job: BackupJob; problems: string[] } {
    const args = parseVzdumpArgs(splitShellWords(cron.args));
    const problems = [...args.errors];
    const sel = selectionFromVzdumpArgs(args);
    const selection: JobSelection = { all: sel.all, vmids: sel.vmids, exclude: sel.exclude };
    if (sel.pool !== null) selection.pool = sel.pool;
    const job: BackupJob = {
        id,
        origin: 'vzdump.cron',
        schedule: scheduleOf(cron),
        enabled: cron.enabled,
        selection,
        repeatMissed: false,
        options: args.options,
    };
    if (sel.node !== null) job.node = sel.node;
    if (sel.storage !== null) job.storage = sel.storage;
    const prune = pruneOf(args.options, problems);
    if (prune) job.prune = prune;
    return { job, problems };
}

/** `HH:MM`, or `<names> HH:MM` unless all seven days are selected. */
function scheduleOf(cron: CronLine): string {
    const time = `${pad2(cron.hour)}:${pad2(cron.minute)}`;
    if (cron.days.size === 7) return time;
    const names = DAY_NAMES.filter((_name, index) => cron.days.has(index + 1));
    return `${names.join(',')} ${time}`;
}

/** Crontab day of week as PVE's `parse_dow` reads it: `*`, numbers 0–7, names, name ranges. */
function parseDayOfWeek(text: string): Set<number> | null {
    const days = new Set<number>();
    const field = text === '*' ? '1,2,3,4,5,6,7' : text;
    for (const part of field.split(/[,;\s]+/)) {
        if (part === '') continue;
        const lower = part.toLowerCase();
        const range = /^([a-z]{3})-([a-z]{3})$/.exec(lower);
        if (range) {
            const from = dayIndex(range[1] as string);
            const to = dayIndex(range[2] as string);
            if (from === 0 || to === 0) return null;
            for (let d = from; d <= to; d++) days.add(d);
        } else if (/^[0-7]$/.test(lower)) {
            days.add(lower === '0' ? 7 : Number(lower));
        } else {
            const d = dayIndex(lower);
            if (d === 0) return null;
            days.add(d);
        }
    }
    return days.size > 0 ? days : null;
}

function dayIndex(name: string): number {
    return (DAY_NAMES as readonly string[]).indexOf(name) + 1;
}

/** `prune-backups`, or the old `maxfiles` the way vzdump mapped it (N → keep-last=N, 0 → keep-all). */
function pruneOf(options: Record<string, string>, problems: string[]): PruneOptions | null {
    const text = Object.hasOwn(options, 'prune-backups') ? options['prune-backups'] : undefined;
    if (text !== undefined) {
        const parsed = parsePruneOptions(text);
        problems.push(...parsed.errors.map((e) => `prune-backups: ${e}`));
        return parsed.errors.length > 0 ? null : (parsed.prune ?? { keepAll: true });
    }
    const maxfiles = Object.hasOwn(options, 'maxfiles') ? toInt(options.maxfiles) : null;
    if (maxfiles === null) return null;
    return maxfiles > 0 ? { keepLast: maxfiles } : { keepAll: true };
}

function pad2(n: number): string {
    return String(Math.max(0, n)).padStart(2, '0');
}

function clip(text: string): string {
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
