// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Byte sizes as vzdump logs print them.
 *
 * Unit decision: every unit is a power of 1024. vzdump's `format_size` (PVE/VZDump.pm) divides by
 * 1024 and labels the result `KB`/`MB`/`GB`/`TB` (`archive file size: 4.18GB` means 4.18 GiB);
 * the transfer and progress lines use `render_bytes` with `KiB`/`MiB`/`GiB`; older versions
 * printed `transferred 32768 MB …` from a division by 1024*1024 as well. Note that
 * `archive file size` truncates KB/MB to integers and rounds GB/TB to two decimals, so the parsed
 * value is exact only to about 0.5 % of the unit.
 */

const UNITS = new Map<string, number>([
    ['', 1],
    ['b', 1],
    ['byte', 1],
    ['bytes', 1],
    ['k', 1024],
    ['kb', 1024],
    ['kib', 1024],
    ['m', 1024 ** 2],
    ['mb', 1024 ** 2],
    ['mib', 1024 ** 2],
    ['g', 1024 ** 3],
    ['gb', 1024 ** 3],
    ['gib', 1024 ** 3],
    ['t', 1024 ** 4],
    ['tb', 1024 ** 4],
    ['tib', 1024 ** 4],
    ['p', 1024 ** 5],
    ['pb', 1024 ** 5],
    ['pib', 1024 ** 5],
]);

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/;

/** `4.18GB`, `512MB`, `32.00 GiB`, `1563248640` → bytes (rounded); null when not a size. */
export function parseSize(text: string): number | null {
    const m = SIZE.exec(text.trim());
    if (!m) return null;
    const factor = UNITS.get((m[2] as string).toLowerCase());
    if (factor === undefined) return null;
    const bytes = Math.round(Number.parseFloat(m[1] as string) * factor);
    return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Bytes as a short binary-unit text (`4.18 GiB`, `512 MiB`, `0 B`). */
export function formatBytes(bytes: number): string {
    if (!Number.isFinite(bytes) || bytes < 0) return '-';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
    return `${value.toFixed(digits)} ${units[unit]}`;
}
