// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `pve-backup-health daemon`: the long-running service (systemd `ExecStart`). Keeps the health
 * report current, notifies (once) when something is wrong, serves the GUI's HTTPS API. Stops
 * cleanly on SIGTERM/SIGINT: the server closes, a running check is aborted and awaited.
 */

import { parseArgs } from 'node:util';
import { startDaemon } from '../../compose.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { VERSION } from '../main.ts';
import { SOURCE_OPTIONS, SOURCE_USAGE, sourceOptionsFrom } from '../source-args.ts';

const USAGE = `Usage: pve-backup-health daemon [options]

Runs the health checks every interval, notifies about problems and serves the GUI's API.

Options:
  --config <file>         settings file (default /etc/pve/backup-health.json, secrets in
                          /etc/pve/priv/backup-health.json; for a file <f>.json: <f>.secrets.json)
  --listen <addr:port>    listen address (default from the settings: [::]:8009); IPv6 as [::1]:8009
  --plain-http            serve plain HTTP (only allowed on a loopback address; for tests)
  --state-dir <dir>       local state (default /var/lib/pve-backup-health)
  --node <name>           this node's name (default: the host name)
  --allow-origin <url>    a PVE GUI origin allowed to call the API (repeatable; default: this
                          node's names and addresses on port 8006)

${SOURCE_USAGE.replace(/ {2}--snapshot <file>[^\n]*\n/, '')}
Without --api-url the daemon uses the local API (https://127.0.0.1:8006) with the token from
PVE_BACKUP_HEALTH_TOKEN or "apiToken" in the secrets file, and this node's own files.
`;

export function parseListen(text: string): { host: string; port: number } {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) throw new Error(`--listen must be <address>:<port> (IPv6 as [::1]:8009), got '${text}'`);
    return { host: (m[1] ?? m[2]) as string, port };
}

async function run(ctx: CliContext): Promise<number> {
    let values: ReturnType<typeof parse>['values'];
    try {
        values = parse(ctx.args).values;
        if (values.snapshot !== undefined) throw new Error('the daemon reads live data: --snapshot is for `check`');
    } catch (e) {
        ctx.err(`pve-backup-health daemon: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
    }
    let running: Awaited<ReturnType<typeof startDaemon>>;
    try {
        const source = sourceOptionsFrom(values, ctx.env);
        running = await startDaemon({
            version: VERSION,
            env: ctx.env,
            log: ctx.err,
            ...(values.config !== undefined ? { configFile: values.config } : {}),
            ...(values.listen !== undefined ? { listen: parseListen(values.listen) } : {}),
            ...(values['plain-http'] ? { plainHttp: true } : {}),
            ...(source.api ? { api: source.api } : {}),
            ...(source.hostRoot !== undefined ? { hostRoot: source.hostRoot } : {}),
            ...(values['state-dir'] !== undefined ? { stateDir: values['state-dir'] } : {}),
            ...(values.node !== undefined ? { node: values.node } : {}),
            ...(values['allow-origin'] !== undefined ? { allowedOrigins: values['allow-origin'] } : {}),
        });
    } catch (e) {
        ctx.err(`pve-backup-health daemon: cannot start: ${(e as Error).message}\n`);
        return 1;
    }
    await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
            ctx.err(`info: ${signal} received, stopping\n`);
            running.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
    });
    return 0;
}

function parse(args: string[]) {
    return parseArgs({
        args,
        options: {
            ...SOURCE_OPTIONS,
            config: { type: 'string' },
            listen: { type: 'string' },
            'plain-http': { type: 'boolean' },
            'state-dir': { type: 'string' },
            node: { type: 'string' },
            'allow-origin': { type: 'string', multiple: true },
        },
    });
}

export const daemonCommand: CliCommand = {
    name: 'daemon',
    summary: 'run the service: checks every interval, notifies about problems, serves the GUI API',
    usage: USAGE,
    run,
};
