// SPDX-License-Identifier: AGPL-3.0-or-later
/** Builds and runs glibc-oracle.c: proxmox-time's search on the real glibc mktime. */

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarEvent, FieldValue } from '../../../../src/domain/schedule/event.ts';

export interface OracleQuery {
    timeZone: string;
    last: number;
    /** An instant whose local time glibc converts first, seeding mktime's remembered offset. */
    seed: number;
    event: CalendarEvent;
}

export function findCompiler(): string | null {
    for (const cc of ['/usr/bin/gcc', '/usr/bin/cc']) {
        const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
        if (r.status === 0) return cc;
    }
    return null;
}

/** Compiles the oracle into a temporary directory and returns the binary's path. */
export function buildOracle(cc: string): string {
    const out = join(mkdtempSync(join(tmpdir(), 'pbh-oracle-')), 'oracle');
    const src = join(import.meta.dirname, 'glibc-oracle.c');
    const r = spawnSync(cc, ['-O2', '-o', out, src], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot build oracle: ${r.stderr}`);
    return out;
}

function item(v: FieldValue): string {
    if (v.kind === 'single') return `s:${v.value}`;
    if (v.kind === 'range') return `r:${v.start}:${v.end}`;
    return `p:${v.start}:${v.step}:${v.end ?? -1}`;
}

function line(q: OracleQuery): string {
    const e = q.event;
    const fields = [e.year, e.month, e.day, e.hour, e.minute, e.second].map((l) => [l.length, ...l.map(item)].join(' '));
    return `${q.timeZone} ${q.last} ${q.seed} ${e.utc ? 1 : 0} ${e.weekdays} ${fields.join(' ')}`;
}

/** Next event per query as glibc computes it (null = none). */
export function runOracle(binary: string, queries: readonly OracleQuery[]): Array<number | null> {
    const r = spawnSync(binary, [], { input: `${queries.map(line).join('\n')}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`oracle failed (${r.status}): ${r.stderr}`);
    const out = r.stdout.trim().split('\n');
    if (out.length !== queries.length) throw new Error(`oracle answered ${out.length} of ${queries.length} queries`);
    return out.map((s) => (s === 'none' ? null : Number(s)));
}
