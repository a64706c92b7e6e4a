// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `pve-backup-health check`: one health check, printed for people or as JSON for external checks.
 * Exit codes follow the Nagios plugin convention (0 ok, 1 warning, 2 critical, 3 unknown); any
 * failure to get data, including bad usage, is 3 so a monitoring system never reads it as "ok".
 */

import { parseArgs } from 'node:util';
import { type ClusterSourceEntry, exitCodeFor, runCheck, runClusterChecks } from '../../app/check.ts';
import { type RemoteSourceSettings, type SourceOptions, composeRemoteSources, composeSnapshotSource, isPveHost } from '../../compose.ts';
import { ConfigStore, configLocation } from '../../config/load.ts';
import type { HealthReport } from '../../domain/health/report.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from '../../domain/health/settings.ts';
import { renderReportText } from '../../domain/message/report-text.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { SOURCE_OPTIONS, SOURCE_USAGE, sourceOptionsFrom } from '../source-args.ts';
import { parseRfc3339 } from '../../domain/time/rfc3339.ts';

const USAGE = `Usage: pve-backup-health check [--snapshot <file.json> | --api-url <url> --token <id=secret>] [options]

Checks every guest's backups against its jobs' own calendars and prints a report.

${SOURCE_USAGE}
Options:
  --now <RFC3339>         judge as of this time (default: now)
  --json                  print the JSON report (contract: status, checkedAt, problems, guests, jobs)
  --debug                 explain: per guest the expected runs, matched tasks and decisive log lines
  --only-problems         leave out the guest and job tables
  --history-days <N>      how far back tasks are read (default 35)
  --progress              report progress of long first collections on stderr
  --grace-minutes <N>     how late a scheduled run may start before it counts as missed (default 30, minimum 30)
  --ignore-tag <tag>      guests with this tag are intentionally not backed up (default: nobackup)
  --remotes <settings>    also check the clusters in this settings file's \`remotes\` (token secrets
                          from its secrets file, e.g. /etc/pve/backup-health.json); without another
                          data source only those; each guest and problem then names its remote

Exit codes: 0 ok, 1 warning, 2 critical, 3 unknown (including errors).
`;

function settingsFrom(values: Record<string, string | boolean | undefined>): EvaluationSettings {
    const s: EvaluationSettings = { ...DEFAULT_SETTINGS };
    if (typeof values['grace-minutes'] === 'string') {
        const n = Number(values['grace-minutes']);
        if (!Number.isFinite(n) || n < 0) throw new Error(`--grace-minutes must be a number of minutes, got '${values['grace-minutes']}'`);
        s.graceSeconds = Math.round(n * 60);
    }
    if (typeof values['ignore-tag'] === 'string') s.ignoreTag = values['ignore-tag'];
    return s;
}

async function run(ctx: CliContext): Promise<number> {
    let parsed: ReturnType<typeof parseOptions>;
    try {
        parsed = parseOptions(ctx.args);
    } catch (e) {
        ctx.err(`pve-backup-health check: ${(e as Error).message}\n\n${USAGE}`);
        return 3;
    }
    const { values, historyDays, settings } = parsed;
    const now = parsed.now ?? ctx.now();
    let sourceOptions: SourceOptions;
    try {
        sourceOptions = sourceOptionsFrom(values, ctx.env);
    } catch (e) {
        ctx.err(`pve-backup-health check: ${(e as Error).message}\n\n${USAGE}`);
        return 3;
    }
    try {
        const progress = values.json ? undefined : (m: string) => ctx.err(`${m}\n`);
        const req = { settings, now, historyDays, ...(progress && values.progress ? { onProgress: progress } : {}) };
        let report: HealthReport;
        if (values.remotes === undefined) report = (await runCheck({ ...req, source: composeSnapshotSource(sourceOptions) })).report;
        else report = await runClusterChecks(await clusters(values.remotes, sourceOptions, ctx.env), req);
        if (values.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
        else ctx.out(renderReportText(report, { now, debug: values.debug === true, onlyProblems: values['only-problems'] === true }));
        return exitCodeFor(report);
    } catch (e) {
        ctx.err(`UNKNOWN - pve-backup-health check: ${(e as Error).message}\n`);
        return 3;
    }
}

/** This cluster (unless only remotes are asked for) and every remote of the settings file. */
async function clusters(settingsFile: string, main: SourceOptions, env: Record<string, string | undefined>): Promise<ClusterSourceEntry[]> {
    const location = configLocation(settingsFile);
    const loaded = await new ConfigStore({ location, env }).load();
    if (loaded.errors.length > 0) throw new Error(`cannot use ${settingsFile}: ${loaded.errors.join('; ')}`);
    const remotes = loaded.config.remotes.map((r): RemoteSourceSettings => {
        const secret = loaded.secrets.remotes[r.name]?.tokenSecret;
        return secret ? { ...r, tokenSecret: secret } : { ...r };
    });
    if (remotes.length === 0) throw new Error(`${settingsFile} lists no remotes`);
    const out: ClusterSourceEntry[] = [];
    const hasMain = main.snapshotFile !== undefined || main.api !== undefined || isPveHost(main.hostRoot ?? '/');
    if (hasMain) out.push({ source: composeSnapshotSource(main) });
    out.push(...composeRemoteSources(remotes, location.secretsFile, main.api?.cacheDir));
    return out;
}

function parseOptions(args: string[]) {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
            ...SOURCE_OPTIONS,
            now: { type: 'string' },
            progress: { type: 'boolean' },
            json: { type: 'boolean' },
            debug: { type: 'boolean' },
            'only-problems': { type: 'boolean' },
            'history-days': { type: 'string' },
            'grace-minutes': { type: 'string' },
            'ignore-tag': { type: 'string' },
            remotes: { type: 'string' },
        },
    });
    if (positionals.length > 0) throw new Error(`unexpected argument '${positionals[0]}'`);
    const now = values.now === undefined ? undefined : parseRfc3339(values.now);
    if (values.now !== undefined && now === null) throw new Error(`--now must be an RFC 3339 time like 2026-11-21T09:00:00Z, got '${values.now}'`);
    const historyDays = values['history-days'] === undefined ? 35 : Number(values['history-days']);
    if (!Number.isFinite(historyDays) || historyDays <= 0) throw new Error(`--history-days must be a positive number, got '${values['history-days']}'`);
    return { values, now: now ?? undefined, historyDays, settings: settingsFrom(values) };
}

export const checkCommand: CliCommand = {
    name: 'check',
    summary: 'check every guest against its backup jobs and print a report (Nagios exit codes)',
    usage: USAGE,
    run,
};
