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

/** Prints RSS, heap used/total and external memory every 100 ms, and notes (e.g. progress) as they come. */
export function memoryTimeline(write: (line: string) => void): { note: (what: string) => void; stop: () => void } {
    const t0 = performance.now();
    const line = (what: string) => {
        const m = process.memoryUsage();
        const mib = (n: number) => Math.round(n / 2 ** 20);
        write(`${Math.round(performance.now() - t0)} ms  rss ${mib(m.rss)}  heap ${mib(m.heapUsed)}/${mib(m.heapTotal)}  external ${mib(m.external)} MiB${what ? `  ${what}` : ''}`);
    };
    const timer = setInterval(() => line(''), 100);
    return { note: line, stop: () => clearInterval(timer) };
}
