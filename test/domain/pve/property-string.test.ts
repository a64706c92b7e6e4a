// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { setOwn, toBool, toInt, toNumber, toStr } from '../../../src/domain/pve/coerce.ts';
import { formatPropertyString, parsePropertyString } from '../../../src/domain/pve/property-string.ts';
import { formatPruneOptions, keepsEverything, parsePruneOptions } from '../../../src/domain/pve/prune-options.ts';
import { parseVmidList } from '../../../src/domain/pve/vmid-list.ts';

describe('parsePropertyString', () => {
    it('reads key=value parts', () => {
        expect(parsePropertyString('keep-daily=7,keep-last=3')).toEqual({ values: { 'keep-daily': '7', 'keep-last': '3' }, errors: [] });
    });

    it('puts a bare part into the default key (`fleecing 0` means enabled=0)', () => {
        expect(parsePropertyString('0', 'enabled').values).toEqual({ enabled: '0' });
        expect(parsePropertyString('1,storage=local-lvm', 'enabled').values).toEqual({ enabled: '1', storage: 'local-lvm' });
    });

    it('skips blank parts, tolerates spaces, unquotes double quotes', () => {
        expect(parsePropertyString(' keep-daily=7 , ,keep-last=3,').values).toEqual({ 'keep-daily': '7', 'keep-last': '3' });
        expect(parsePropertyString('a="x,y",b="say \\"hi\\""').values).toEqual({ a: 'x,y', b: 'say "hi"' });
    });

    it('reports what PVE refuses', () => {
        expect(parsePropertyString('7').errors).toEqual(["value '7' without key, and this property has no default key"]);
        expect(parsePropertyString('a=1,a=2').errors).toEqual(["duplicate key 'a'"]);
        expect(parsePropertyString('=1,b=').errors).toEqual(["missing key in '=1'", "missing value for 'b'"]);
        expect(parsePropertyString('0,1', 'enabled').errors).toEqual(["duplicate key 'enabled'"]);
    });

    it('prints keys sorted, quoting values with commas', () => {
        expect(formatPropertyString({ 'keep-last': 3, 'keep-daily': 7, x: 'a,b', on: true })).toBe(
            'keep-daily=7,keep-last=3,on=1,x="a,b"',
        );
    });
});

describe('coercion helpers (§0: 1/0, true/false, "7")', () => {
    it.each([
        [1, true],
        [0, false],
        ['1', true],
        ['0', false],
        [true, true],
        [false, false],
        ['true', true],
        ['FALSE', false],
        ['yes', true],
        ['off', false],
        [2, null],
        ['maybe', null],
        [null, null],
        [undefined, null],
        [{}, null],
    ])('toBool(%j) = %j', (value, expected) => {
        expect(toBool(value)).toBe(expected);
    });

    it.each([
        [7, 7],
        ['7', 7],
        [' 7 ', 7],
        ['-1', -1],
        ['+3', 3],
        [7.5, null],
        ['7.5', null],
        ['0x10', null],
        ['', null],
        [Number.NaN, null],
        [true, null],
    ])('toInt(%j) = %j', (value, expected) => {
        expect(toInt(value)).toBe(expected);
    });

    it('toNumber and toStr', () => {
        expect(toNumber('1.5')).toBe(1.5);
        expect(toNumber('1e3')).toBe(1000);
        expect(toNumber('abc')).toBeNull();
        expect(toNumber(Number.POSITIVE_INFINITY)).toBeNull();
        expect(toStr(100)).toBe('100');
        expect(toStr('x')).toBe('x');
        expect(toStr(null)).toBeNull();
    });

    it('setOwn never touches the prototype', () => {
        const o: Record<string, string> = {};
        setOwn(o, '__proto__', 'x');
        expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
        expect(Object.keys(o)).toEqual(['__proto__']);
    });
});

describe('parseVmidList', () => {
    it('accepts PVE separators and drops duplicates', () => {
        expect(parseVmidList('100,101')).toEqual({ vmids: [100, 101], errors: [] });
        expect(parseVmidList(' 100 101;102,,100 ')).toEqual({ vmids: [100, 101, 102], errors: [] });
        expect(parseVmidList('100\u0000101')).toEqual({ vmids: [100, 101], errors: [] });
        expect(parseVmidList('')).toEqual({ vmids: [], errors: [] });
    });

    it('reports ids outside 100..999999999', () => {
        expect(parseVmidList('99,100,abc,1000000000')).toEqual({
            vmids: [100],
            errors: ["invalid guest id '99'", "invalid guest id 'abc'", "invalid guest id '1000000000'"],
        });
    });
});

describe('parsePruneOptions', () => {
    it('reads the property string and the API object with string values', () => {
        expect(parsePruneOptions('keep-daily=7,keep-last=3')).toEqual({ prune: { keepDaily: 7, keepLast: 3 }, errors: [] });
        expect(parsePruneOptions({ 'keep-weekly': '4', 'keep-all': 0 })).toEqual({ prune: { keepWeekly: 4, keepAll: false }, errors: [] });
        expect(parsePruneOptions('keep-all=1')).toEqual({ prune: { keepAll: true }, errors: [] });
    });

    it('is null for absent input and reports bad input', () => {
        expect(parsePruneOptions(undefined)).toEqual({ prune: null, errors: [] });
        expect(parsePruneOptions('')).toEqual({ prune: null, errors: [] });
        expect(parsePruneOptions('keep-daily=-1,keep-often=2,keep-last=x').errors).toEqual([
            "invalid value for 'keep-daily': '-1'",
            "unknown retention option 'keep-often'",
            "invalid value for 'keep-last': 'x'",
        ]);
        expect(parsePruneOptions(42).errors).toHaveLength(1);
        expect(parsePruneOptions({ 'keep-last': { toString: 0 } }).errors).toEqual(["invalid value for 'keep-last': 'a value of type object'"]);
        expect(parsePruneOptions('keep-all=1,keep-last=2')).toEqual({
            prune: { keepAll: true, keepLast: 2 },
            errors: ['keep-all cannot be set together with other options.'],
        });
    });

    it('knows when everything is kept (§8.2 step 2) and prints like PVE', () => {
        expect(keepsEverything({ keepAll: true })).toBe(true);
        expect(keepsEverything({ keepDaily: 0 })).toBe(true);
        expect(keepsEverything(null)).toBe(true);
        expect(keepsEverything({ keepLast: 1 })).toBe(false);
        expect(formatPruneOptions({ keepLast: 3, keepDaily: 7, keepWeekly: 0 })).toBe('keep-daily=7,keep-last=3');
    });
});
