// SPDX-License-Identifier: AGPL-3.0-or-later
// A strict reader of the Prometheus text format for tests of what /metrics serves.

export interface Sample {
    name: string;
    labels: Record<string, string>;
    value: number;
}

/** A strict reader of the text format: throws on any line a Prometheus scraper would reject. */
export function parseExposition(text: string): { samples: Sample[]; types: Map<string, string>; helps: Map<string, string> } {
    if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
    const samples: Sample[] = [];
    const types = new Map<string, string>();
    const helps = new Map<string, string>();
    const closed = new Set<string>();
    let current = '';
    for (const line of text.split('\n').slice(0, -1)) {
        const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
        if (meta) {
            const [, kind, name = '', rest = ''] = meta;
            if (name !== current) {
                if (closed.has(name)) throw new Error(`family ${name} is split: ${line}`);
                if (current) closed.add(current);
                current = name;
            }
            if (kind === 'TYPE') {
                if (!/^(gauge|counter|histogram|summary|untyped)$/.test(rest)) throw new Error(`bad type: ${line}`);
                types.set(name, rest);
            } else helps.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
            continue;
        }
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
        const [, name = '', body, raw = ''] = m;
        if (name !== current || !types.has(name) || !helps.has(name)) throw new Error(`sample without its HELP/TYPE: ${line}`);
        const labels: Record<string, string> = {};
        let rest = body ?? '';
        while (rest !== '') {
            const l = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
            if (!l) throw new Error(`bad labels in ${line}`);
            labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
            rest = rest.slice(l[0].length);
        }
        const value = raw === '+Inf' ? Number.POSITIVE_INFINITY : raw === '-Inf' ? Number.NEGATIVE_INFINITY : Number(raw);
        if (raw !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value in ${line}`);
        samples.push({ name, labels, value });
    }
    return { samples, types, helps };
}
