// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * VMID lists (`vmid`, `exclude`): PVE's `split_list` accepts commas, semicolons, whitespace or NUL
 * as separators; each entry must be a guest id (`pve-vmid`: 100 to 999999999).
 */

export const MIN_VMID = 100;
export const MAX_VMID = 999_999_999;

export function isValidVmid(value: number): boolean {
    return Number.isInteger(value) && value >= MIN_VMID && value <= MAX_VMID;
}

export interface ParsedVmidList {
    /** Valid ids in order of appearance, without duplicates. */
    vmids: number[];
    /** One message per entry that is not a valid guest id. */
    errors: string[];
}

/** Parses a VMID list string (`"100,101"`, `"100 101"`, `"100;101"`). Never throws. */
export function parseVmidList(text: string): ParsedVmidList {
    const vmids: number[] = [];
    const errors: string[] = [];
    const seen = new Set<number>();
    const source = typeof text === 'string' ? text : '';
    const entries = source.includes('\0') ? source.split('\0') : source.split(/[,;\s]+/);
    for (const raw of entries) {
        const entry = raw.trim();
        if (entry === '') continue;
        const id = /^\d{1,10}$/.test(entry) ? Number.parseInt(entry, 10) : Number.NaN;
        if (!isValidVmid(id)) {
            errors.push(`invalid guest id '${entry}'`);
            continue;
        }
        if (!seen.has(id)) {
            seen.add(id);
            vmids.push(id);
        }
    }
    return { vmids, errors };
}
