// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A small validating reader for untrusted JSON: each accessor checks one value, records an error
 * naming its path, and returns undefined instead of throwing, so one bad field never hides others.
 * PVE serialises numbers and booleans inconsistently (`1`, `"1"`, `true`), so both are accepted.
 */

import type { PruneOptions } from '../model.ts';
import { isValidTimeZone } from '../time/zoned.ts';

const MAX_ERRORS = 50;

export class Reader {
    readonly errors: string[] = [];

    fail(path: string, message: string): undefined {
        if (this.errors.length < MAX_ERRORS) this.errors.push(`${path || '(document)'}: ${message}`);
        return undefined;
    }

    object(x: unknown, path: string): { v: Record<string, unknown> } | undefined {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) return this.fail(path, 'expected an object');
        return { v: x as Record<string, unknown> };
    }

    list<T>(x: unknown, path: string, item: (x: unknown, path: string) => T | undefined): T[] {
        if (!Array.isArray(x)) {
            this.fail(path, 'expected an array');
            return [];
        }
        const out: T[] = [];
        x.forEach((v, i) => {
            const r = item(v, `${path}[${i}]`);
            if (r !== undefined) out.push(r);
        });
        return out;
    }

    optList<T>(x: unknown, path: string, item: (x: unknown, path: string) => T | undefined): T[] {
        return x === undefined ? [] : this.list(x, path, item);
    }

    string(x: unknown, path: string): string | undefined {
        if (typeof x === 'string' && x !== '') return x;
        if (typeof x === 'number') return String(x);
        return this.fail(path, x === undefined ? 'missing' : 'expected a non-empty string');
    }

    optString(x: unknown, path: string): string | undefined {
        if (x === undefined || x === null) return undefined;
        if (typeof x === 'string') return x;
        if (typeof x === 'number') return String(x);
        return this.fail(path, 'expected a string');
    }

    bool(x: unknown, path: string): boolean | undefined {
        if (typeof x === 'boolean') return x;
        if (x === 1 || x === '1' || x === 'true') return true;
        if (x === 0 || x === '0' || x === 'false') return false;
        return this.fail(path, 'expected a boolean (true/false/1/0)');
    }

    number(x: unknown, path: string): number | undefined {
        const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : x;
        if (typeof n === 'number' && Number.isFinite(n)) return n;
        return this.fail(path, 'expected a number');
    }

    vmid(x: unknown, path: string): number | undefined {
        const n = this.number(x, path);
        if (n === undefined) return undefined;
        if (!Number.isInteger(n) || n < 100 || n > 999999999) return this.fail(path, `VMID ${n} is out of range (100-999999999)`);
        return n;
    }

    vmids(x: unknown, path: string): number[] {
        if (typeof x === 'string') x = x.split(/[,;\s]+/).filter((s) => s !== '');
        return this.list(x, path, (v, p) => this.vmid(v, p));
    }

    /** Epoch seconds, or an RFC 3339 string with an explicit offset or `Z`. */
    time(x: unknown, path: string): number | undefined {
        if (typeof x === 'number' && Number.isFinite(x)) return Math.floor(x);
        if (typeof x === 'string') {
            if (/^\d+$/.test(x)) return Number(x);
            if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(x)) {
                const ms = Date.parse(x);
                if (Number.isFinite(ms)) return Math.floor(ms / 1000);
            }
        }
        return this.fail(path, x === undefined ? 'missing' : 'expected epoch seconds or an RFC 3339 time like 2026-11-21T02:00:00Z');
    }

    timeZone(x: unknown, path: string): string {
        if (x === undefined) return 'UTC';
        if (typeof x === 'string' && isValidTimeZone(x)) return x;
        this.fail(path, `unknown time zone ${JSON.stringify(x)} (expected an IANA name like Europe/Berlin)`);
        return 'UTC';
    }

    oneOf<T extends string>(x: unknown, path: string, allowed: readonly T[]): T | undefined {
        if (typeof x === 'string' && (allowed as readonly string[]).includes(x)) return x as T;
        return this.fail(path, `expected one of ${allowed.join(', ')}`);
    }

    /** PVE tags come as `a;b` strings; snapshots may hold arrays. */
    tags(x: unknown, path: string): string[] {
        if (x === undefined || x === null || x === '') return [];
        if (typeof x === 'string') return x.split(/[;,\s]+/).filter((t) => t !== '');
        if (Array.isArray(x) && x.every((t) => typeof t === 'string')) return x as string[];
        this.fail(path, 'expected tags as an array of strings or a "a;b" string');
        return [];
    }

    stringMap(x: unknown, path: string): Record<string, string> {
        const o = this.object(x, path);
        const out: Record<string, string> = {};
        if (!o) return out;
        for (const [k, v] of Object.entries(o.v)) {
            if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
            else this.fail(`${path}.${k}`, 'expected a string, number or boolean');
        }
        return out;
    }

    prune(x: unknown, path: string): PruneOptions {
        const o = this.object(x, path);
        const p: PruneOptions = {};
        if (!o) return p;
        const keys = ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const;
        for (const k of keys) {
            if (o.v[k] === undefined) continue;
            const n = this.number(o.v[k], `${path}.${k}`);
            if (n !== undefined && (!Number.isInteger(n) || n < 0)) this.fail(`${path}.${k}`, 'expected a whole number ≥ 0');
            else if (n !== undefined) p[k] = n;
        }
        if (o.v.keepAll !== undefined) p.keepAll = this.bool(o.v.keepAll, `${path}.keepAll`) ?? false;
        return p;
    }
}
