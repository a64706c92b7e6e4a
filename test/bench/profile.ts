// SPDX-License-Identifier: AGPL-3.0-or-later
/** The bench's optional CPU profiles (`PBH_BENCH_PROFILE_DIR`). */

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * CPU profiles of the cold and the steady cycles, written when `PBH_BENCH_PROFILE_DIR` is set
 * (open them in Chrome DevTools, or sum self time per function).
 */
export function profiler(name: string): { start(): Promise<void>; stop(): Promise<void> } {
    const dir = process.env.PBH_BENCH_PROFILE_DIR;
    if (!dir) return { start: async () => {}, stop: async () => {} };
    const session = new Session();
    session.connect();
    const post = (method: string) =>
        new Promise<unknown>((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
    return {
        start: async () => {
            await post('Profiler.enable');
            await post('Profiler.start');
        },
        stop: async () => {
            const { profile } = (await post('Profiler.stop')) as { profile: unknown };
            writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
        },
    };
}
