// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The SectionConfig file syntax of pve-common (`jobs.cfg`, `storage.cfg`, …), read the way
 * `PVE::SectionConfig::parse_config` reads it:
 * - `#` lines are skipped everywhere; a header is `<type>: <id>`;
 * - property lines start with whitespace: `<TAB><key> <value>`;
 * - only an empty line ends a section, so anything else up to it (even another header) belongs to
 *   the current section and is reported as an ignored line, exactly as PVE ignores it.
 * Values are not interpreted here.
 */

export interface SectionProperty {
    key: string;
    /** Null for a key without value (PVE reads that as `1` for booleans). */
    value: string | null;
    line: number;
}

export interface Section {
    type: string;
    id: string;
    /** Line of the header, 1-based. */
    line: number;
    properties: SectionProperty[];
}

export interface SectionConfigProblem {
    line: number;
    message: string;
}

const HEADER = /^(\S+):\s*(\S+)\s*$/;
const PROPERTY = /^\s+(\S+)(?:\s+(.*\S))?\s*$/;

/** Splits a SectionConfig file into sections. Never throws. */
export function readSectionConfig(text: string): { sections: Section[]; errors: SectionConfigProblem[] } {
    const lines = (typeof text === 'string' ? text : '').split('\n');
    const sections: Section[] = [];
    const errors: SectionConfigProblem[] = [];
    let current: Section | null = null;
    for (let i = 0; i < lines.length; i++) {
        let line = lines[i] as string;
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (/^\s*#/.test(line)) continue;
        const n = i + 1;
        if (line === '') {
            current = null;
            continue;
        }
        // Whitespace-only lines neither end a section (PVE) nor mean anything; skip them quietly.
        if (line.trim() === '') continue;
        if (current) {
            const m = PROPERTY.exec(line);
            if (m) current.properties.push({ key: m[1] as string, value: m[2] ?? null, line: n });
            else errors.push({ line: n, message: `section '${current.id}': ignored line '${clip(line)}'` });
            continue;
        }
        const header = HEADER.exec(line);
        if (header) {
            current = { type: header[1] as string, id: header[2] as string, line: n, properties: [] };
            sections.push(current);
        } else {
            errors.push({ line: n, message: `ignored line outside any section: '${clip(line)}'` });
        }
    }
    return { sections, errors };
}

/**
 * Decodes a SectionConfig `comment`: PVE stores it URI-escaped (`%3A` for `:`, `%25` for `%`,
 * UTF-8 bytes of non-ASCII characters). Invalid UTF-8 falls back to one character per byte.
 */
export function decodeComment(text: string): string {
    return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
        try {
            return decodeURIComponent(run);
        } catch {
            return run.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        }
    });
}

function clip(text: string): string {
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
