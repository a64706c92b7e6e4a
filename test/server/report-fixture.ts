// SPDX-License-Identifier: AGPL-3.0-or-later
// Real health reports for server and metrics tests: a golden scenario's snapshot judged by the real
// evaluator, so every shape served is one the daemon can produce.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../src/domain/health/evaluate.ts';
import type { HealthReport } from '../../src/domain/health/report.ts';
import { DEFAULT_SETTINGS } from '../../src/domain/health/settings.ts';
import { decodeSnapshot } from '../../src/domain/snapshot/decode.ts';

const dir = join(import.meta.dirname, '..', 'scenarios');

export function scenarioReport(name: string): HealthReport {
    const read = (f: string) => JSON.parse(readFileSync(join(dir, name, f), 'utf8')) as Record<string, unknown>;
    const decoded = decodeSnapshot(read('snapshot.json'));
    if (!decoded.ok) throw new Error(decoded.errors.join('\n'));
    const now = Date.parse(String(read('scenario.json').now)) / 1000;
    return evaluate(decoded.snapshot, now, { ...DEFAULT_SETTINGS });
}
