// SPDX-License-Identifier: AGPL-3.0-or-later
// The collector's in-memory form of task logs: smaller, and judged exactly like the whole parse.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/domain/health/evaluate.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from '../../../src/domain/health/settings.ts';
import type { ClusterSnapshot } from '../../../src/domain/model.ts';
import { decodeSnapshot } from '../../../src/domain/snapshot/decode.ts';
import { createInterner, slimTaskLog } from '../../../src/domain/snapshot/slim-log.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';

const root = join(import.meta.dirname, '../../..');
const fixtures = join(root, 'test/fixtures/vzdump-logs');
const scenarios = join(root, 'test/scenarios');

function slimmed(snapshot: ClusterSnapshot): ClusterSnapshot {
    const intern = createInterner();
    return { ...snapshot, tasks: snapshot.tasks.map((t) => (t.log ? { ...t, log: slimTaskLog({ ...t.log, guests: [...t.log.guests] }, intern) } : t)) };
}

describe('slimTaskLog', () => {
    const logs = readdirSync(fixtures)
        .filter((f) => f.endsWith('.log'))
        .map((f) => ({ name: f, log: parseVzdumpLog(readFileSync(join(fixtures, f), 'utf8')) }));

    it('drops only the lines of plain ok results and keeps every other field', () => {
        expect(logs.length).toBeGreaterThan(5);
        let dropped = 0;
        for (const { name, log } of logs) {
            const slim = slimTaskLog(log, createInterner());
            expect(slim.guests.length, name).toBe(log.guests.length);
            const rows = [...slim.guests];
            log.guests.forEach((g, i) => {
                const s = rows[i];
                // A task warning no guest claims is every guest's (attempts.ts): their lines stay.
                const shared = log.outcome === 'warnings' && !log.guests.some((x) => x.warnings.length > 0);
                const plain = g.status === 'ok' && g.warnings.length === 0 && !shared;
                expect(s, `${name} guest ${g.vmid}`).toEqual({ ...g, evidence: plain ? [] : g.evidence });
                if (plain && g.evidence.length > 0) dropped++;
            });
            expect({ ...slim, guests: [] }, name).toEqual({ ...log, guests: [] });
        }
        expect(dropped).toBeGreaterThan(0);
    });

    it('shares no array with the parse and freezes the shared empty lists', () => {
        const withWarnings = logs.find((l) => l.log.guests.some((g) => g.warnings.length > 0))?.log;
        expect(withWarnings).toBeDefined();
        const log = withWarnings as NonNullable<typeof withWarnings>;
        const intern = createInterner();
        const a = slimTaskLog(log, intern);
        const g = log.guests.find((x) => x.warnings.length > 0);
        const ga = a.guests.find((x) => x.vmid === g?.vmid);
        expect(ga?.warnings).not.toBe(g?.warnings);
        expect(ga?.evidence).not.toBe(g?.evidence);
        const plain = a.guests.find((x) => x.evidence.length === 0);
        if (plain) expect(() => plain.evidence.push({ n: 1, text: 'x' })).toThrow(TypeError);
    });

    it('keeps one copy of what repeats across logs: VMID and warning lists, guest names', () => {
        const withWarnings = logs.find((l) => l.log.guests.some((g) => g.warnings.length > 0) && l.log.selection !== null && l.log.selection.vmids.length > 0)?.log;
        expect(withWarnings).toBeDefined();
        const log = withWarnings as NonNullable<typeof withWarnings>;
        const intern = createInterner();
        const a = slimTaskLog(log, intern);
        const b = slimTaskLog(structuredClone(log), intern);
        expect(b.selection?.vmids).toBe(a.selection?.vmids);
        expect(Object.isFrozen(a.selection?.vmids)).toBe(true);
        const vmid = log.guests.find((g) => g.warnings.length > 0)?.vmid;
        expect(b.guests.find((g) => g.vmid === vmid)?.warnings).toEqual(a.guests.find((g) => g.vmid === vmid)?.warnings);
        expect(intern.texts(['x', 'y'])).toBe(intern.texts(['x', 'y']));
        expect(intern.texts(['x', 'y'])).not.toBe(intern.texts(['x\u0000y']));
        // Both tables read their names from the interner's one list.
        const named = log.guests.filter((g) => g.name !== null).length;
        expect(named).toBeGreaterThan(0);
        expect([...b.guests].map((g) => g.name)).toEqual(log.guests.map((g) => g.name));
        expect(intern.names.indexOf(log.guests.find((g) => g.name !== null)?.name)).toBeGreaterThanOrEqual(0);
    });

    it('gives the same report as the whole parse on every golden scenario', () => {
        const names = readdirSync(scenarios).filter((n) => /^\d\d-/.test(n));
        let withLogs = 0;
        for (const name of names) {
            const read = (f: string) => JSON.parse(readFileSync(join(scenarios, name, f), 'utf8'));
            const scenario = read('scenario.json') as { now: string; settings?: Partial<EvaluationSettings> };
            const decoded = decodeSnapshot(read('snapshot.json'));
            if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
            if (decoded.snapshot.tasks.some((t) => t.log)) withLogs++;
            const now = Date.parse(scenario.now) / 1000;
            const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
            expect(evaluate(slimmed(decoded.snapshot), now, settings), name).toEqual(evaluate(decoded.snapshot, now, settings));
        }
        expect(withLogs).toBeGreaterThan(20);
    });

    it('gives the same report as the whole parse on the demo cluster', () => {
        const decoded = decodeSnapshot(JSON.parse(readFileSync(join(root, 'demo/demo-cluster.json'), 'utf8')));
        if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
        const now = Date.parse('2026-11-21T09:00:00Z') / 1000;
        const full = evaluate(decoded.snapshot, now);
        expect(full.problems.some((p) => (p.evidence.logLines ?? []).length > 0)).toBe(true);
        expect(evaluate(slimmed(decoded.snapshot), now)).toEqual(full);
    });
});
