// SPDX-License-Identifier: AGPL-3.0-or-later
// Raw text is scanned in place instead of being split into lines (text-scan.ts). Whatever the text,
// the result must equal parsing the split lines (`normalizeLogInput`, the path array inputs take),
// line numbers and evidence text included.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeLogInput } from '../../../src/domain/vzdump-log/lines.ts';
import { createVzdumpLogParser, parseVzdumpLines, parseVzdumpLog } from '../../../src/domain/vzdump-log/parse.ts';
import { LOG_PHRASES } from './log-phrases.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/vzdump-logs');
const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));

function sameAsSplit(text: string, running = false): void {
    expect(parseVzdumpLog(text, { running })).toEqual(parseVzdumpLines(normalizeLogInput(text), running));
}

const fragment = fc.constantFrom(
    ...LOG_PHRASES,
    'TASK WARNINGS: 1',
    'Backup job finished successfully',
    'creating archive ',
    'create storage snapshot',
    'status = running',
    'starting backup via QMP command',
    ': had to upload ',
    ': had to ',
    'no content',
    '\n',
    '\r\n',
    '\u2028',
    // Whole messages, so that guest blocks occur often.
    'Starting Backup of VM 100 (lxc)',
    'Starting Backup of VM 101 (qemu)',
    "creating Proxmox Backup Server archive 'ct/100/2025-01-05T01:00:03Z'",
    "creating vzdump archive '/mnt/dump/vzdump-qemu-101.vma.zst'",
    'root.pxar: had to backup 479.821 MiB of 2.246 GiB (compressed 113.094 MiB)',
    'transferred 2.00 GiB in 20 seconds (102.4 MiB/s)',
    'archive file size: 4.18GB',
    'Finished Backup of VM 100 (00:01:02)',
    'Backup of VM 101 failed - no space',
);
const message = fc.array(fc.oneof({ weight: 4, arbitrary: fragment }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 5 }).map((p) => p.join(''));
/** Mostly `<prefix><message>`, so guest blocks (start, PBS archive, client lines, end) do occur. */
const randomLine = fc
    .tuple(fc.constantFrom('INFO: ', 'INFO: ', 'INFO: ', 'ERROR: ', 'WARN: ', 'TASK ', ''), message, fc.constantFrom('', '', '', '\r'))
    .map(([prefix, m, cr]) => prefix + m + cr);
const realLine = fc.constantFrom(
    'INFO: Starting Backup of VM 100 (lxc)',
    'INFO: Starting Backup of VM 101 (qemu)',
    "INFO: creating Proxmox Backup Server archive 'ct/100/2025-01-05T01:00:03Z'",
    "INFO: creating vzdump archive '/mnt/dump/vzdump-qemu-101.vma.zst'",
    'INFO: root.pxar: had to backup 479.821 MiB of 2.246 GiB (compressed 113.094 MiB)',
    'INFO: other.pxar: had to upload 1 KiB of 2 KiB',
    'INFO: status = running',
    'INFO:  51% (2.5 GiB of 5.0 GiB) in 18s, read: 146.3 MiB/s, write: 146.3 MiB/s',
    'INFO: Finished Backup of VM 100 (00:01:02)',
    'ERROR: Backup of VM 101 failed - no space',
    'TASK OK',
);
const line = fc.oneof(randomLine, realLine);
const text = fc
    .tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r\r\n')), { maxLength: 30 }), line, fc.constantFrom('', '\n', '\r\n'))
    .map(([lines, last, eol]) => lines.map(([l, e]) => l + e).join('') + last + eol);

describe('raw text scan equals parsing the split lines', () => {
    it('on the fixture logs, LF and CRLF, with and without the last newline', () => {
        for (const f of fixtures) {
            for (const t of [f, f.replaceAll('\n', '\r\n'), f.replace(/\n$/, ''), `${f}\n`]) {
                sameAsSplit(t);
                sameAsSplit(t, true);
            }
        }
    });

    it('on random log-like texts', () => {
        fc.assert(
            fc.property(text, fc.boolean(), (t, running) => sameAsSplit(t, running)),
            { numRuns: 3000 },
        );
    });

    it('on arbitrary strings', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 200 }), (t) => sameAsSplit(t)),
            { numRuns: 500 },
        );
    });

    it('at the edges: empty, newlines only, no content, prefixes cut at the end', () => {
        for (const t of [
            '',
            '\n',
            '\r',
            '\r\n',
            '\n\n',
            '\r\r\n',
            'no content',
            'no content\n',
            'no content\r\n',
            'no content\n\n',
            'no contents',
            'TASK OK',
            'TASK OK\r',
            'TASK O',
            'INFO:',
            'INFO: ',
            'INFO: Starting Backup of VM ',
            'INFO: Starting Backup of VM 100',
            'INFO: Starting Backup of VM 100 (qemu)\r\nINFO: Finished Backup of VM 100 (00:00:01)',
            'INFO: Starting Backup of VM 100 (lxc)\nINFO: creating Proxmox Backup Server archive \'ct/100/x\'\nINFO: root.pxar: had to backup 1 MiB of 2 MiB\nINFO: x: had to',
            'INFO: Starting Backup of VM 100 (lxc)\nINFO: creating Proxmox Backup Server archive \'ct/100/x\'\nINFO: a\nINFO: b: had to backup 1 KiB of 2 KiB',
            'ERROR: ',
            'WARN: x\rINFO: Starting Backup of VM 100 (qemu)',
        ]) {
            sameAsSplit(t);
            sameAsSplit(t, true);
        }
        expect(parseVzdumpLog('no content\r\n').lineCount).toBe(0);
        expect(parseVzdumpLog('\r\r\n').lineCount).toBe(1);
        expect(parseVzdumpLog('TASK OK\r').taskLine).toBe('OK');
    });

    it('reports line numbers and evidence text of CRLF logs like the API does', () => {
        const log = parseVzdumpLog('INFO: x\r\nINFO: Starting Backup of VM 100 (qemu)\r\n\r\nINFO: Finished Backup of VM 100 (00:00:07)\r\nTASK OK');
        expect(log.lineCount).toBe(5);
        expect(log.guests[0]?.evidence).toEqual([
            { n: 2, text: 'INFO: Starting Backup of VM 100 (qemu)' },
            { n: 4, text: 'INFO: Finished Backup of VM 100 (00:00:07)' },
        ]);
        expect(log.evidence).toEqual([{ n: 5, text: 'TASK OK' }]);
    });
});

/** `text` fed in pieces cut at `cuts` (positions, any order, repeats allowed). */
function streamed(text: string, cuts: number[], running = false) {
    const p = createVzdumpLogParser({ running });
    let from = 0;
    for (const c of [...new Set(cuts.map((x) => x % (text.length + 1)))].sort((a, b) => a - b)) {
        p.feed(text.slice(from, c));
        from = c;
    }
    p.feed(text.slice(from));
    return p.finish();
}

describe('a log fed in pieces parses like the whole text', () => {
    it('on the fixture logs cut every 1, 7, 100 and 4096 characters, LF and CRLF', () => {
        for (const f of fixtures) {
            for (const t of [f, f.replaceAll('\n', '\r\n'), f.replace(/\n$/, '')]) {
                for (const step of [1, 7, 100, 4096]) {
                    const cuts = Array.from({ length: Math.ceil(t.length / step) }, (_, i) => i * step);
                    expect(streamed(t, cuts)).toEqual(parseVzdumpLog(t));
                }
            }
        }
    });

    it('on random log-like texts cut at random places (inside CRLF and prefixes too)', () => {
        fc.assert(
            fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (t, cuts, running) => {
                expect(streamed(t, cuts, running)).toEqual(parseVzdumpLog(t, { running }));
            }),
            { numRuns: 3000 },
        );
    });

    it('at the edges: nothing fed, empty pieces, no content split in two', () => {
        expect(createVzdumpLogParser().finish()).toEqual(parseVzdumpLog(''));
        for (const t of ['', 'no content', 'no content\r\n', 'no content\nTASK OK', 'TASK OK\r', '\n']) {
            for (let c = 0; c <= t.length; c++) expect(streamed(t, [c, c, 0]), JSON.stringify([t, c])).toEqual(parseVzdumpLog(t));
        }
    });
});

describe('the duration of `Finished Backup of VM <id> (H:MM:SS)`', () => {
    /** The regular expression the hand-written reader replaced. */
    function reference(rest: string): number | null {
        const m = /^ \((\d+):(\d{2}):(\d{2})\)/.exec(rest.slice(0, 24));
        return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
    }
    const part = fc.constantFrom(' ', '(', ')', ':', '0', '1', '5', '9', '12', '00', '59', '99', '123456789012', 'a', '٣', '\r');
    const rest = fc.oneof(
        fc.array(part, { maxLength: 12 }).map((p) => p.join('')),
        fc.tuple(fc.nat(), fc.nat(99), fc.nat(99), fc.string({ maxLength: 3 })).map(([h, m, s, tail]) => ` (${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')})${tail}`),
    );

    it('equals the regular expression it replaced', () => {
        fc.assert(
            fc.property(rest, fc.boolean(), (r, crlf) => {
                const text = `INFO: Finished Backup of VM 100${r}${crlf ? '\r\n' : ''}`;
                const line = normalizeLogInput(text).texts[0] as string;
                expect(parseVzdumpLog(text).guests[0]?.durationSeconds ?? null).toBe(reference(line.slice(31)));
            }),
            { numRuns: 2000 },
        );
        for (const r of [' (1:02:03)', ' (0:00:00)', ' (123456789012:59:59)', ' (123456789012345:00:00)', ' (1234567890123456:00:00) x', ' (1:2:03)', ' (1:02:03', ' (:02:03)', ' 1:02:03)', '']) {
            expect(parseVzdumpLog(`INFO: Finished Backup of VM 100${r}`).guests[0]?.durationSeconds).toBe(reference(r));
        }
    });
});
