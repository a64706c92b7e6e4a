// SPDX-License-Identifier: AGPL-3.0-or-later
// Attempts built per guest on demand equal building them all up front the plain way (every
// result of every task, log times as text, one stable sort), for parsed logs and for the
// collector's columnar tables, on every golden scenario.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttemptBook } from '../../../src/domain/health/attempt-book.ts';
import { type AttemptSource, attemptFor, taskAttempt, taskContext } from '../../../src/domain/health/attempts.ts';
import type { Attempt, JobReport } from '../../../src/domain/health/report.ts';
import type { VzdumpTask } from '../../../src/domain/model.ts';
import { decodeSnapshot } from '../../../src/domain/snapshot/decode.ts';
import { createInterner, slimTaskLog } from '../../../src/domain/snapshot/slim-log.ts';

const dir = join(import.meta.dirname, '../../scenarios');
const names = readdirSync(dir).filter((n) => /^\d\d-/.test(n)).sort();

function plainAttempts(tasks: readonly VzdumpTask[], src: AttemptSource): Map<number, Attempt[]> {
    const out = new Map<number, Attempt[]>();
    const add = (vmid: number, a: Attempt) => out.set(vmid, [...(out.get(vmid) ?? []), a]);
    for (const task of tasks) {
        const guests = task.log ? [...task.log.guests] : [];
        if (guests.length === 0) {
            if (/^\d+$/.test(task.id)) add(Number(task.id), taskAttempt(task, src));
            continue;
        }
        const ctx = taskContext(task, src);
        for (const g of guests) if (g.status !== 'skipped') add(g.vmid, attemptFor(task, g, g.startedLocal, g.endedLocal, ctx));
    }
    for (const list of out.values()) list.sort((a, b) => a.start - b.start);
    return out;
}

function plainResults(attempts: Map<number, Attempt[]>, scheduled: ReadonlyMap<string, string>): Map<string, JobReport['results']> {
    const out = new Map<string, JobReport['results']>();
    for (const a of [...attempts.values()].flat()) {
        const id = a.scheduled ? scheduled.get(a.upid) : undefined;
        if (id === undefined) continue;
        const r = out.get(id) ?? { ok: 0, warnings: 0, failed: 0, missed: 0 };
        if (a.status === 'ok') r.ok++;
        else if (a.status === 'warnings') r.warnings++;
        else if (a.status === 'failed' || a.status === 'aborted') r.failed++;
        out.set(id, r);
    }
    return out;
}

describe('AttemptBook', () => {
    for (const name of names) {
        it(name, () => {
            const decoded = decodeSnapshot(JSON.parse(readFileSync(join(dir, name, 'snapshot.json'), 'utf8')));
            if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
            const snap = decoded.snapshot;
            const zones = new Map(snap.nodes.map((n) => [n.name, n.timeZone]));
            // Every task's UPID counts as scheduled by its job, so job results are exercised too.
            const scheduled = new Map(snap.tasks.map((t) => [t.upid, t.jobId ?? snap.jobs[0]?.id ?? 'job']));
            const src: AttemptSource = { scheduled, timeZoneOf: (n) => zones.get(n) ?? 'UTC' };
            const intern = createInterner();
            const tabled = snap.tasks.map((t) => (t.log ? { ...t, log: slimTaskLog({ ...t.log, guests: [...t.log.guests] }, intern) } : t));
            const expected = plainAttempts(snap.tasks, src);
            expect(expected.size).toBeGreaterThan(0);
            for (const tasks of [snap.tasks, tabled]) {
                const book = new AttemptBook(tasks, src);
                expect(new Set(book.vmids())).toEqual(new Set(expected.keys()));
                // Results before any guest was asked for, and again after: counted once each.
                expect(book.jobResults()).toEqual(plainResults(expected, scheduled));
                for (const [vmid, list] of expected) {
                    // Evidence lines are trimmed in tables; attempts carry none, so they compare whole.
                    expect(book.of(vmid), `VMID ${vmid}`).toEqual(list);
                }
                expect(book.of(999_999)).toEqual([]);
                expect(book.jobResults()).toEqual(plainResults(expected, scheduled));
            }
        });
    }
});
