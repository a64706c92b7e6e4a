// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `pve-backup-health parse-log <file>...`: shows what the vzdump log parser reads from task logs
 * (or per-guest logs, recognised by their timestamped lines). With `--json` it prints one JSON
 * document: an object for one file, an array for several. Exit 2 when a file cannot be read.
 */

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGuestLog } from '../../domain/vzdump-log/guest-log.ts';
import { normalizeLogInput } from '../../domain/vzdump-log/lines.ts';
import { parseVzdumpLog } from '../../domain/vzdump-log/parse.ts';
import { formatBytes } from '../../domain/vzdump-log/sizes.ts';
import type { GuestBackupResult, JobOutcome, ParsedVzdumpLog } from '../../domain/vzdump-log/types.ts';
import { type CliCommand, type CliContext, UsageError } from '../command.ts';

const USAGE = `Usage: pve-backup-health parse-log <file>... [--json] [--running]

Parses vzdump task logs (/var/log/pve/tasks/<X>/<UPID>, or a saved API log) and per-guest
logs (/var/log/vzdump/qemu-100.log) and prints the job outcome and one row per guest.

Options:
  --json      print JSON: an object for one file, an array for several
  --running   the task is still running (a log without TASK line is "running", not "unexpected")

Exit codes: 0 parsed, 2 bad usage or a file could not be read.
`;

interface FileResult extends Omit<ParsedVzdumpLog, 'outcome'> {
    file: string;
    format: 'task-log' | 'guest-log';
    outcome: JobOutcome;
}

const STAMPED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (INFO|ERROR|WARN): /;

async function run(ctx: CliContext): Promise<number> {
    const { files, json, running } = options(ctx.args);
    const texts: string[] = [];
    const unreadable: string[] = [];
    for (const file of files) {
        try {
            texts.push(readFileSync(file, 'utf8'));
        } catch (e) {
            unreadable.push(`pve-backup-health parse-log: cannot read '${file}': ${readError(e)}`);
        }
    }
    if (unreadable.length > 0) {
        ctx.err(`${unreadable.join('\n')}\n`);
        return 2;
    }
    const results = files.map((file, i) => parseFile(file, texts[i] as string, running));
    if (json) {
        ctx.out(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
    } else {
        ctx.out(results.map(renderText).join('\n'));
    }
    return 0;
}

function readError(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === undefined ? undefined : READ_ERRORS.get(code);
    return reason === undefined ? (e as Error).message : `${reason} (${code})`;
}

const READ_ERRORS = new Map([
    ['ENOENT', 'no such file'],
    ['EACCES', 'permission denied'],
    ['EISDIR', 'is a directory'],
]);

function options(args: string[]): { files: string[]; json: boolean; running: boolean } {
    try {
        const { values, positionals } = parseArgs({
            args,
            allowPositionals: true,
            options: { json: { type: 'boolean' }, running: { type: 'boolean' } },
        });
        if (positionals.length === 0) throw new UsageError('no log file given');
        return { files: positionals, json: values.json === true, running: values.running === true };
    } catch (e) {
        throw e instanceof UsageError ? e : new UsageError((e as Error).message);
    }
}

function parseFile(file: string, text: string, running: boolean): FileResult {
    const firstLine = text.slice(0, 200).split('\n', 1)[0] ?? '';
    if (!STAMPED.test(firstLine)) return { file, format: 'task-log', ...parseVzdumpLog(text, { running }) };
    const guest = parseGuestLog(text, { running });
    return {
        file,
        format: 'guest-log',
        outcome: guestLogOutcome(guest),
        taskLine: null,
        jobError: null,
        cmdline: null,
        options: {},
        selection: null,
        quiet: false,
        guests: guest ? [guest] : [],
        warnings: guest ? guest.warnings : [],
        evidence: [],
        lineCount: normalizeLogInput(text).texts.length,
    };
}

/** A per-guest log has no TASK line; its outcome is the guest's own result. */
function guestLogOutcome(guest: GuestBackupResult | null): JobOutcome {
    if (!guest) return 'unexpected';
    if (guest.status === 'running') return 'running';
    if (guest.status === 'ok') return guest.warnings.length > 0 ? 'warnings' : 'ok';
    return 'guest-failures';
}

function renderText(r: FileResult): string {
    const task = r.taskLine === null ? (r.format === 'guest-log' ? 'per-guest log' : 'no TASK line') : `TASK ${r.taskLine}`;
    const lines = [`${basename(r.file)}: ${r.outcome} (${task})`];
    if (r.jobError !== null) lines.push(`  job error: ${r.jobError}`);
    for (const w of r.warnings) lines.push(`  warning: ${w}`);
    if (r.guests.length === 0) {
        lines.push('  no guests in this log');
    } else {
        const header = ['VMID', 'NAME', 'TYPE', 'STATUS', 'DURATION', 'SIZE', 'ERROR'];
        const rows = r.guests.map((g) => [
            String(g.vmid),
            g.name ?? '-',
            g.type ?? '-',
            g.status,
            g.durationSeconds === null ? '-' : hms(g.durationSeconds),
            g.sizeBytes === null ? '-' : formatBytes(g.sizeBytes),
            g.error ?? '',
        ]);
        lines.push(...table([header, ...rows]).map((l) => `  ${l}`));
    }
    return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
    const widths = rows[0]?.map((_c, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function hms(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

export const parseLogCommand: CliCommand = {
    name: 'parse-log',
    summary: 'show what the vzdump log parser reads from task logs or per-guest logs',
    usage: USAGE,
    run,
};
