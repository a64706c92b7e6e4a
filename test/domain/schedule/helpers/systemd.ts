// SPDX-License-Identifier: AGPL-3.0-or-later
/** Runs `systemd-analyze calendar` on many expressions at once and reads the next elapses. */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

export function haveSystemdAnalyze(): boolean {
    if (!existsSync(SYSTEMD_ANALYZE)) return false;
    const r = spawnSync(SYSTEMD_ANALYZE, ['calendar', '--iterations=1', '--base-time=@0', 'daily'], {
        encoding: 'utf8',
        env: { TZ: 'UTC', LC_ALL: 'C' },
    });
    return r.status === 0;
}

/**
 * The next `iterations` elapses (epoch seconds) of each expression strictly after `base`, in
 * UTC. Expressions systemd rejects map to null.
 */
export function systemdNext(expressions: readonly string[], base: number, iterations: number): Array<number[] | null> {
    const r = spawnSync(SYSTEMD_ANALYZE, ['calendar', `--iterations=${iterations}`, `--base-time=@${base}`, ...expressions], {
        encoding: 'utf8',
        env: { TZ: 'UTC', LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: 'cat' },
        maxBuffer: 64 * 1024 * 1024,
    });
    const rejected = new Set<string>();
    for (const m of r.stderr.matchAll(/Failed to parse calendar specification '([^']*)'/g)) rejected.add(m[1] as string);
    const blocks: number[][] = [];
    for (const line of r.stdout.split('\n')) {
        if (line.includes('Normalized form:')) {
            blocks.push([]);
            continue;
        }
        const m = /(?:Next elapse|Iter\. #\d+): \w+ (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC/.exec(line);
        if (m) {
            const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
            blocks[blocks.length - 1]?.push(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
        }
    }
    const out: Array<number[] | null> = [];
    let next = 0;
    for (const expr of expressions) {
        if (rejected.has(expr)) out.push(null);
        else out.push(blocks[next++] ?? null);
    }
    if (next !== blocks.length) throw new Error(`systemd-analyze output has ${blocks.length} blocks, expected ${next}`);
    return out;
}
