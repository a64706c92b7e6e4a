// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The `archive` section of the daemon configuration, and its validator. The config loader passes
 * the section through untouched; the daemon calls {@link validateArchiveSettings} and refuses
 * to archive with errors (each names the field at fault).
 */

import type { PruneOptions } from '../model.ts';
import { KEEP_COUNT_OPTIONS, parsePruneOptions } from '../pve/prune-options.ts';
import { tryParseCalendarEvent } from '../schedule/index.ts';
import { checkPattern } from './selection.ts';

export interface SshTarget {
    /** Unique name, used in messages and as the key of its last run. */
    name: string;
    host: string;
    port: number;
    user: string;
    /** Pinned host key as OpenSSH prints it: `SHA256:` + 43 base64 characters. */
    hostKey: string;
    /** Private key file (OpenSSH format, no passphrase); root's default keys when absent. */
    keyFile?: string;
}

export interface PushTarget extends SshTarget {
    /** Remote directory the archives are uploaded to. */
    path: string;
}

export interface PullTarget extends SshTarget {
    /** Prefix of the remote host's paths (a mounted root there); `/` when absent. */
    sourceRoot?: string;
    /** Node name for the archive name; the remote `/etc/hostname` when absent. */
    node?: string;
}

export interface ArchiveSettings {
    enabled: boolean;
    /** PVE calendar event. */
    schedule: string;
    outputDir: string;
    retention: PruneOptions;
    include: string[];
    exclude: string[];
    /** age recipients (`age1…`); empty = not encrypted. */
    encryption: { recipients: string[] };
    push: PushTarget[];
    pull: PullTarget[];
    /** Slack after a missed scheduled run before `config-archive-stale`. */
    graceMinutes: number;
}

export const DEFAULT_ARCHIVE_SETTINGS: ArchiveSettings = {
    enabled: true,
    schedule: '01:30',
    outputDir: '/var/lib/pve-backup-health/archives',
    retention: { keepDaily: 14, keepWeekly: 8, keepMonthly: 12 },
    include: [],
    exclude: [],
    encryption: { recipients: [] },
    push: [],
    pull: [],
    graceMinutes: 120,
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const RECIPIENT = /^age1[02-9ac-hj-np-z]{20,}$/;
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

function absolutePath(v: unknown, where: string, errors: string[]): string | null {
    if (typeof v !== 'string' || !v.startsWith('/') || v.includes('\0') || v.split('/').includes('..')) {
        errors.push(`${where}: expected an absolute path without '..'`);
        return null;
    }
    return v;
}

function stringList(v: unknown, where: string, errors: string[]): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
        errors.push(`${where}: expected a list of strings`);
        return [];
    }
    return v;
}

function sshTarget(v: unknown, where: string, errors: string[], names: Set<string>): SshTarget | null {
    if (!isObj(v)) {
        errors.push(`${where}: expected an object`);
        return null;
    }
    const before = errors.length;
    const name = typeof v.name === 'string' && TARGET_NAME.test(v.name) ? v.name : null;
    if (name === null) errors.push(`${where}.name: expected letters, digits, '.', '_' or '-'`);
    else if (names.has(name)) errors.push(`${where}.name: '${name}' is used twice`);
    else names.add(name);
    if (typeof v.host !== 'string' || !HOST.test(v.host)) errors.push(`${where}.host: expected a host name or IP address`);
    const port = v.port ?? 22;
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) errors.push(`${where}.port: expected 1-65535`);
    const user = v.user ?? 'root';
    if (typeof user !== 'string' || !USER.test(user)) errors.push(`${where}.user: expected a user name`);
    if (typeof v.hostKey !== 'string' || !FINGERPRINT.test(v.hostKey)) {
        errors.push(`${where}.hostKey: expected the host key's SHA256 fingerprint as 'ssh-keygen -lf' prints it (SHA256:…, 43 characters after the colon)`);
    }
    const keyFile = v.keyFile === undefined ? undefined : absolutePath(v.keyFile, `${where}.keyFile`, errors);
    if (errors.length > before) return null;
    return {
        name: name as string,
        host: (v.host as string).replace(/^\[(.*)\]$/, '$1'),
        port: port as number,
        user: user as string,
        hostKey: v.hostKey as string,
        ...(keyFile ? { keyFile } : {}),
    };
}

function retention(v: unknown, errors: string[]): PruneOptions {
    if (v === undefined) return { ...DEFAULT_ARCHIVE_SETTINGS.retention };
    let input: unknown = v;
    if (isObj(v)) {
        // camelCase (our settings style) or PVE's own kebab-case keys.
        input = Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), x]));
    }
    const parsed = parsePruneOptions(input);
    for (const e of parsed.errors) errors.push(`archive.retention: ${e}`);
    const prune = parsed.prune ?? { keepAll: true };
    if (prune.keepAll === true && KEEP_COUNT_OPTIONS.some(([, k]) => (prune[k] ?? 0) > 0)) return { ...DEFAULT_ARCHIVE_SETTINGS.retention };
    return prune;
}

/**
 * Checks the `archive` settings and fills defaults. Invalid fields are reported in `errors` and
 * replaced by their defaults (invalid targets are dropped), so callers can show every error at
 * once; callers must not archive while `errors` is non-empty.
 */
export function validateArchiveSettings(input: unknown): { settings: ArchiveSettings; errors: string[] } {
    const errors: string[] = [];
    const d = DEFAULT_ARCHIVE_SETTINGS;
    if (input === undefined || input === null) return { settings: structuredCloneSettings(d), errors };
    if (!isObj(input)) return { settings: structuredCloneSettings(d), errors: ['archive: expected an object'] };
    const known = new Set(['enabled', 'schedule', 'outputDir', 'retention', 'include', 'exclude', 'encryption', 'push', 'pull', 'graceMinutes']);
    for (const k of Object.keys(input)) if (!known.has(k)) errors.push(`archive.${k}: unknown setting`);

    let enabled = d.enabled;
    if (input.enabled !== undefined) {
        if (typeof input.enabled === 'boolean') enabled = input.enabled;
        else errors.push('archive.enabled: expected true or false');
    }
    let schedule = d.schedule;
    if (input.schedule !== undefined) {
        const parsed = typeof input.schedule === 'string' ? tryParseCalendarEvent(input.schedule) : null;
        if (parsed?.ok) schedule = (input.schedule as string).trim();
        else errors.push(`archive.schedule: ${parsed && !parsed.ok ? `invalid calendar event - ${parsed.error}` : 'expected a calendar event string'}`);
    }
    const outputDir = input.outputDir === undefined ? d.outputDir : (absolutePath(input.outputDir, 'archive.outputDir', errors) ?? d.outputDir);
    if (/^\/etc\/pve(?:\/|$)/.test(outputDir)) errors.push('archive.outputDir: never inside /etc/pve (pmxcfs holds at most 128 MiB, in RAM on every node)');
    const patterns = (key: 'include' | 'exclude'): string[] =>
        stringList(input[key], `archive.${key}`, errors).filter((p, i) => {
            const e = checkPattern(p);
            if (e) errors.push(`archive.${key}[${i}]: ${e}`);
            return e === null;
        });
    const include = patterns('include');
    const exclude = patterns('exclude');
    let recipients: string[] = [];
    if (input.encryption !== undefined) {
        if (!isObj(input.encryption)) errors.push('archive.encryption: expected { recipients: [...] }');
        else {
            recipients = stringList(input.encryption.recipients, 'archive.encryption.recipients', errors).filter((r, i) => {
                const ok = RECIPIENT.test(r);
                if (!ok) errors.push(`archive.encryption.recipients[${i}]: expected an age public key (age1…); identities (AGE-SECRET-KEY-…) must never be on the host`);
                return ok;
            });
        }
    }
    const names = new Set<string>();
    const list = (key: 'push' | 'pull'): unknown[] => {
        if (input[key] === undefined) return [];
        if (Array.isArray(input[key])) return input[key] as unknown[];
        errors.push(`archive.${key}: expected a list`);
        return [];
    };
    const push: PushTarget[] = [];
    list('push').forEach((v, i) => {
        const t = sshTarget(v, `archive.push[${i}]`, errors, names);
        const path = isObj(v) ? absolutePath(v.path, `archive.push[${i}].path`, errors) : null;
        if (t && path) push.push({ ...t, path });
    });
    const pull: PullTarget[] = [];
    list('pull').forEach((v, i) => {
        const t = sshTarget(v, `archive.pull[${i}]`, errors, names);
        if (!t || !isObj(v)) return;
        const sourceRoot = v.sourceRoot === undefined ? undefined : absolutePath(v.sourceRoot, `archive.pull[${i}].sourceRoot`, errors);
        const node = v.node;
        if (node !== undefined && (typeof node !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(node))) {
            errors.push(`archive.pull[${i}].node: expected a node name`);
            return;
        }
        pull.push({ ...t, ...(sourceRoot ? { sourceRoot } : {}), ...(typeof node === 'string' ? { node } : {}) });
    });
    let graceMinutes = d.graceMinutes;
    if (input.graceMinutes !== undefined) {
        if (Number.isInteger(input.graceMinutes) && (input.graceMinutes as number) >= 0) graceMinutes = input.graceMinutes as number;
        else errors.push('archive.graceMinutes: expected a whole number ≥ 0');
    }
    return {
        settings: { enabled, schedule, outputDir, retention: retention(input.retention, errors), include, exclude, encryption: { recipients }, push, pull, graceMinutes },
        errors,
    };
}

function structuredCloneSettings(s: ArchiveSettings): ArchiveSettings {
    return { ...s, retention: { ...s.retention }, include: [...s.include], exclude: [...s.exclude], encryption: { recipients: [...s.encryption.recipients] }, push: [], pull: [] };
}
