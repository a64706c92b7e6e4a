// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the daemon needs in the cluster file system (pmxcfs, /etc/pve) before it can work:
 * a default config, a marker that this node has the package, and a read-only API user with a
 * token whose secret is stored root-only. Run by postinst configure and, while something is
 * missing, by the daemon (`/usr/lib/pve-backup-health/setup cluster`).
 *
 * Cluster-safe: everything lives in pmxcfs, shared by all nodes, so the second node to install
 * finds the user, the token and the stored secret and does nothing. Without quorum pmxcfs is
 * read-only (writes fail with EACCES, pveum says "no quorum"): we skip with a notice and the
 * daemon retries later. Secrets never appear in messages.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from './atomic-file.ts';

export const API_USER = 'backup-health@pve';
export const TOKEN_NAME = 'daemon';
/** Built-in role with every *.Audit privilege: enough for all read-only endpoints (§1.4). */
export const API_ROLE = 'PVEAuditor';
/** Key of the token in the secrets file: `user@realm!tokenid=secret`, as `--token` takes it. */
export const SECRETS_KEY = 'apiToken';
export const CONFIG_FILE = 'backup-health.json';
export const SECRETS_FILE = 'priv/backup-health.json';
/** Per-node marker: purge keeps the shared config and token while another node still has them. */
export const NODE_MARKER = 'backup-health.installed';

export interface CommandResult {
    /** Exit code; null when the command could not be started (not installed). */
    code: number | null;
    stdout: string;
    stderr: string;
}

export interface ClusterEnv {
    /** The pmxcfs mount point, /etc/pve. */
    pveDir: string;
    nodeName: string;
    version: string;
    /** Content of the config written when none exists. */
    defaultConfig: string;
    pveum(args: string[]): CommandResult;
}

export interface SetupOutcome {
    /** `skipped`: nothing wrong with us, the cluster is not ready (retry later). */
    status: 'done' | 'skipped' | 'failed';
    messages: string[];
}

/** The cluster file system cannot take writes now; try again later. */
class NotReady extends Error {}

const NO_QUORUM = /no quorum|not quorate|cluster not ready|permission denied/i;

function writeErrorIsNotReady(e: unknown): boolean {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EROFS';
}

/** Why pmxcfs cannot be written right now, or undefined when it can (as far as we can tell). */
export function clusterNotReady(pveDir: string): string | undefined {
    // .version and .members are virtual files that exist only while pmxcfs is mounted; without
    // them /etc/pve is a plain directory on the root disk, which must never get our files.
    if (!existsSync(join(pveDir, '.version'))) return `${pveDir} is not mounted (pve-cluster not running)`;
    try {
        const members = JSON.parse(readFileSync(join(pveDir, '.members'), 'utf8')) as { cluster?: { quorate?: unknown } };
        if (members.cluster !== undefined && Number(members.cluster.quorate) === 0) return 'the cluster has no quorum';
    } catch {
        // a standalone node may have no usable .members; a real write decides
    }
    return undefined;
}

function pveum(env: ClusterEnv, args: string[], what: string): string {
    const r = env.pveum(args);
    if (r.code === null) throw new NotReady('pveum is not installed (pve-access-control missing)');
    if (r.code !== 0) {
        // stderr is pveum's own error text; stdout is never shown (a token add prints the secret).
        const reason = r.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${r.code}`;
        if (NO_QUORUM.test(reason)) throw new NotReady(`${what}: ${reason}`);
        throw new Error(`${what} failed: ${reason}`);
    }
    return r.stdout;
}

interface UserEntry {
    userid?: unknown;
    tokens?: { tokenid?: unknown }[];
}

function findUser(env: ClusterEnv): UserEntry | undefined {
    const out = pveum(env, ['user', 'list', '--full', '1', '--output-format', 'json'], 'pveum user list');
    let users: unknown;
    try {
        users = JSON.parse(out);
    } catch {
        throw new Error('pveum user list: output is not JSON');
    }
    if (!Array.isArray(users)) throw new Error('pveum user list: expected a JSON array');
    return (users as UserEntry[]).find((u) => u?.userid === API_USER);
}

function readSecrets(path: string): Record<string, unknown> {
    // A new file starts as the daemon's secrets document version 1 (src/config/secrets.ts).
    if (!existsSync(path)) return { version: 1 };
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
        throw new Error(`${path} is not valid JSON; not touching it (fix or remove it, then re-run)`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${path} must hold a JSON object; not touching it`);
    }
    return parsed as Record<string, unknown>;
}

function write(path: string, text: string, mode: number): void {
    try {
        replaceFile(path, text, { preserve: false, mode });
    } catch (e) {
        if (writeErrorIsNotReady(e)) throw new NotReady(`cannot write ${path} (${(e as Error).message})`);
        throw e;
    }
}

function ensureToken(env: ClusterEnv, messages: string[]): void {
    const secretsPath = join(env.pveDir, SECRETS_FILE);
    const secrets = readSecrets(secretsPath);
    const user = findUser(env);
    if (!user) {
        pveum(env, ['user', 'add', API_USER, '--comment', 'pve-backup-health daemon (read-only, created by the package)'], 'pveum user add');
        pveum(env, ['acl', 'modify', '/', '--users', API_USER, '--roles', API_ROLE], 'pveum acl modify');
        messages.push(`created API user ${API_USER} with role ${API_ROLE} on /`);
    }
    const hasToken = (user?.tokens ?? []).some((t) => t?.tokenid === TOKEN_NAME);
    const stored = secrets[SECRETS_KEY];
    const storedOk = typeof stored === 'string' && stored.startsWith(`${API_USER}!${TOKEN_NAME}=`);
    if (hasToken && storedOk) return;
    if (hasToken) {
        // The secret cannot be read back from PVE; without it the token is useless to us.
        messages.push(`API token ${API_USER}!${TOKEN_NAME} exists but its secret is not stored: re-creating it`);
        pveum(env, ['user', 'token', 'remove', API_USER, TOKEN_NAME], 'pveum user token remove');
    }
    const out = pveum(
        env,
        ['user', 'token', 'add', API_USER, TOKEN_NAME, '--privsep', '0', '--comment', 'pve-backup-health daemon', '--output-format', 'json'],
        'pveum user token add',
    );
    let created: { 'full-tokenid'?: unknown; value?: unknown };
    try {
        created = JSON.parse(out) as typeof created;
    } catch {
        throw new Error('pveum user token add: output is not JSON');
    }
    const id = created['full-tokenid'] ?? `${API_USER}!${TOKEN_NAME}`;
    if (typeof id !== 'string' || typeof created.value !== 'string' || !/^[0-9a-f-]{8,}$/i.test(created.value)) {
        throw new Error('pveum user token add: no token id and secret in its output');
    }
    secrets[SECRETS_KEY] = `${id}=${created.value}`;
    write(secretsPath, `${JSON.stringify(secrets, null, 2)}\n`, 0o600);
    messages.push(`created API token ${id}; secret stored in ${secretsPath}`);
}

export function setupCluster(env: ClusterEnv): SetupOutcome {
    const messages: string[] = [];
    const notReady = clusterNotReady(env.pveDir);
    if (notReady) return { status: 'skipped', messages: [`${notReady}: API token and default config not set up yet; the daemon retries`] };
    try {
        const nodeDir = join(env.pveDir, 'nodes', env.nodeName);
        const marker = join(nodeDir, NODE_MARKER);
        if (!existsSync(marker)) {
            mkdirSync(nodeDir, { recursive: true });
            write(marker, `${env.version}\n`, 0o644);
        }
        const config = join(env.pveDir, CONFIG_FILE);
        if (!existsSync(config)) {
            write(config, env.defaultConfig, 0o640);
            messages.push(`wrote default config ${config}`);
        }
        ensureToken(env, messages);
        return { status: 'done', messages };
    } catch (e) {
        if (e instanceof NotReady || writeErrorIsNotReady(e)) {
            messages.push(`${(e as Error).message}: setup skipped; the daemon retries`);
            return { status: 'skipped', messages };
        }
        messages.push((e as Error).message);
        return { status: 'failed', messages };
    }
}
