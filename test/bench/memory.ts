// SPDX-License-Identifier: AGPL-3.0-or-later
/** The bench's memory sampling: what a phase of the measured process used at most. */

/** Highest heap/external/RSS figures seen while `run` works (sampled every 20 ms and at its end). */
export interface MemoryPeak { rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; externalMiB: number }
export async function memoryPeak<T>(run: () => Promise<T> | T): Promise<{ value: T; peak: MemoryPeak }> {
    const peak: MemoryPeak = { rssMiB: 0, heapUsedMiB: 0, heapTotalMiB: 0, externalMiB: 0 };
    const sample = () => {
        const m = process.memoryUsage();
        const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
        peak.rssMiB = Math.max(peak.rssMiB, mib(m.rss));
        peak.heapUsedMiB = Math.max(peak.heapUsedMiB, mib(m.heapUsed));
        peak.heapTotalMiB = Math.max(peak.heapTotalMiB, mib(m.heapTotal));
        peak.externalMiB = Math.max(peak.externalMiB, mib(m.external));
    };
    const timer = setInterval(sample, 20);
    try {
        const value = await run();
        sample();
        return { value, peak };
    } finally {
        clearInterval(timer);
    }
}
