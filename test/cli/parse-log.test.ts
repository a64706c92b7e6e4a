// SPDX-License-Identifier: AGPL-3.0-or-later
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.ts';
import { parseLogCommand } from '../../src/cli/commands/parse-log.ts';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/vzdump-logs', name);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await parseLogCommand.run({
        args,
        out: (t) => {
            out += t;
        },
        err: (t) => {
            err += t;
        },
        env: {},
        now: () => 1_736_100_000,
    });
    return { code, out, err };
}

describe('parse-log command', () => {
    it('prints one JSON object for one file, with outcome and the guest contract fields', async () => {
        const r = await run([fixture('b-guest-failed.log'), '--json']);
        expect(r.code).toBe(0);
        expect(r.err).toBe('');
        const doc = JSON.parse(r.out);
        expect(Array.isArray(doc)).toBe(false);
        expect(doc.outcome).toBe('guest-failures');
        expect(doc.file).toBe(fixture('b-guest-failed.log'));
        expect(doc.guests.map((g: Record<string, unknown>) => [g.vmid, g.type, g.name, g.status, g.error, g.durationSeconds, g.sizeBytes])).toEqual([
            [100, null, null, 'skipped', null, null, null],
            [101, null, null, 'skipped', null, null, null],
            [200, 'qemu', 'db01', 'ok', null, 9, 2254857830],
            [201, 'lxc', null, 'failed', 'CT is locked (snapshot)', null, null],
        ]);
    });

    it('prints one JSON array for several files, per-guest logs included', async () => {
        const r = await run(['--json', fixture('a-success.log'), fixture('d-job-failed.log'), fixture('o-guest-qemu-100.log')]);
        const docs = JSON.parse(r.out);
        expect(docs.map((d: Record<string, unknown>) => [d.format, d.outcome, d.jobError])).toEqual([
            ['task-log', 'ok', null],
            ['task-log', 'job-failed', "could not activate storage 'nfs-backup': storage 'nfs-backup' is not online"],
            ['guest-log', 'ok', null],
        ]);
        for (const d of docs) {
            for (const g of d.guests) {
                for (const key of ['vmid', 'type', 'name', 'status', 'error', 'durationSeconds', 'sizeBytes']) expect(g).toHaveProperty(key);
            }
        }
    });

    it('honours --running for logs without TASK line', async () => {
        const r = await run([fixture('k-truncated.log'), '--json', '--running']);
        expect(JSON.parse(r.out).outcome).toBe('running');
    });

    it('prints an aligned table per file without --json', async () => {
        const r = await run([fixture('a-success.log'), fixture('c-interrupted.log')]);
        expect(r.code).toBe(0);
        expect(r.out).toBe(
            [
                'a-success.log: ok (TASK OK)',
                '  VMID  NAME   TYPE  STATUS  DURATION  SIZE      ERROR',
                '  100   web01  qemu  ok      00:01:36  4.18 GiB',
                '  101   dns01  lxc   ok      00:00:19  512 MiB',
                '',
                'c-interrupted.log: interrupted (TASK ERROR: interrupted by signal)',
                '  job error: interrupted by signal',
                '  VMID  NAME   TYPE  STATUS   DURATION  SIZE  ERROR',
                '  300   app01  qemu  failed   -         -     interrupted by signal',
                '  301   -      -     aborted  -         -',
                '',
            ].join('\n'),
        );
    });

    it('says when a log names no guests', async () => {
        const r = await run([fixture('f-lock-timeout.log')]);
        expect(r.out).toContain("f-lock-timeout.log: unexpected (no TASK line)\n  job error: can't acquire lock");
        expect(r.out).toContain('no guests in this log');
    });

    it('exits 2 naming the file it cannot read, printing nothing else', async () => {
        const missing = fixture('does-not-exist.log');
        const r = await run([fixture('a-success.log'), missing, '--json']);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toContain(`cannot read '${missing}'`);
        expect(r.err).toContain('ENOENT');
    });

    it('rejects missing files and unknown options as usage errors', async () => {
        await expect(run([])).rejects.toBeInstanceOf(UsageError);
        await expect(run(['--bogus', fixture('a-success.log')])).rejects.toBeInstanceOf(UsageError);
    });
});
