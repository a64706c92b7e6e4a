// SPDX-License-Identifier: AGPL-3.0-or-later
// No PVE file parser may throw, whatever the file holds.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBool, toInt, toNumber, toStr } from '../../../src/domain/pve/coerce.ts';
import { jobIdFromStateFileName, parseJobState } from '../../../src/domain/pve/job-state.ts';
import { parseJobsCfg } from '../../../src/domain/pve/jobs-cfg.ts';
import { parsePropertyString } from '../../../src/domain/pve/property-string.ts';
import { markPrune, utcTimeParts } from '../../../src/domain/pve/prune.ts';
import { parsePruneOptions } from '../../../src/domain/pve/prune-options.ts';
import { splitShellWords } from '../../../src/domain/pve/shell-words.ts';
import { parseActiveTasks, parseTaskIndex, taskLogPath } from '../../../src/domain/pve/task-index.ts';
import { formatUpid, parseUpid } from '../../../src/domain/pve/upid.ts';
import { parseVmidList } from '../../../src/domain/pve/vmid-list.ts';
import { parseVzdumpArgs } from '../../../src/domain/pve/vzdump-args.ts';
import { parseVzdumpCron } from '../../../src/domain/pve/vzdump-cron.ts';

const dir = resolve(import.meta.dirname, '../../fixtures/pve-files');
const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));

const piece = fc.constantFrom(
    'vzdump: ',
    'realm-sync: ',
    '\tschedule ',
    '\tvmid ',
    '\tprune-backups ',
    '\tenabled ',
    '\texclude ',
    '\tpool ',
    '\tcomment ',
    'keep-last=',
    'keep-all=1',
    ',',
    '=',
    '"',
    "'",
    '%',
    '%C3',
    '#',
    '\n',
    '\r\n',
    ' ',
    '\t',
    '0',
    '1',
    '100',
    '*',
    'root ',
    '#vzdump ',
    'vzdump ',
    '--',
    'UPID:',
    'pve1:',
    '0098F3A1:',
    '6779D993 ',
    '__proto__',
    'constructor',
    'toString',
    '{"state":"stopped"}',
);
const fileLike = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((p) => p.join(''));
const mutatedFile = fc
    .tuple(fc.constantFrom(...files), fc.nat(), fc.nat(), fileLike)
    .map(([text, a, b, insert]) => {
        const i = a % (text.length + 1);
        const j = Math.min(text.length, i + (b % 40));
        return text.slice(0, i) + insert + text.slice(j);
    });
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fileLike, mutatedFile);

describe('PVE file parsers never throw', () => {
    it('on arbitrary and mutated text', () => {
        fc.assert(
            fc.property(anyText, (text) => {
                const jobs = parseJobsCfg(text);
                for (const j of jobs.jobs) expect(typeof j.schedule).toBe('string');
                parseVzdumpCron(text, 'sha');
                parseTaskIndex(text);
                parseActiveTasks(text);
                parseJobState(text, 'j', 'n');
                parsePropertyString(text, 'enabled');
                parsePruneOptions(text);
                parseVmidList(text);
                parseVzdumpArgs(splitShellWords(text));
                jobIdFromStateFileName(text);
                const upid = parseUpid(text);
                if (upid) expect(parseUpid(formatUpid(upid))).not.toBeNull();
                taskLogPath(text);
            }),
            { numRuns: 1500 },
        );
    });

    it('on arbitrary values where text is expected', () => {
        const nasty = fc.dictionary(fc.constantFrom('toString', 'valueOf', '__proto__', 'state', 'keep-last', 'keep-all', 'msg'), fc.anything());
        fc.assert(
            fc.property(fc.oneof(fc.anything(), nasty, nasty.map((o) => JSON.stringify({ state: o, time: o, upid: o }))), (value) => {
                const v = value as string;
                parseJobsCfg(v);
                parseVzdumpCron(v, 'sha');
                parseTaskIndex(v);
                parseActiveTasks(v);
                parseJobState(v, 'j', 'n');
                parsePropertyString(v);
                parsePruneOptions(value);
                parseVmidList(v);
                splitShellWords(v);
                parseUpid(v);
                jobIdFromStateFileName(v);
                toBool(value);
                toInt(value);
                toNumber(value);
                toStr(value);
            }),
            { numRuns: 500 },
        );
    });

    it('prune marks every item exactly once and never removes protected ones', () => {
        const item = fc.record({
            id: fc.string(),
            time: fc.integer({ min: -2_000_000_000, max: 4_000_000_000 }),
            protected: fc.boolean(),
            renamed: fc.boolean(),
        });
        const count = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined });
        const options = fc.record({ keepLast: count, keepHourly: count, keepDaily: count, keepWeekly: count, keepMonthly: count, keepYearly: count });
        fc.assert(
            fc.property(fc.array(item, { maxLength: 60 }), options, (items, opts) => {
                const clean = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
                const marked = markPrune(items, clean, utcTimeParts);
                expect(marked.map((m) => m.item)).toEqual(items);
                for (const { item: it, mark } of marked) {
                    if (it.renamed) expect(mark).toBe('renamed');
                    else if (it.protected) expect(mark).toBe('protected');
                    else expect(['keep', 'remove']).toContain(mark);
                }
            }),
            { numRuns: 500 },
        );
    });
});
