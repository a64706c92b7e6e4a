// SPDX-License-Identifier: AGPL-3.0-or-later
// Golden files: every fixture log next to the result checked by hand against pve-platform.md §5.
// Evidence is compared as line numbers; each evidence line must also be that line of the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGuestLog } from '../../../src/domain/vzdump-log/guest-log.ts';
import { parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';
import type { GuestBackupResult, LogLine, ParsedVzdumpLog } from '../../../src/domain/vzdump-log/types.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/vzdump-logs');
const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));

function fileLines(text: string): string[] {
    return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

function checkEvidence(evidence: LogLine[], lines: string[]): number[] {
    for (const e of evidence) expect(e.text).toBe(lines[e.n - 1]);
    return evidence.map((e) => e.n);
}

function projectGuest(g: GuestBackupResult, lines: string[]): Record<string, unknown> {
    const { evidence, ...rest } = g;
    return { ...rest, evidenceLines: checkEvidence(evidence, lines) };
}

function projectLog(log: ParsedVzdumpLog, lines: string[]): Record<string, unknown> {
    const { evidence, guests, ...rest } = log;
    return {
        ...rest,
        guests: guests.map((g) => projectGuest(g, lines)),
        evidenceLines: checkEvidence(evidence, lines),
    };
}

function expected(name: string): unknown {
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}

describe('vzdump log golden files', () => {
    it('has a fixture for every scenario', () => {
        expect(logs.length).toBeGreaterThanOrEqual(16);
    });

    for (const file of logs) {
        const base = file.slice(0, -4);
        const text = readFileSync(join(dir, file), 'utf8');
        const lines = fileLines(text);
        if (/^[a-z]-guest-(qemu|lxc)-/.test(base)) {
            it(`${file} (per-guest log)`, () => {
                const g = parseGuestLog(text);
                expect(g).not.toBeNull();
                expect(projectGuest(g as GuestBackupResult, lines)).toEqual(expected(`${base}.expected.json`));
            });
            continue;
        }
        it(file, () => {
            expect(projectLog(parseVzdumpLog(text), lines)).toEqual(expected(`${base}.expected.json`));
        });
        it(`${file} as line array and as API [{n,t}] list gives the same result`, () => {
            const asText = parseVzdumpLog(text);
            const arr = text.split('\n');
            if (arr[arr.length - 1] === '') arr.pop();
            expect(parseVzdumpLog(arr)).toEqual(asText);
            expect(parseVzdumpLog(arr.map((t, i) => ({ n: i + 1, t })))).toEqual(asText);
        });
        if (readdirSync(dir).includes(`${base}.running.expected.json`)) {
            it(`${file} while the task is running`, () => {
                const parsed = parseVzdumpLog(text, { running: true });
                expect(projectLog(parsed, lines)).toEqual(expected(`${base}.running.expected.json`));
            });
        }
    }
});
