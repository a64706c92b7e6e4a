// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon judges without per-guest explanations and explains one guest on request: the
// verdicts must not depend on it, and one guest's explanation must equal the full report's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/domain/health/evaluate.ts';
import { DEFAULT_SETTINGS, type EvaluationSettings } from '../../../src/domain/health/settings.ts';
import { decodeSnapshot } from '../../../src/domain/snapshot/decode.ts';

const dir = join(import.meta.dirname, '../../scenarios');
const names = readdirSync(dir).filter((n) => /^\d\d-/.test(n)).sort();

describe('evaluate({ explain })', () => {
    for (const name of names) {
        it(name, () => {
            const read = (f: string) => JSON.parse(readFileSync(join(dir, name, f), 'utf8'));
            const scenario = read('scenario.json') as { now: string; settings?: Partial<EvaluationSettings> };
            const decoded = decodeSnapshot(read('snapshot.json'));
            if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
            const now = Date.parse(scenario.now) / 1000;
            const settings = { ...DEFAULT_SETTINGS, ...scenario.settings };
            const full = evaluate(decoded.snapshot, now, settings);
            const bare = evaluate(decoded.snapshot, now, settings, { explain: 'none' });
            expect(bare.guests.every((g) => g.runs.length === 0 && g.attempts.length === 0)).toBe(true);
            const strip = (r: typeof full) => ({ ...r, guests: r.guests.map((g) => ({ ...g, runs: [], attempts: [] })) });
            expect(bare).toEqual(strip(full));
            // Every scenario explains something: otherwise this test would prove nothing.
            expect(full.guests.some((g) => g.runs.length > 0 || g.attempts.length > 0)).toBe(true);
            for (const g of full.guests) {
                const one = evaluate(decoded.snapshot, now, settings, { explain: g.vmid });
                const mine = one.guests.find((x) => x.vmid === g.vmid);
                expect({ runs: mine?.runs, attempts: mine?.attempts }).toEqual({ runs: g.runs, attempts: g.attempts });
                expect(one.guests.filter((x) => x.vmid !== g.vmid).every((x) => x.runs.length === 0 && x.attempts.length === 0)).toBe(true);
            }
        });
    }
});
