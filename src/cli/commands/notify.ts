// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `notify test [--target <name>] [--config <file>]`: sends a test message through every enabled
 * target (or the named one, even if disabled) and prints OK or the error per target.
 *
 * The CLI reaches adapters only through compose.ts, so the command takes the notifier factory
 * as a parameter: `createNotifyCommand({ notifiers: (c, s) => composeNotifiers(c, s, { retry: false }) })`.
 */

import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { ConfigSecrets, DaemonConfig } from '../../config/types.ts';
import type { AlertBatch } from '../../domain/alerts/types.ts';
import { renderAlertMessage } from '../../domain/message/alert-message.ts';
import type { Notifier } from '../../ports.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { loadSettings } from './config.ts';

const USAGE = `Usage: pve-backup-health notify test [--target <name>] [--config <file>]

Sends a test message through every enabled notification target, or only the named one (also
when it is disabled), and prints OK or the error per target. Exit 0 when all succeeded, 1 when
any failed or the settings are invalid.

Options:
  --target <name>  only this target
  --config <file>  a local settings file instead of /etc/pve/backup-health.json
`;

/** One attempt per target (no retries): the admin wants the error now. */
export type NotifierFactory = (config: DaemonConfig, secrets: ConfigSecrets) => Notifier[];

export interface NotifyCommandDeps {
    notifiers: NotifierFactory;
    /** Named in the test message; default the host name. */
    source?: () => string;
}

function options(args: string[]): { sub: string | undefined; target?: string; config?: string } {
    try {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { target: { type: 'string' }, config: { type: 'string' } } });
        if (positionals.length > 1) throw new Error(`unexpected argument '${positionals[1]}'`);
        const out: { sub: string | undefined; target?: string; config?: string } = { sub: positionals[0] };
        if (values.target !== undefined) out.target = values.target;
        if (values.config !== undefined) out.config = values.config;
        return out;
    } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
    }
}

async function test(ctx: CliContext, deps: NotifyCommandDeps, o: { target?: string; config?: string }): Promise<number> {
    const loaded = await loadSettings(o.config, ctx.env);
    if (loaded.errors.length > 0) {
        ctx.err(`${loaded.errors.map((e) => `error: ${e}`).join('\n')}\nnotify test: the settings are invalid; fix them first (pve-backup-health config check)\n`);
        return 1;
    }
    const config = structuredClone(loaded.config);
    const all = config.notifications.targets;
    if (o.target !== undefined) {
        const wanted = all.find((t) => t.name === o.target);
        if (!wanted) {
            ctx.err(`notify test: no target named '${o.target}' (targets: ${all.map((t) => t.name).join(', ') || 'none'})\n`);
            return 1;
        }
        wanted.enabled = true;
        config.notifications.targets = [wanted];
    }
    const notifiers = deps.notifiers(config, loaded.secrets);
    if (notifiers.length === 0) {
        ctx.err(`notify test: no enabled notification targets in ${loaded.path}\n`);
        return 1;
    }
    const batch: AlertBatch = { kind: 'test', at: ctx.now(), items: [], severity: 'info' };
    const message = renderAlertMessage(batch, {
        language: config.language,
        timeZoneOf: () => 'UTC',
        source: (deps.source ?? hostname)(),
        ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
    });
    const results = await Promise.all(
        notifiers.map(async (n) => {
            try {
                await n.send(batch, message);
                return { n, error: undefined };
            } catch (e) {
                return { n, error: e instanceof Error ? e.message : String(e) };
            }
        }),
    );
    for (const { n, error } of results) {
        ctx.out(error === undefined ? `OK      ${n.type} '${n.name}'\n` : `FAILED  ${error}\n`);
    }
    return results.some((r) => r.error !== undefined) ? 1 : 0;
}

export function createNotifyCommand(deps: NotifyCommandDeps): CliCommand {
    return {
        name: 'notify',
        summary: 'Send a test message through the notification targets',
        usage: USAGE,
        async run(ctx: CliContext): Promise<number> {
            const o = options(ctx.args);
            if (o.sub !== 'test') throw new UsageError(o.sub === undefined ? 'missing sub-command (test)' : `unknown sub-command '${o.sub}'`);
            return test(ctx, deps, o);
        },
    };
}
