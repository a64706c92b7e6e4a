// SPDX-License-Identifier: AGPL-3.0-or-later
// Pure archive rules: names, selection, settings, retention, schedule/staleness, paths, guide.
import { describe, expect, it } from 'vitest';
import { globBase, matchGlob } from '../../src/domain/archive/glob.ts';
import { archiveDefect, archiveDue, archiveProblems, nextArchiveRun } from '../../src/domain/archive/health.ts';
import { parseCorosyncConf, parsePveVersion, versionFacts } from '../../src/domain/archive/host-facts.ts';
import { validateManifest } from '../../src/domain/archive/manifest.ts';
import { formatArchiveName, isArchiveFileName, parseArchiveName, parsePartialName, partialName } from '../../src/domain/archive/name.ts';
import { checkMemberPath, checkRestoreTarget } from '../../src/domain/archive/paths.ts';
import { restoreGuide } from '../../src/domain/archive/restore-guide.ts';
import { planRetention } from '../../src/domain/archive/retention.ts';
import { buildSelection, hookScripts } from '../../src/domain/archive/selection.ts';
import { validateArchiveSettings } from '../../src/domain/archive/settings.ts';
import type { ArchiveManifest } from '../../src/domain/archive/types.ts';
import { parseRfc3339 } from '../../src/domain/time/rfc3339.ts';

const t = (s: string): number => parseRfc3339(s) as number;

describe('archive names', () => {
    it('round-trips node, UTC time and encryption; anchors the node name', () => {
        const name = formatArchiveName('pve-2', t('2026-11-21T01:30:05Z'), false);
        expect(name).toBe('pve-2-pve-config-20261121T013005Z.tar.gz');
        expect(parseArchiveName(name)).toEqual({ node: 'pve-2', createdAt: t('2026-11-21T01:30:05Z'), encrypted: false });
        expect(parseArchiveName('pve-pve-config-20261121T013005Z.tar.gz.age')).toMatchObject({ node: 'pve', encrypted: true });
        expect(parseArchiveName('pve2-pve-config-20261121T013005Z.tar.gz')?.node).toBe('pve2');
    });

    it('rejects partials, traversal, bad dates and bad node names', () => {
        for (const bad of ['.pve1-pve-config-20261121T013005Z.tar.gz.123.partial', '../pve1-pve-config-20261121T013005Z.tar.gz', 'pve1-pve-config-20261131T013005Z.tar.gz', 'pve1-pve-config-20261121T013060Z.tar.gz', '-x-pve-config-20261121T013005Z.tar.gz', 'pve1-pve-config-20261121T013005Z.tar']) {
            expect(parseArchiveName(bad), bad).toBeNull();
        }
        expect(() => formatArchiveName('bad/name', 0, false)).toThrow(/invalid node name/);
        expect(isArchiveFileName('copy.tar.gz')).toBe(true);
        expect(isArchiveFileName('.x.tar.gz')).toBe(false);
        expect(parsePartialName(partialName('a.tar.gz', 4242))).toEqual({ writerId: 4242 });
        expect(parsePartialName('.a.tar.gz.77.config-db.partial')).toEqual({ writerId: 77 });
    });
});

describe('file selection', () => {
    it('globs: * within a segment, ** across, plain paths cover their subtree', () => {
        expect(matchGlob('/etc/modprobe.d/*.conf', '/etc/modprobe.d/zfs.conf')).toBe(true);
        expect(matchGlob('/etc/*.conf', '/etc/a/b.conf')).toBe(false);
        expect(matchGlob('/etc/**/*.conf', '/etc/a/b/c.conf')).toBe(true);
        expect(matchGlob('/etc/ssh', '/etc/ssh/sshd_config')).toBe(true);
        expect(matchGlob('/etc/ssh', '/etc/sshd')).toBe(false);
        expect(globBase('/usr/local/lib/systemd/network/*.link')).toBe('/usr/local/lib/systemd/network');
    });

    it('always excludes the pmxcfs dot-files and the live database files; user excludes name their pattern', () => {
        const s = buildSelection(['/opt/tools'], ['/etc/ssh/ssh_host_*_key']);
        expect(s.sources).toContain('/etc/pve');
        expect(s.sources).toContain('/opt/tools');
        expect(s.excluded('/etc/pve/.members')).toBe('pmxcfs virtual file');
        expect(s.excluded('/etc/pve/nodes/pve1/.hidden')).toBeNull();
        expect(s.excluded('/var/lib/pve-cluster/config.db-wal')).toMatch(/sqlite3 VACUUM INTO/);
        expect(s.excluded('/etc/ssh/ssh_host_rsa_key')).toBe("excluded by '/etc/ssh/ssh_host_*_key'");
        expect(s.excluded('/etc/ssh/ssh_host_rsa_key.pub')).toBeNull();
    });

    it('finds hook scripts in vzdump.conf, jobs.cfg and vzdump.cron', () => {
        expect(
            hookScripts({
                vzdumpConf: '# x\nscript: /usr/local/bin/hook.sh\n',
                jobsCfg: 'vzdump: a\n\tschedule 01:00\n\tscript /opt/job-hook.sh\n',
                vzdumpCron: '0 1 * * * root vzdump 100 --script /usr/local/bin/hook.sh --quiet 1\n0 2 * * * root vzdump --script=relative.sh',
            }),
        ).toEqual(['/usr/local/bin/hook.sh', '/opt/job-hook.sh']);
    });
});

describe('host facts', () => {
    it('reads the cluster name and members from corosync.conf', () => {
        expect(parseCorosyncConf('nodelist {\n node {\n  name: a\n }\n node {\n  name: b\n }\n}\ntotem {\n cluster_name: c1\n}\n')).toEqual({ cluster: 'c1', nodes: ['a', 'b'] });
        expect(parseCorosyncConf(null)).toEqual({ cluster: null, nodes: [] });
    });

    it('prefers pveversion -v, falls back to dpkg, never fails', () => {
        const v = parsePveVersion('proxmox-ve: 8.2.0 (running kernel: 6.8.4-2-pve)\npve-manager: 8.2.4 (running version: 8.2.4/faa83925)\nqemu-server: 8.2.1\n');
        expect(v).toMatchObject({ pveVersion: '8.2.4', versionSource: 'pveversion' });
        expect(v?.packages['qemu-server']).toBe('8.2.1');
        expect(versionFacts({ pveversion: 'garbage', dpkgStatus: null, hasPveManagerDir: true })).toEqual({ pveVersion: 'unknown', packages: {}, versionSource: 'pve-manager' });
        expect(versionFacts({ pveversion: null, dpkgStatus: '\u0000\n\n', hasPveManagerDir: false }).versionSource).toBe('unknown');
    });
});

describe('archive settings validator', () => {
    it('fills defaults (daily 01:30, default directory, retention)', () => {
        const { settings, errors } = validateArchiveSettings(undefined);
        expect(errors).toEqual([]);
        expect(settings).toMatchObject({ enabled: true, schedule: '01:30', outputDir: '/var/lib/pve-backup-health/archives', push: [], pull: [] });
        expect(settings.retention).toEqual({ keepDaily: 14, keepWeekly: 8, keepMonthly: 12 });
    });

    it('accepts a full valid section (camelCase or PVE retention keys)', () => {
        const { settings, errors } = validateArchiveSettings({
            schedule: 'sun 03:00',
            outputDir: '/srv/archives',
            retention: { keepLast: 3, 'keep-weekly': 2 },
            include: ['/opt/scripts'],
            exclude: ['/etc/ssh/moduli'],
            encryption: { recipients: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'] },
            push: [{ name: 'nas', host: '10.0.0.5', path: '/backup/pve', hostKey: `SHA256:${'A'.repeat(43)}` }],
            pull: [{ name: 'pve2', host: 'pve2.example.com', port: 2222, user: 'root', hostKey: `SHA256:${'b'.repeat(43)}`, keyFile: '/root/.ssh/id_ed25519' }],
        });
        expect(errors).toEqual([]);
        expect(settings.retention).toEqual({ keepLast: 3, keepWeekly: 2 });
        expect(settings.push[0]).toEqual({ name: 'nas', host: '10.0.0.5', port: 22, user: 'root', hostKey: `SHA256:${'A'.repeat(43)}`, path: '/backup/pve' });
        expect(settings.pull[0]).toMatchObject({ port: 2222, keyFile: '/root/.ssh/id_ed25519' });
    });

    it('names every field at fault', () => {
        const { errors } = validateArchiveSettings({
            schedule: 'every tuesday',
            outputDir: '/etc/pve/archives',
            retention: { keepDaily: -1 },
            include: ['relative/path', '/etc/../root'],
            encryption: { recipients: ['AGE-SECRET-KEY-1QQQ'] },
            push: [{ name: 'nas', host: 'h', path: 'backup', hostKey: 'ab:cd' }],
            pull: [{ name: 'nas', host: 'h', hostKey: `SHA256:${'A'.repeat(43)}` }],
            colour: 'blue',
        });
        const text = errors.join('\n');
        for (const field of ['archive.schedule', 'archive.outputDir', 'archive.retention', 'archive.include[0]', 'archive.include[1]', 'archive.encryption.recipients[0]', 'archive.push[0].hostKey', 'archive.push[0].path', 'archive.pull[0].name', 'archive.colour']) {
            expect(text).toContain(field);
        }
    });
});

describe('retention', () => {
    const day = (d: number, h = 1): number => t(`2026-03-${String(d).padStart(2, '0')}T0${h}:30:00Z`);
    const item = (node: string, time: number, verifiedOk = true) => ({ name: formatArchiveName(node, time, false), node, createdAt: time, verifiedOk });

    it("applies PVE's keep-* per node (newest per period)", () => {
        const items = [item('pve1', day(1)), item('pve1', day(2)), item('pve1', day(2, 5)), item('pve1', day(3)), item('pve2', day(1)), item('pve2', day(3))];
        const plan = planRetention(items, { keepDaily: 2 }, 'UTC');
        expect(plan.keep).toEqual([item('pve1', day(2, 5)).name, item('pve1', day(3)).name, item('pve2', day(1)).name, item('pve2', day(3)).name].sort());
        expect(plan.remove).toEqual([item('pve1', day(1)).name, item('pve1', day(2)).name].sort());
    });

    it('never removes the newest verified archive, even when newer ones failed verification', () => {
        const good = item('pve1', day(1));
        const items = [good, item('pve1', day(2), false), item('pve1', day(3), false)];
        const plan = planRetention(items, { keepLast: 1 }, 'UTC');
        expect(plan.keep).toContain(good.name);
        expect(plan.newestVerified).toEqual({ pve1: good.name });
        expect(plan.remove).toEqual([item('pve1', day(2)).name]);
    });

    it('removes nothing of a node without any verified archive', () => {
        const plan = planRetention([item('pve1', day(1), false), item('pve1', day(2), false)], { keepLast: 1 }, 'UTC');
        expect(plan.remove).toEqual([]);
        expect(plan.unverifiedNodes).toEqual(['pve1']);
    });

    it('counts periods in the node time zone', () => {
        // 23:30 UTC on the 1st is already the 2nd in Berlin: same local day as 10:00 UTC on the 2nd.
        const a = item('pve1', t('2026-03-01T23:30:00Z'));
        const b = item('pve1', t('2026-03-02T10:00:00Z'));
        expect(planRetention([a, b], { keepDaily: 5 }, 'UTC').remove).toEqual([]);
        expect(planRetention([a, b], { keepDaily: 5 }, 'Europe/Berlin').remove).toEqual([a.name]);
    });
});

describe('schedule and staleness', () => {
    it('is due at once without a previous run, then at the next calendar event', () => {
        const last = t('2026-11-20T01:30:00Z');
        expect(nextArchiveRun(undefined, '01:30', 100, 'UTC')).toBe(100);
        expect(nextArchiveRun(last, '01:30', last, 'UTC')).toBe(t('2026-11-21T01:30:00Z'));
        expect(archiveDue(last, '01:30', t('2026-11-21T01:29:59Z'), 'UTC')).toBe(false);
        expect(archiveDue(last, '01:30', t('2026-11-21T01:30:00Z'), 'UTC')).toBe(true);
        expect(nextArchiveRun(last, '01:30', last, 'Europe/Vienna')).toBe(t('2026-11-21T00:30:00Z'));
    });

    it('raises config-archive-failed (critical) and config-archive-stale (warning)', () => {
        const now = t('2026-11-21T12:00:00Z');
        const ctx = { schedule: '01:30', now, timeZone: 'UTC', graceMinutes: 120 };
        expect(archiveProblems([{ source: 'local', node: 'pve1', lastRun: { at: now - 3600, ok: true }, newestGood: now - 3600 }], ctx)).toEqual([]);
        const failed = archiveProblems([{ source: 'local', node: 'pve1', lastRun: { at: now - 3600, ok: false, error: 'disk full (ENOSPC)' }, newestGood: now - 3 * 86400 }], ctx);
        expect(failed.map((p) => [p.code, p.severity, p.node])).toEqual([
            ['config-archive-failed', 'critical', 'pve1'],
            ['config-archive-stale', 'warning', 'pve1'],
        ]);
        expect(failed[0]?.message).toContain('disk full (ENOSPC)');
        expect(failed[1]?.message).toMatch(/3 days old/);
        // Interval 1 day + 2 h grace: 25 h old is fine, 27 h is stale.
        expect(archiveProblems([{ source: 'local', newestGood: now - 25 * 3600 }], ctx)).toEqual([]);
        expect(archiveProblems([{ source: 'local', newestGood: now - 27 * 3600 }], ctx)[0]?.code).toBe('config-archive-stale');
        expect(archiveProblems([{ source: 'pve2-pull', node: 'pve2' }], ctx)[0]?.message).toBe("pve2 (pull 'pve2-pull'): no verified configuration archive exists");
    });
});

const manifest = (over: Partial<ArchiveManifest> = {}): ArchiveManifest => ({
    format: 1,
    tool: 'pve-backup-health test',
    node: 'pve1',
    cluster: null,
    clusterNodes: [],
    createdAt: 0,
    source: '/',
    pveVersion: '8.2.4',
    packages: {},
    versionSource: 'dpkg',
    configDb: { member: 'var/lib/pve-cluster/config.db', method: 'sqlite3 .backup', integrity: 'ok' },
    files: [{ path: 'etc/ssh', type: 'dir', size: 0, mode: '0755', uid: 0, gid: 0, owner: 'root:root', mtime: 0 }],
    skipped: [],
    warnings: [],
    ...over,
});

describe('paths, manifests and the restore guide', () => {
    it('refuses dangerous members and restore targets', () => {
        expect(checkMemberPath('etc/pve/user.cfg')).toBeNull();
        expect(checkMemberPath('/etc/passwd')).toMatch(/absolute/);
        expect(checkMemberPath('etc/../../x')).toMatch(/'\.\.'/);
        expect(checkMemberPath('a//b')).toMatch(/normalized/);
        for (const bad of ['/', '/etc', '/etc/pve', '/etc/pve/nodes', '/etc//pve/', '/tmp/../etc', '/var/lib/pve-cluster']) expect(checkRestoreTarget(bad), bad).not.toBeNull();
        expect(checkRestoreTarget('relative')).toMatch(/absolute/);
        expect(checkRestoreTarget('/root/pve-restore')).toBeNull();
        expect(checkRestoreTarget('/etcetera')).toBeNull();
    });

    it('validates manifests with messages naming the field', () => {
        expect(validateManifest(manifest()).ok).toBe(true);
        const bad = validateManifest({ ...manifest(), files: [{ path: '../x', type: 'file', size: 1, mode: '644', uid: 0, gid: 0, owner: 'r', mtime: 0 }] });
        expect(bad.ok).toBe(false);
        if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/files\[0\]\.path.*'\.\.'[\s\S]*files\[0\]\.mode[\s\S]*files\[0\]\.sha256/);
    });

    it('flags a config.db that could not be copied or is damaged', () => {
        expect(archiveDefect(manifest())).toBeNull();
        expect(archiveDefect(manifest({ configDb: { member: 'x', method: 'sqlite3 .backup', integrity: '*** in database main ***' } }))).toMatch(/integrity/);
        expect(archiveDefect(manifest({ configDb: null, skipped: [{ path: '/var/lib/pve-cluster/config.db', reason: 'unreadable', detail: 'sqlite3 not found' }] }))).toBe('config.db could not be backed up: sqlite3 not found');
    });

    it('guides a single node through the documented config.db recovery', () => {
        const g = restoreGuide(manifest(), '/root/restore/');
        expect(g).toContain("(single node)");
        expect(g).toMatch(/1\. Stop .*systemctl stop pve-cluster/);
        expect(g).toContain('cp /root/restore/var/lib/pve-cluster/config.db /var/lib/pve-cluster/config.db && chmod 0600');
        expect(g).toMatch(/\/etc\/hostname.*'pve1'.*\/etc\/hosts/);
        expect(g).toMatch(/SSH host keys/);
        expect(g).toMatch(/\d+\. Reboot/);
    });

    it('guides a cluster member to re-join instead of restoring config.db', () => {
        const g = restoreGuide(manifest({ cluster: 'homelab', clusterNodes: ['pve1', 'pve2'] }), '/root/r');
        expect(g).toContain("cluster 'homelab'");
        expect(g).toContain('must NOT be put into a live cluster');
        expect(g).toContain("pvecm delnode pve1");
        expect(g).toContain('/root/r/etc/corosync/authkey');
        expect(g).toMatch(/\d+\. Join the cluster: 'pvecm add/);
    });
});
