// SPDX-License-Identifier: AGPL-3.0-or-later
// The archive use case over the real adapters on a fake clock: retention across days (never the
// newest verified archive), schedule, task API with progress, name validation, health problems.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalHostFs } from '../../src/adapters/archive/local-fs.ts';
import { createArchiveStore } from '../../src/adapters/archive/store.ts';
import type { ArchiveStore } from '../../src/app/archive-ports.ts';
import { ArchiveService } from '../../src/app/archives.ts';
import { ServiceError } from '../../src/app/daemon-api.ts';
import type { ArchiveSettings } from '../../src/domain/archive/settings.ts';
import { parseRfc3339 } from '../../src/domain/time/rfc3339.ts';
import { cleanTemps, makeRoot, settings, tempDir } from './helpers.ts';

afterAll(cleanTemps);

const at = (s: string): number => parseRfc3339(s) as number;

function setup(extra: Partial<ArchiveSettings> = {}, failVerify: (name: string) => boolean = () => false) {
    const root = makeRoot(10);
    const out = tempDir();
    const real = createArchiveStore({ dir: out });
    // A store whose verification reports corruption for chosen archives (as a bad disk would).
    const store: ArchiveStore = {
        ...real,
        verify: async (ref, options) => (failVerify(ref) ? { ok: false, method: 'members', checked: 0, errors: [`${ref}: corrupt gzip data`] } : real.verify(ref, options)),
    };
    const clock = { t: at('2026-03-01T00:30:00Z'), now: () => clock.t };
    const svc = new ArchiveService({
        store,
        hosts: { local: (r) => createLocalHostFs({ root: r ?? '/' }), remote: () => Promise.reject(new Error('unused')) },
        clock,
        settings: settings(out, extra),
        timeZone: 'Europe/Berlin',
        tool: 'pve-backup-health test',
        sourceRoot: root,
    });
    return { svc, clock, out, root };
}

const names = (out: string): string[] => readdirSync(out).filter((n) => n.endsWith('.tar.gz')).sort();

describe('archive cycle', () => {
    it('applies keep-last across days and never removes the newest verified archive', async () => {
        const failing = new Set<string>();
        const { svc, clock, out } = setup({ retention: { keepLast: 2 } }, (n) => failing.has(n));
        const day = (d: number): string => `pve1-pve-config-202603${String(d).padStart(2, '0')}T003000Z.tar.gz`;
        for (let d = 1; d <= 3; d++) {
            clock.t = at(`2026-03-0${d}T00:30:00Z`);
            expect((await svc.runArchiveCycle()).ok).toBe(true);
        }
        expect(names(out)).toEqual([day(2), day(3)]);

        failing.add(day(4)).add(day(5));
        clock.t = at('2026-03-04T00:30:00Z');
        const fourth = await svc.runArchiveCycle();
        expect(fourth).toMatchObject({ ok: false, created: [day(4)], removed: [day(2)] });
        expect(fourth.errors).toEqual([`local: verification failed: ${day(4)}: corrupt gzip data`]);
        clock.t = at('2026-03-05T00:30:00Z');
        await svc.runArchiveCycle();
        // keep-last=2 keeps days 4 and 5 (both failed verification); day 3 is the newest verified.
        expect(names(out)).toEqual([day(3), day(4), day(5)]);

        const problems = await svc.problems();
        expect(problems.map((p) => [p.code, p.severity])).toEqual([
            ['config-archive-failed', 'critical'],
            ['config-archive-stale', 'warning'],
        ]);
        expect(problems[1]?.message).toMatch(/^pve1: the newest verified configuration archive is 48 h old/);
        const listed = await svc.list();
        expect(listed.archives.map((a) => [a.name, a.verified?.ok])).toEqual([
            [day(5), false],
            [day(4), false],
            [day(3), true],
        ]);
        expect(listed.lastRun).toMatchObject({ ok: false, name: day(5) });
    });

    it('is due at once, then at the next 01:30 in the node time zone', async () => {
        const { svc, clock } = setup();
        expect(await svc.due()).toBe(true);
        await svc.runArchiveCycle();
        expect(await svc.due()).toBe(false);
        // 01:30 Berlin = 00:30 UTC in March.
        expect((await svc.list()).nextRun).toBe(at('2026-03-02T00:30:00Z'));
        clock.t = at('2026-03-02T00:29:59Z');
        expect(await svc.due()).toBe(false);
        clock.t = at('2026-03-02T00:30:00Z');
        expect(await svc.due()).toBe(true);
    });

    it('does nothing and reports nothing when disabled', async () => {
        const { svc } = setup({ enabled: false });
        expect(await svc.due()).toBe(false);
        expect(await svc.problems()).toEqual([]);
    });

    it('removes temp files an interrupted run left behind', async () => {
        const { svc, out } = setup();
        writeFileSync(join(out, '.pve1-pve-config-20260101T000000Z.tar.gz.999999999.partial'), 'half an archive');
        await svc.runArchiveCycle();
        expect(readdirSync(out).filter((n) => n.endsWith('.partial'))).toEqual([]);
    });
});

describe('archive API', () => {
    it('runs a create task with progress to done; a second request joins it', async () => {
        const { svc } = setup();
        const task = svc.create('root@pam');
        expect(task).toMatchObject({ state: 'running', message: 'started by root@pam' });
        expect(svc.create('admin@pve').id).toBe(task.id);
        let seen = svc.task(task.id);
        for (let i = 0; i < 500 && seen.state === 'running'; i++) {
            await new Promise((r) => setTimeout(r, 10));
            seen = svc.task(task.id);
        }
        expect(seen).toMatchObject({ state: 'done', progress: 1, name: 'pve1-pve-config-20260301T003000Z.tar.gz' });
        expect(() => svc.task('nope')).toThrow(ServiceError);
    });

    it('serves manifest, download, verify and diff by validated names only', async () => {
        const { svc, clock, out, root } = setup();
        await svc.runArchiveCycle();
        const vm = join(root, 'etc/pve/nodes/pve1/qemu-server/100.conf');
        writeFileSync(vm, readFileSync(vm, 'utf8').replace('cores: 2', 'cores: 4'));
        clock.t += 86_400;
        await svc.runArchiveCycle();
        const [b, a] = (await svc.list()).archives.map((x) => x.name) as [string, string];

        expect((await svc.manifest(a)).manifest).toMatchObject({ node: 'pve1', cluster: 'homelab' });
        const file = await svc.download(a);
        const chunks: Buffer[] = [];
        for await (const c of file.stream as AsyncIterable<Buffer>) chunks.push(c);
        expect(Buffer.concat(chunks)).toEqual(readFileSync(join(out, a)));
        expect(file.size).toBe(Buffer.concat(chunks).length);
        expect(await svc.verify(a)).toEqual({ ok: true, checked: expect.any(Number), errors: [] });
        const d = await svc.diff(a, b);
        expect(d).toMatchObject({ a, b, added: [], removed: [] });
        expect(d.changed.map((c) => c.summary)).toContain('qemu-server/100.conf: cores 2 → 4');

        for (const bad of ['../../etc/shadow', '/etc/pve/priv/token.cfg', 'pve1-pve-config-20260301T003000Z.tar.gz/../x', '.pve1-pve-config-20260301T003000Z.tar.gz.1.partial']) {
            await expect(svc.manifest(bad)).rejects.toMatchObject({ status: 400 });
            await expect(svc.download(bad)).rejects.toMatchObject({ status: 400 });
        }
        await expect(svc.verify('pve9-pve-config-20260301T003000Z.tar.gz')).rejects.toMatchObject({ status: 404 });
    });
});
