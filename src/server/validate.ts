// SPDX-License-Identifier: AGPL-3.0-or-later
/** Checks of what callers send: path parameters, query values and JSON bodies. Each failure names the field. */

import type { SettingsUpdate, SilenceRequest } from '../contract/http-api.ts';
import { PROBLEM_CODES } from '../domain/model.ts';
import { HttpError } from './http-io.ts';

/** Archive file names as the archiver writes them; nothing that could leave the archive directory. */
export const ARCHIVE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.tar\.gz(\.age)?$/;
const TASK_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_EPOCH = 253402300799; // 9999-12-31T23:59:59Z

const bad = (message: string) => new HttpError(400, message);

export function archiveName(value: string | null, what = 'archive name'): string {
    if (value === null || value === '') throw bad(`${what} is missing`);
    if (value.length > 255 || !ARCHIVE_NAME_RE.test(value)) {
        throw bad(`${what} '${value.slice(0, 80)}' is not an archive file name (expected e.g. pve1-2026-11-21T0200Z.tar.gz)`);
    }
    return value;
}

export function taskId(value: string): string {
    if (!TASK_ID_RE.test(value)) throw bad(`task id '${value.slice(0, 80)}' is not valid`);
    return value;
}

/** PVE VMIDs: 100 … 999999999. */
export function vmid(value: string): number {
    const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 100)) throw bad(`VMID '${value.slice(0, 20)}' is not valid (a number from 100 to 999999999)`);
    return n;
}

/** A remote cluster's name as the settings allow it (one path segment, ≤ 64 characters). */
export function remoteName(value: unknown, where: string): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9._~-]{1,64}$/.test(value)) throw bad(`${where}: '${String(value).slice(0, 40)}' is not a remote name`);
    return value;
}

/** An optional epoch-seconds query parameter. */
export function epochParam(query: URLSearchParams, name: string): number | undefined {
    const v = query.get(name);
    if (v === null || v === '') return undefined;
    const n = /^\d{1,12}$/.test(v) ? Number(v) : Number.NaN;
    if (!(n <= MAX_EPOCH)) throw bad(`query parameter ${name}='${v.slice(0, 40)}' is not a time in epoch seconds`);
    return n;
}

function object(value: unknown, where: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${where}: expected a JSON object`);
    return value as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
    const extra = Object.keys(o).find((k) => !allowed.includes(k));
    if (extra !== undefined) throw bad(`${where}: unknown field '${extra.slice(0, 60)}' (allowed: ${allowed.join(', ')})`);
}

function text(value: unknown, where: string, max: number): string {
    if (typeof value !== 'string' || value.trim() === '') throw bad(`${where}: expected a non-empty string`);
    if (value.length > max) throw bad(`${where}: longer than ${max} characters`);
    return value;
}

export function settingsUpdate(body: unknown): SettingsUpdate {
    const o = object(body, 'body');
    onlyKeys(o, ['settings', 'secrets'], 'body');
    const out: SettingsUpdate = { settings: object(o.settings, 'body.settings') };
    if (o.secrets !== undefined) {
        const secrets = object(o.secrets, 'body.secrets');
        for (const [path, value] of Object.entries(secrets)) {
            if (typeof value !== 'string') throw bad(`body.secrets.${path.slice(0, 60)}: expected a string (empty removes the secret)`);
        }
        out.secrets = secrets as Record<string, string>;
    }
    return out;
}

export function silenceRequest(body: unknown): SilenceRequest {
    const o = object(body, 'body');
    onlyKeys(o, ['remote', 'vmid', 'job', 'codes', 'durationSeconds', 'reason'], 'body');
    const out: SilenceRequest = {};
    if (o.remote !== undefined) out.remote = remoteName(o.remote, 'body.remote');
    if (o.vmid !== undefined) {
        if (!Number.isInteger(o.vmid) || (o.vmid as number) < 100 || (o.vmid as number) > 999999999) throw bad('body.vmid: expected a VMID (100 to 999999999)');
        out.vmid = o.vmid as number;
    }
    if (o.job !== undefined) out.job = text(o.job, 'body.job', 128);
    if (o.codes !== undefined) {
        if (!Array.isArray(o.codes) || o.codes.length === 0) throw bad('body.codes: expected a non-empty list of problem codes');
        out.codes = o.codes.map((c, i) => {
            if (!(PROBLEM_CODES as readonly unknown[]).includes(c)) throw bad(`body.codes[${i}]: '${String(c).slice(0, 40)}' is not a problem code`);
            return c as string;
        });
    }
    if (o.durationSeconds !== undefined) {
        const d = o.durationSeconds;
        if (!Number.isInteger(d) || (d as number) <= 0 || (d as number) > 10 * 366 * 86400) throw bad('body.durationSeconds: expected whole seconds, more than 0 and at most 10 years');
        out.durationSeconds = d as number;
    }
    if (o.reason !== undefined) out.reason = text(o.reason, 'body.reason', 500);
    if (out.vmid === undefined && out.job === undefined && out.codes === undefined) throw bad('body: a silence needs vmid, job or codes');
    return out;
}

/** `{ target?: string }` or no body at all. */
export function testTarget(body: unknown): string | undefined {
    if (body === undefined) return undefined;
    const o = object(body, 'body');
    onlyKeys(o, ['target'], 'body');
    return o.target === undefined ? undefined : text(o.target, 'body.target', 128);
}
