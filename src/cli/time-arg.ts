// SPDX-License-Identifier: AGPL-3.0-or-later
/** Parses an RFC 3339 time with `Z` or an explicit offset into epoch seconds; null when invalid. */
export function parseRfc3339(text: string): number | null {
    const m = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?([Zz]|[+-]\d\d:\d\d)$/.exec(text);
    if (!m) return null;
    const [, , mo, d, h, mi, s] = m.map(Number) as number[];
    if ((mo as number) < 1 || (mo as number) > 12 || (d as number) < 1 || (d as number) > 31 || (h as number) > 23 || (mi as number) > 59 || (s ?? 0) > 60) return null;
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
