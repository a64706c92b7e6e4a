// SPDX-License-Identifier: AGPL-3.0-or-later
/** The data-source flags shared by `check` and `daemon`, parsed into compose options. */

import type { SourceOptions } from '../compose.ts';

export const SOURCE_OPTIONS = {
    snapshot: { type: 'string' },
    'api-url': { type: 'string' },
    token: { type: 'string' },
    fingerprint: { type: 'string' },
    'ca-file': { type: 'string' },
    insecure: { type: 'boolean' },
    remote: { type: 'string' },
    'cache-dir': { type: 'string' },
    'host-root': { type: 'string' },
} as const;

export const SOURCE_USAGE = `Data source (one of):
  --snapshot <file>       a cluster snapshot JSON file (see README "Snapshot format")
  --api-url <url>         a PVE API, e.g. https://127.0.0.1:8006, with:
    --token <id=secret>   API token 'user@realm!tokenid=secret' (or env PVE_BACKUP_HEALTH_TOKEN;
                          prefer the variable: arguments are visible to other local users)
    --fingerprint <sha256> pin the server certificate (AA:BB:… as PVE shows it), or
    --ca-file <pem>       trust this CA (e.g. /etc/pve/pve-root-ca.pem), or
    --insecure            accept any certificate (lab only)
    --remote <name>       name of this cluster in reports
    --cache-dir <dir>     keep parsed task logs here between runs
  (nothing)               on a PVE node: read the node's own files under /etc/pve and /var/log/pve
  --host-root <dir>       read host files below this directory instead of / (tests, mounted roots)
`;

type Values = { [K in keyof typeof SOURCE_OPTIONS]?: (typeof SOURCE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export function sourceOptionsFrom(values: Values, env: Record<string, string | undefined>): SourceOptions {
    const out: SourceOptions = {};
    if (values['host-root'] !== undefined) out.hostRoot = values['host-root'];
    if (values.snapshot !== undefined) {
        if (values['api-url'] !== undefined) throw new Error('use either --snapshot or --api-url, not both');
        out.snapshotFile = values.snapshot;
        return out;
    }
    const url = values['api-url'];
    if (url === undefined) {
        for (const flag of ['token', 'fingerprint', 'ca-file', 'insecure'] as const) {
            if (values[flag] !== undefined) throw new Error(`--${flag} needs --api-url`);
        }
        return out;
    }
    if (!/^https:\/\/[^/\s]+(\/.*)?$/.test(url)) throw new Error(`--api-url must be an https:// URL, got '${url}'`);
    const token = values.token ?? env.PVE_BACKUP_HEALTH_TOKEN;
    if (token === undefined || token === '') throw new Error('--api-url needs an API token: --token or PVE_BACKUP_HEALTH_TOKEN');
    const trust = [values.fingerprint, values['ca-file'], values.insecure ? 'x' : undefined].filter((v) => v !== undefined);
    if (trust.length > 1) throw new Error('choose one of --fingerprint, --ca-file and --insecure');
    out.api = { url, token };
    if (values.fingerprint !== undefined) out.api.fingerprint = values.fingerprint;
    if (values['ca-file'] !== undefined) out.api.caFile = values['ca-file'];
    if (values.insecure) out.api.insecure = true;
    if (values.remote !== undefined) out.api.remote = values.remote;
    if (values['cache-dir'] !== undefined) out.api.cacheDir = values['cache-dir'];
    return out;
}
