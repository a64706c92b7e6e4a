// SPDX-License-Identifier: AGPL-3.0-or-later
/** Times, durations, sizes and percentages written the way each language writes them. */

import { formatBytes } from '../health/format.ts';
import { epochToLocal } from '../time/zoned.ts';
import { type Catalogue, type CatalogueKey, text } from './i18n/catalogue.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-21 02:00 (Europe/Vienna)` / `21.11.2026, 02:00 Uhr (Europe/Vienna)`; UTC if the zone is unknown. */
export function formatWhen(cat: Catalogue, epoch: number, timeZone: string): string {
    let zone = timeZone;
    let l: ReturnType<typeof epochToLocal>;
    try {
        l = epochToLocal(epoch, zone);
    } catch {
        zone = 'UTC';
        l = epochToLocal(epoch, zone);
    }
    const time = text(cat, 'format.datetime', { year: l.year, month: pad(l.month), day: pad(l.day), hour: pad(l.hour), minute: pad(l.minute) });
    return text(cat, 'format.zone', { time, zone });
}

function unit(cat: Catalogue, name: 'day' | 'hour' | 'minute' | 'second', n: number): string {
    return text(cat, `unit.${name}.${n === 1 ? 'one' : 'other'}` as CatalogueKey, { n });
}

/** `3 days 4 hours`, `1 Stunde 5 Minuten`, `12 minuti`, `40 seconds`: two units at most. */
export function formatDuration(cat: Catalogue, seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d > 0) return h > 0 ? `${unit(cat, 'day', d)} ${unit(cat, 'hour', h)}` : unit(cat, 'day', d);
    if (h > 0) return m > 0 ? `${unit(cat, 'hour', h)} ${unit(cat, 'minute', m)}` : unit(cat, 'hour', h);
    if (m > 0) return unit(cat, 'minute', m);
    return unit(cat, 'second', s);
}

function decimal(cat: Catalogue, value: string): string {
    return value.replace('.', cat['format.decimal']);
}

/** `4.2 GiB` / `4,2 GiB` (binary units, like PVE's GUI). */
export function formatSize(cat: Catalogue, bytes: number): string {
    return decimal(cat, formatBytes(bytes));
}

/** A fraction 0..1 as `92.3 %` / `92,3 %` / `92,3%`. */
export function formatPercent(cat: Catalogue, fraction: number): string {
    return text(cat, 'format.percent', { value: decimal(cat, (fraction * 100).toFixed(1)) });
}
