// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `config check|show|path|schema`: validate the settings files, print the effective settings
 * (never a secret), say where the files are, print the JSON Schema the GUI uses.
 */

import { parseArgs } from 'node:util';
import { ConfigStore, type LoadResult, configLocation } from '../../config/load.ts';
import { settingsJsonSchema } from '../../config/schema.ts';
import { publicSettings } from '../../config/secrets.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { UsageError } from '../command.ts';

const USAGE = `Usage: pve-backup-health config <check|show|path|schema> [--config <file>]

  check   validate the settings, the secrets and the PVE_BACKUP_HEALTH_* environment overrides;
          prints OK or every error (exit 0 when valid, 1 when not)
  show    print the effective settings as JSON, without secrets ("secretsSet" lists which are set)
  path    print where the settings and secrets files are
  schema  print the JSON Schema of the settings (what the GUI form is built from)

Options:
  --config <file>  a local settings file instead of /etc/pve/backup-health.json (for hosts
                   without pmxcfs); its secrets are read from <file without .json>.secrets.json
`;

/**
 * Reads the settings named by `--config` (default: the PVE files); shared with `notify`. A file
 * named explicitly must exist: silently using the defaults would hide a typo in the path.
 */
export async function loadSettings(file: string | undefined, env: CliContext['env']): Promise<LoadResult> {
    const result = await new ConfigStore({ location: configLocation(file), env }).load();
    if (file !== undefined && result.source === 'defaults' && result.errors.length === 0) result.errors.push(`${result.path}: no such file`);
    return result;
}

function parse(args: string[]): { config?: string; positionals: string[] } {
    try {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { config: { type: 'string' } } });
        return values.config !== undefined ? { config: values.config, positionals } : { positionals };
    } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
    }
}

function check(ctx: CliContext, r: LoadResult): number {
    if (r.errors.length > 0) {
        ctx.err(`${r.errors.map((e) => `error: ${e}`).join('\n')}\n`);
        ctx.out(`INVALID: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}\n`);
        return 1;
    }
    for (const w of r.warnings) ctx.out(`warning: ${w}\n`);
    const where = r.source === 'defaults' ? `no settings file at ${r.path}; the defaults apply` : r.path;
    const targets = r.config.notifications.targets.length;
    const overrides = Object.keys(r.overrides).length;
    ctx.out(`OK: ${where} (${targets} notification target${targets === 1 ? '' : 's'}${overrides > 0 ? `, ${overrides} environment override${overrides === 1 ? '' : 's'}` : ''})\n`);
    return 0;
}

async function run(ctx: CliContext): Promise<number> {
    const [sub, ...rest] = ctx.args;
    if (sub === 'schema') {
        ctx.out(`${JSON.stringify(settingsJsonSchema(), null, 2)}\n`);
        return 0;
    }
    if (sub !== 'check' && sub !== 'show' && sub !== 'path') throw new UsageError(sub === undefined ? 'missing sub-command' : `unknown sub-command '${sub}'`);
    const options = parse(rest);
    if (options.positionals.length > 0) throw new UsageError(`unexpected argument '${options.positionals[0]}'`);
    if (sub === 'path') {
        const loc = configLocation(options.config);
        ctx.out(`settings: ${loc.configFile}\nsecrets:  ${loc.secretsFile}\n`);
        return 0;
    }
    const result = await loadSettings(options.config, ctx.env);
    if (sub === 'check') return check(ctx, result);
    if (result.errors.length > 0) {
        ctx.err(`${result.errors.map((e) => `error: ${e}`).join('\n')}\n`);
        return 1;
    }
    const pub = publicSettings(result.config, result.secrets);
    ctx.out(`${JSON.stringify({ source: result.source, path: result.path, overrides: result.overrides, ...pub }, null, 2)}\n`);
    return 0;
}

export const configCommand: CliCommand = {
    name: 'config',
    summary: 'Check or show the daemon settings (/etc/pve/backup-health.json)',
    usage: USAGE,
    run,
};
