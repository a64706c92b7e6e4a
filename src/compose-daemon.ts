// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Part of the composition root: wires the daemon (collector, config, notifiers, coordinator,
 * state, HTTPS server with PVE authentication). `compose.ts` re-exports it.
 */

import { existsSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createPveAccessChecker } from './adapters/pve-access/access-checker.ts';
import { createAgent } from './adapters/pve-api/tls.ts';
import { DirectoryCoordinator } from './adapters/state/dir-coordinator.ts';
import { JsonFileStore } from './adapters/state/json-files.ts';
import { capHeapGrowth } from './adapters/system/heap-tuning.ts';
import { streamLogger, systemClock, systemTimers } from './adapters/system/runtime.ts';
import { Daemon } from './app/daemon.ts';
import { type ApiSourceSettings, type RemoteSourceSettings, composeRemoteSources, composeSnapshotSource } from './compose-source.ts';
import type { RemoteSource } from './app/cluster-cycles.ts';
import { TokenBootstrapSource } from './app/token-bootstrap.ts';
import { runClusterSetup } from './adapters/system/setup-helper.ts';
import { DaemonArchivesHolder } from './compose-archives.ts';
import { ConfigSettingsPort } from './compose-settings.ts';
import { ConfigStore, configLocation } from './config/load.ts';
import { renderAlertMessage } from './domain/message/alert-message.ts';
import { renderMetrics } from './domain/metrics/prometheus.ts';
import type { Clock, SnapshotSource } from './ports.ts';
import { type ApiServer, createApiServer } from './server/api-server.ts';

export interface DaemonOptions {
    configFile?: string;
    listen?: { host: string; port: number };
    plainHttp?: boolean;
    /** Live-data flags; default: the local PVE API with the token from the secrets file. */
    api?: ApiSourceSettings;
    hostRoot?: string;
    stateDir?: string;
    node?: string;
    allowedOrigins?: string[];
    version: string;
    /** The wall clock (default the system's); the demo and tests run the daemon on the simulator's. */
    clock?: Clock;
    env: Record<string, string | undefined>;
    log: (line: string) => void;
}

export interface RunningDaemon {
    daemon: Daemon;
    server: ApiServer;
    stop(): Promise<void>;
}

function localTimeZone(root: string): string {
    try {
        const tz = readFileSync(join(root, 'etc/timezone'), 'utf8').trim();
        if (tz) return tz;
    } catch {
        // no /etc/timezone: the runtime's zone
    }
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The node certificate pveproxy uses: a custom `pveproxy-ssl.pem` wins over `pve-ssl.pem`. */
function nodeCertificate(root: string): { cert: string; key: string } | undefined {
    for (const base of ['pveproxy-ssl', 'pve-ssl']) {
        const pem = join(root, 'etc/pve/local', `${base}.pem`);
        const key = join(root, 'etc/pve/local', `${base}.key`);
        if (existsSync(pem) && existsSync(key)) return { cert: readFileSync(pem, 'utf8'), key: readFileSync(key, 'utf8') };
    }
    return undefined;
}

export async function startDaemon(o: DaemonOptions): Promise<RunningDaemon> {
    capHeapGrowth();
    const root = o.hostRoot ?? '/';
    const logger = streamLogger(o.log, o.env.PVE_BACKUP_HEALTH_DEBUG ? 'debug' : 'info');
    const clock = o.clock ?? systemClock();
    const node = o.node ?? hostname().split('.')[0] ?? 'localhost';
    const stateDir = o.stateDir ?? '/var/lib/pve-backup-health';
    const store = new ConfigStore({ location: configLocation(o.configFile), env: o.env });
    const loaded = await store.load();
    for (const e of loaded.errors) logger.warn(`settings: ${e}`);
    const settings = new ConfigSettingsPort(store, loaded);

    const onPve = existsSync(join(root, 'etc/pve/.members'));
    const api: ApiSourceSettings | undefined = o.api ?? defaultApi(root, o.env, loaded.secrets);
    const apiSource = (a: ApiSourceSettings) => composeSnapshotSource({ hostRoot: root, api: { ...a, cacheDir: join(stateDir, 'task-logs') } });
    let source: SnapshotSource;
    if (api) source = apiSource(api);
    else if (onPve) {
        logger.warn("no API token yet (PVE_BACKUP_HEALTH_TOKEN or apiToken in the secrets file): reading this node's files, retrying the token setup");
        source = new TokenBootstrapSource({
            fallback: composeSnapshotSource({ hostRoot: root }),
            createToken: () => runClusterSetup(),
            apiSource: async () => {
                const found = defaultApi(root, o.env, (await store.load()).secrets);
                return found ? apiSource(found) : undefined;
            },
            retrySeconds: 600,
        });
    } else throw new Error('no data source: give --api-url and a token (PVE_BACKUP_HEALTH_TOKEN), or run on a PVE node');

    const coordinator = new DirectoryCoordinator(onPve ? join(root, 'etc/pve/priv/backup-health') : join(stateDir, 'coordination'));
    const timeZone = localTimeZone(root);
    // Archives live beside the daemon's state unless the settings say otherwise.
    const archiveSettings = () => {
        const raw = settings.archiveSettings();
        const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
        return { ...obj, outputDir: obj.outputDir ?? join(stateDir, 'archives') };
    };
    const archives = new DaemonArchivesHolder(archiveSettings, {
        clock, timeZone, node, logger, tool: `pve-backup-health ${o.version}`, ...(root !== '/' ? { sourceRoot: root } : {}),
    });
    const daemon = new Daemon({
        archives,
        node, version: o.version, timeZone, clock, timers: systemTimers(), logger, source,
        remotes: remoteSources(() => settings.remotes(), store.location.secretsFile, join(stateDir, 'task-logs')),
        store: new JsonFileStore(stateDir), coordinator, settings,
        render: (batch, language, timeZoneOf) => {
            const publicUrl = settings.publicUrl();
            return renderAlertMessage(batch, { language, timeZoneOf, defaultTimeZone: timeZone, ...(publicUrl ? { publicUrl } : {}) });
        },
        renderMetrics,
    });

    const clusterCa = join(root, 'etc/pve/pve-root-ca.pem');
    const agent = createAgent({ trust: api ? trustOf(api) : existsSync(clusterCa) ? { caFile: clusterCa } : {}, maxSockets: 4 });
    const access = createPveAccessChecker({ baseUrl: api?.url ?? 'https://127.0.0.1:8006', agent });
    const listen = o.listen ?? { host: loaded.config.server.listenAddress, port: loaded.config.server.port };
    const tls = o.plainHttp ? undefined : nodeCertificate(root);
    if (!o.plainHttp && !tls) throw new Error(`no TLS certificate: neither ${join(root, 'etc/pve/local/pveproxy-ssl.pem')} nor pve-ssl.pem exists (use --plain-http on a loopback address for tests)`);
    const server = await createApiServer({
        api: daemon, access, listen, tls, logger, now: () => clock.now(),
        allowedOrigins: o.allowedOrigins ?? defaultOrigins(node, loaded.config.publicUrl),
        metrics: { mode: loaded.config.server.metricsAccess },
    });
    logger.info(`pve-backup-health ${o.version} on ${node}: API at ${server.url}`);
    await daemon.start();
    return {
        daemon,
        server,
        async stop() {
            await server.close();
            await daemon.stop();
            agent.destroy();
        },
    };
}

/**
 * The configured remotes as sources, rebuilt only for a remote whose settings or secret changed:
 * a remote's collector keeps its task lists, parsed logs and storage lists between cycles.
 */
function remoteSources(current: () => RemoteSourceSettings[], secretsFile: string, cacheDir: string): () => RemoteSource[] {
    let built = new Map<string, { key: string; entry: RemoteSource }>();
    return () => {
        const next = new Map<string, { key: string; entry: RemoteSource }>();
        for (const r of current()) {
            const key = JSON.stringify(r);
            const known = built.get(r.name);
            const [entry] = known?.key === key ? [known.entry] : composeRemoteSources([r], secretsFile, cacheDir);
            if (entry) next.set(r.name, { key, entry });
        }
        built = next;
        return [...next.values()].map((x) => x.entry);
    };
}

function trustOf(api: ApiSourceSettings): { caFile?: string; fingerprint?: string; insecure?: boolean } {
    if (api.fingerprint !== undefined) return { fingerprint: api.fingerprint };
    if (api.caFile !== undefined) return { caFile: api.caFile };
    return api.insecure ? { insecure: true } : {};
}

/** On a PVE node: the local API, trusted through the cluster CA, with the packaged token. */
function defaultApi(root: string, env: Record<string, string | undefined>, secrets: { apiToken?: string }): ApiSourceSettings | undefined {
    const token = env.PVE_BACKUP_HEALTH_TOKEN ?? secrets.apiToken;
    if (!token) return undefined;
    const ca = join(root, 'etc/pve/pve-root-ca.pem');
    return { url: env.PVE_BACKUP_HEALTH_API_URL ?? 'https://127.0.0.1:8006', token, ...(existsSync(ca) ? { caFile: ca } : {}) };
}

/** The GUI's origins: this node by name, full name and every local address, on pveproxy's port. */
function defaultOrigins(node: string, publicUrl: string | undefined): string[] {
    const hosts = [node, hostname()];
    for (const addrs of Object.values(networkInterfaces())) {
        for (const a of addrs ?? []) hosts.push(a.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : a.address);
    }
    const out = hosts.map((h) => `https://${h}:8006`);
    if (publicUrl) {
        try {
            out.push(new URL(publicUrl).origin);
        } catch {
            // validated by the config schema already
        }
    }
    return [...new Set(out)];
}
