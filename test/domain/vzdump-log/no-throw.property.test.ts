// SPDX-License-Identifier: AGPL-3.0-or-later
// The log parsers must never throw and must always return a well-formed result, whatever arrives:
// arbitrary strings, arrays of log-like lines, arbitrary JSON values, and mutated real logs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGuestLog } from '../../../src/domain/vzdump-log/guest-log.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';
import type { ParsedVzdumpLog } from '../../../src/domain/vzdump-log/types.ts';
import { LOG_PHRASES } from './log-phrases.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/vzdump-logs');
const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8').split('\n'));

const OUTCOMES = ['ok', 'warnings', 'guest-failures', 'job-failed', 'interrupted', 'unexpected', 'running'];
const STATUSES = ['ok', 'failed', 'aborted', 'skipped', 'running'];

/** Fragments real logs are made of, so random lines often hit the interesting code paths. */
const fragment = fc.constantFrom(
    ...LOG_PHRASES,
    'TASK WARNINGS: ',
    "can't acquire lock '/var/run/vzdump.lock' - got timeout",
    'interrupted by signal',
    'job errors',
    '4294967296000',
    '--all 1',
    '--exclude ',
    "'",
    '"',
    '\\',
    ',',
    '__proto__',
    'constructor',
);
const logLine = fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 8 }).map((parts) => parts.join(''));

function wellFormed(log: ParsedVzdumpLog, lineCount?: number): void {
    expect(OUTCOMES).toContain(log.outcome);
    if (lineCount !== undefined) expect(log.lineCount).toBe(lineCount);
    expect(log.jobError === null || !log.jobError.startsWith('internal parser error')).toBe(true);
    for (const g of log.guests) {
        expect(STATUSES).toContain(g.status);
        expect(Number.isSafeInteger(g.vmid) && g.vmid > 0).toBe(true);
        expect(g.sizeBytes === null || (Number.isSafeInteger(g.sizeBytes) && g.sizeBytes >= 0)).toBe(true);
        if (log.outcome !== 'running') expect(g.status).not.toBe('running');
    }
    expect(new Set(log.guests.map((g) => g.vmid)).size).toBe(log.guests.length);
    expect(() => JSON.stringify(log)).not.toThrow();
}

/** Deletes, duplicates, swaps, truncates or corrupts lines of a real log. */
const mutatedLog = fc
    .tuple(
        fc.constantFrom(...fixtures),
        fc.array(
            fc.record({
                op: fc.constantFrom('delete', 'duplicate', 'swap', 'truncate', 'insert', 'corrupt'),
                at: fc.nat(),
                text: logLine,
                cut: fc.nat(),
            }),
            { maxLength: 6 },
        ),
    )
    .map(([lines, ops]) => {
        const out = [...lines];
        for (const { op, at, text, cut } of ops) {
            if (out.length === 0) break;
            const i = at % out.length;
            const line = out[i] as string;
            if (op === 'delete') out.splice(i, 1);
            else if (op === 'duplicate') out.splice(i, 0, line);
            else if (op === 'swap') out.splice(i, 1, out[(i + 1) % out.length] as string);
            else if (op === 'truncate') out.length = i + 1;
            else if (op === 'insert') out.splice(i, 0, text);
            else out[i] = line.slice(0, cut % (line.length + 1)) + text + line.slice(cut % (line.length + 1));
        }
        return out;
    });

describe('parseVzdumpLog never throws', () => {
    it('on arbitrary strings', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 400 }), fc.boolean(), (text, running) => {
                wellFormed(parseVzdumpLog(text, { running }));
            }),
            { numRuns: 500 },
        );
    });

    it('on arrays of log-like lines, plain and as API [{n,t}]', () => {
        fc.assert(
            fc.property(fc.array(logLine, { maxLength: 40 }), fc.boolean(), (lines, running) => {
                const expectedCount = lines.length === 1 && lines[0] === 'no content' ? 0 : lines.length;
                wellFormed(parseVzdumpLog(lines, { running }), expectedCount);
                wellFormed(parseVzdumpLog(lines.map((t, i) => ({ n: i + 1, t })), { running }), expectedCount);
                wellFormed(parseVzdumpLog(lines.join('\n'), { running }));
            }),
            { numRuns: 1000 },
        );
    });

    it('on mutated real logs', () => {
        fc.assert(
            fc.property(mutatedLog, fc.boolean(), (lines, running) => {
                wellFormed(parseVzdumpLog(lines, { running }));
                wellFormed(parseVzdumpLog(lines.join('\r\n'), { running }));
            }),
            { numRuns: 1000 },
        );
    });

    it('on any JSON-like value, including wrong option objects', () => {
        fc.assert(
            fc.property(fc.anything(), fc.anything(), (input, opts) => {
                wellFormed(parseVzdumpLog(input as string, opts as { running?: boolean }));
            }),
            { numRuns: 500 },
        );
        fc.assert(
            fc.property(fc.array(fc.record({ n: fc.anything(), t: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('toString', 'valueOf'), fc.anything())) }), { maxLength: 10 }), (items) => {
                wellFormed(parseVzdumpLog(items as { n: number; t: string }[]));
            }),
            { numRuns: 300 },
        );
    });
});

describe('parseGuestLog never throws', () => {
    it('on mutated real logs, stamped or not, and arbitrary values', () => {
        fc.assert(
            fc.property(mutatedLog, fc.boolean(), fc.boolean(), (lines, stamped, running) => {
                const input = stamped ? lines.map((l) => `2025-01-05 02:00:03 ${l}`) : lines;
                const g = parseGuestLog(input, { running });
                if (g) expect(STATUSES).toContain(g.status);
            }),
            { numRuns: 500 },
        );
        fc.assert(
            fc.property(fc.anything(), (input) => {
                parseGuestLog(input as string);
            }),
            { numRuns: 300 },
        );
    });
});
