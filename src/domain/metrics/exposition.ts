// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The Prometheus text exposition format (version 0.0.4): metric families with `# HELP` and
 * `# TYPE` lines, samples with escaped label values. Pure; the caller decides what to expose.
 *
 *     const out = new Exposition('pve_backup_health_');
 *     out.gauge('guest_status', 'Guest status: 0 ok, 1 warning, 2 critical, 3 unknown.').add({ vmid: '100' }, 2);
 *     out.text(); // "# HELP pve_backup_health_guest_status …\n# TYPE … gauge\n…{vmid=\"100\"} 2\n"
 */

export type Labels = Readonly<Record<string, string | number>>;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value inside double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed escaped (quotes stay as they are). */
export function escapeHelp(text: string): string {
    return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Sample values as Prometheus reads them (`NaN`, `+Inf`, `-Inf` for the non-finite ones). */
export function formatValue(value: number): string {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Number.POSITIVE_INFINITY) return '+Inf';
    if (value === Number.NEGATIVE_INFINITY) return '-Inf';
    return String(value);
}

export interface Family {
    /** Adds a sample; a second sample with the same labels is dropped (a family never repeats a series). */
    add(labels: Labels, value: number): void;
}

interface FamilyData {
    name: string;
    help: string;
    type: 'gauge' | 'counter';
    samples: string[];
    seen: Set<string>;
}

export class Exposition {
    private readonly families: FamilyData[] = [];

    constructor(private readonly prefix: string) {}

    gauge(name: string, help: string): Family {
        return this.family(name, help, 'gauge');
    }

    counter(name: string, help: string): Family {
        return this.family(name, help, 'counter');
    }

    /** The whole exposition; families without samples are left out. */
    text(): string {
        const lines: string[] = [];
        for (const f of this.families) {
            if (f.samples.length === 0) continue;
            lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...f.samples);
        }
        return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    }

    private family(name: string, help: string, type: FamilyData['type']): Family {
        const full = this.prefix + name;
        if (!NAME_RE.test(full)) throw new Error(`invalid metric name '${full}'`);
        if (this.families.some((f) => f.name === full)) throw new Error(`metric family '${full}' declared twice`);
        const data: FamilyData = { name: full, help, type, samples: [], seen: new Set() };
        this.families.push(data);
        return {
            add(labels, value) {
                const pairs = Object.entries(labels).map(([k, v]) => {
                    if (!LABEL_RE.test(k) || k.startsWith('__')) throw new Error(`invalid label name '${k}' on ${full}`);
                    return `${k}="${escapeLabelValue(String(v))}"`;
                });
                const key = pairs.join(',');
                if (data.seen.has(key)) return;
                data.seen.add(key);
                data.samples.push(`${full}${pairs.length ? `{${key}}` : ''} ${formatValue(value)}`);
            },
        };
    }
}
