// SPDX-License-Identifier: AGPL-3.0-or-later
// The .deb's whole life in a Debian chroot with Debian's own nodejs and a stand-in pve-manager:
// install → reinstall → pve-manager upgrade (trigger) → remove → purge, then the odd states a
// PVE host can be in (no quorum, another node still has it, pmxcfs not mounted, template gone).
// Opt-in (`make test-package`, root, debootstrap); the base chroot is cached under .cache/.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTag, inspect } from '../../packaging/template-tag.ts';
import { type Chroot, host, missingPrerequisite, prepareChroot } from './chroot.ts';
import { buildPveManager, installStubs, setPmxcfs, stubTemplate, takeLog } from './pve-stubs.ts';

const repo = join(import.meta.dirname, '../..');
const cache = join(repo, '.cache');
const work = join(cache, 'package-test');
const enabled = process.env.PBH_PACKAGE_TEST === '1';
const missing = enabled ? missingPrerequisite() : 'opt-in: make test-package (PBH_PACKAGE_TEST=1)';
if (enabled && missing) console.warn(`package test SKIPPED: ${missing}`);

const version = /\(([^)]+)\)/.exec(readFileSync(join(repo, 'debian/changelog'), 'utf8'))?.[1] ?? '?';
const DEB = '/tmp/debs/pve-backup-health.deb';
const TEMPLATE = '/usr/share/pve-manager/index.html.tpl';
const USER = 'backup-health@pve';

/** Per suite: the Node major Debian ships, and the pve-manager versions of that PVE release. */
const SUITES: Record<string, { node: number; pve: [string, string] }> = {
    bookworm: { node: 18, pve: ['8.0.4', '8.1.10'] },
    trixie: { node: 20, pve: ['9.0.3', '9.1.1'] },
};
const suites = (process.env.PBH_PACKAGE_SUITES ?? 'bookworm trixie').split(/\s+/).filter((s) => s in SUITES);

let debDir = '';
beforeAll(() => {
    if (missing) return;
    mkdirSync(work, { recursive: true });
    debDir = join(work, 'deb');
    // The real `make deb` (lintian included). Until plugin/ builds the GUI bundle, a test build
    // may carry a placeholder panel; `make deb` alone refuses that.
    const env = { ...process.env, ...(existsSync(join(repo, 'dist/pve-backup-health-ui.js')) ? {} : { PBH_UI_PLACEHOLDER: '1' }) };
    host('make', ['-C', repo, 'deb', `BUILDDIR=${debDir}`], { env, log: join(work, 'build.log') });
}, 600_000);

it('has what it needs where it must run (CI)', () => {
    if (enabled && process.env.CI) expect(missing).toBeUndefined();
});

for (const suite of suites) {
    const { node, pve } = SUITES[suite]!;
    describe.skipIf(missing !== undefined).sequential(`package lifecycle on Debian ${suite}`, { timeout: 180_000 }, () => {
        let c: Chroot;
        const tagOnce = () => {
            const state = inspect(c.read(TEMPLATE));
            expect(state.count).toBe(1);
            expect(state.versions).toEqual([version]);
        };
        const dpkg = (...args: string[]) => {
            const r = c.run(['dpkg', ...args]);
            expect(r.code, `dpkg ${args.join(' ')}\n${r.out}${r.err}`).toBe(0);
            return `${r.out}${r.err}`;
        };
        const status = () => c.sh('dpkg-query -s pve-backup-health 2>/dev/null | sed -n "s/^Status: //p"').out.trim();

        beforeAll(() => {
            const log = join(work, `chroot-${suite}.log`);
            rmSync(log, { force: true });
            c = prepareChroot({ suite, cacheDir: cache, workDir: work, nodeName: 'pve1', log });
            installStubs(c);
            mkdirSync(c.path('tmp/debs'), { recursive: true });
            copyFileSync(join(debDir, `pve-backup-health_${version}_all.deb`), c.path(DEB));
            for (const v of pve) copyFileSync(buildPveManager(work, v), c.path(`tmp/debs/pve-manager_${v}.deb`));
            copyFileSync(join(repo, 'demo/demo-cluster.json'), c.path('tmp/demo.json'));
            dpkg('-i', `/tmp/debs/pve-manager_${pve[0]}.deb`);
            takeLog(c);
        }, 900_000);
        afterAll(() => c?.remove());

        it('install: tag once, service enabled and started, token created once, pve-api-updates fired', () => {
            const out = dpkg('-i', DEB);
            expect(out).toMatch(`GUI panel ${version} added to ${TEMPLATE}`);
            expect(c.read(TEMPLATE)).toBe(applyTag(stubTemplate(pve[0]), version).text);
            for (const f of ['/usr/bin/pve-backup-health', '/usr/lib/pve-backup-health/pve-backup-health.js', '/usr/lib/pve-backup-health/setup', '/usr/share/pve-manager/js/pve-backup-health.js', '/usr/share/man/man1/pve-backup-health.1.gz']) {
                expect(c.exists(f), f).toBe(true);
            }
            // deb-systemd-helper enables a new unit through `systemctl preset` when systemctl exists.
            expect(c.exists('/var/lib/systemd/deb-systemd-helper-enabled/pve-backup-health.service.dsh-also')).toBe(true);
            const log = takeLog(c);
            expect(log.some((l) => /^systemctl .*--preset-mode=enable-only preset pve-backup-health\.service$/.test(l))).toBe(true);
            expect(log).toContain('deb-systemd-invoke start pve-backup-health.service');
            expect(log).toContain('pve-manager postinst triggered pve-api-updates');
            expect(log.filter((l) => l.startsWith('pveum '))).toEqual([
                'pveum user list --full 1 --output-format json',
                `pveum user add ${USER} --comment pve-backup-health daemon (read-only, created by the package)`,
                `pveum acl modify / --users ${USER} --roles PVEAuditor`,
                `pveum user token add ${USER} daemon --privsep 0 --comment pve-backup-health daemon --output-format json`,
            ]);
            const state = JSON.parse(c.read('/var/lib/pveum-stub/state.json'));
            const secrets = JSON.parse(c.read('/etc/pve/priv/backup-health.json'));
            expect(secrets).toEqual({ version: 1, apiToken: `${USER}!daemon=${state.users[USER].tokens.daemon.secret}` });
            expect(c.ok('stat -c %a /etc/pve/priv/backup-health.json /var/lib/pve-backup-health').split('\n')).toEqual(['600', '700', '']);
            expect(c.read('/etc/pve/backup-health.json')).toBe(readFileSync(join(repo, 'packaging/default-config.json'), 'utf8'));
            expect(c.exists('/etc/pve/nodes/pve1/backup-health.installed')).toBe(true);
            expect(c.ok('/usr/lib/pve-backup-health/setup gui-status')).toBe(`panel ${version} loaded by ${TEMPLATE}\n`);
        });

        it(`the bundle runs on Debian's Node ${node}`, () => {
            expect(c.ok('node --version')).toMatch(new RegExp(`^v${node}\\.`));
            expect(c.ok('pve-backup-health --version')).toBe(`pve-backup-health ${version}\n`);
            const check = c.sh('cd / && pve-backup-health check --snapshot /tmp/demo.json --now 2026-11-21T09:00:00Z');
            expect(check.err).toBe('');
            expect(check.code).toBe(2);
            expect(check.out).toMatch(/^Backup health: CRITICAL/);
        });

        it('dpkg --verify: our files are intact; of pve-manager only the template is changed', () => {
            expect(dpkg('--verify', 'pve-backup-health')).toBe('');
            const r = c.run(['dpkg', '--verify', 'pve-manager']);
            expect(r.out.split('\n')).toEqual([`??5??????   ${TEMPLATE}`, '']);
        });

        it('reinstall: still one tag, service restarted, pveum only asked', () => {
            dpkg('-i', DEB);
            tagOnce();
            const log = takeLog(c);
            expect(log).toContain('deb-systemd-invoke restart pve-backup-health.service');
            expect(log.filter((l) => l.startsWith('pveum '))).toEqual(['pveum user list --full 1 --output-format json']);
        });

        it('pve-manager upgrade overwrites the template; the file trigger puts the tag back', () => {
            const out = dpkg('-i', `/tmp/debs/pve-manager_${pve[1]}.deb`);
            expect(out).toMatch(`GUI panel ${version} added to ${TEMPLATE}`);
            expect(c.read(TEMPLATE)).toBe(applyTag(stubTemplate(pve[1]), version).text);
            takeLog(c);
        });

        it('remove: tag gone (template exactly as pve-manager shipped it), files gone, state and config kept', () => {
            writeFileSync(c.path('var/lib/pve-backup-health/history.json'), '[]\n');
            dpkg('-r', 'pve-backup-health');
            expect(c.read(TEMPLATE)).toBe(stubTemplate(pve[1]));
            for (const f of ['/usr/bin/pve-backup-health', '/usr/lib/pve-backup-health', '/usr/share/pve-manager/js/pve-backup-health.js', '/lib/systemd/system/pve-backup-health.service']) {
                expect(c.exists(f), f).toBe(false);
            }
            expect(c.exists('/var/lib/pve-backup-health/history.json')).toBe(true);
            expect(c.exists('/etc/pve/backup-health.json')).toBe(true);
            expect(c.exists('/etc/pve/priv/backup-health.json')).toBe(true);
            expect(status()).toBe('deinstall ok config-files');
            const log = takeLog(c);
            expect(log).toContain('deb-systemd-invoke stop pve-backup-health.service');
            expect(log.filter((l) => l.startsWith('pveum '))).toEqual([]);
        });

        it('purge: state, config, secrets, token, user and node marker gone; nothing of ours left', () => {
            dpkg('-P', 'pve-backup-health');
            for (const f of ['/var/lib/pve-backup-health', '/etc/pve/backup-health.json', '/etc/pve/priv/backup-health.json', '/etc/pve/nodes/pve1/backup-health.installed', '/var/lib/systemd/deb-systemd-helper-enabled/pve-backup-health.service.dsh-also']) {
                expect(c.exists(f), f).toBe(false);
            }
            expect(takeLog(c).filter((l) => l.startsWith('pveum '))).toEqual([
                'pveum user list --output-format json',
                `pveum user token remove ${USER} daemon`,
                `pveum user delete ${USER}`,
            ]);
            expect(JSON.parse(c.read('/var/lib/pveum-stub/state.json')).users).toEqual({});
            const ours = c.sh("find / -xdev \\( -path /tmp -o -path /proc \\) -prune -o \\( -name '*pve-backup-health*' -o -name 'backup-health*' \\) -print");
            expect(ours.out).toBe('');
            expect(c.read(TEMPLATE)).toBe(stubTemplate(pve[1]));
        });

        it('without quorum: installs anyway, skips the token with a notice; the daemon’s retry sets it up', () => {
            setPmxcfs(c, { mounted: true, quorate: false });
            const out = dpkg('-i', DEB);
            expect(out).toMatch(/the cluster has no quorum: API token and default config not set up yet; the daemon retries/);
            tagOnce();
            expect(takeLog(c).filter((l) => l.startsWith('pveum '))).toEqual([]);
            expect(c.sh('/usr/lib/pve-backup-health/setup cluster').code).toBe(75);
            setPmxcfs(c, { mounted: true, quorate: true });
            expect(c.sh('/usr/lib/pve-backup-health/setup cluster').code).toBe(0);
            expect(JSON.parse(c.read('/etc/pve/priv/backup-health.json')).apiToken).toMatch(new RegExp(`^${USER}!daemon=`));
            expect(c.sh('/usr/lib/pve-backup-health/setup cluster')).toMatchObject({ code: 0, err: '' });
        });

        it('purge while another node still has the package keeps the cluster-wide config and user', () => {
            writeFileSync(c.path('etc/pve/nodes/pve2/backup-health.installed'), `${version}\n`);
            takeLog(c);
            const out = dpkg('-P', 'pve-backup-health');
            expect(out).toMatch(/other cluster nodes still have the package; kept the cluster-wide config, secrets and user/);
            expect(c.exists('/var/lib/pve-backup-health')).toBe(false);
            expect(c.exists('/etc/pve/nodes/pve1/backup-health.installed')).toBe(false);
            expect(c.exists('/etc/pve/backup-health.json')).toBe(true);
            expect(c.exists('/etc/pve/priv/backup-health.json')).toBe(true);
            expect(takeLog(c).filter((l) => l.startsWith('pveum '))).toEqual([]);
            rmSync(c.path('etc/pve/nodes/pve2/backup-health.installed'));
        });

        it('never fails dpkg when pmxcfs is not mounted and the template is gone', () => {
            setPmxcfs(c, { mounted: false, quorate: false });
            rmSync(c.path(TEMPLATE));
            const out = dpkg('-i', DEB);
            expect(out).toMatch(`${TEMPLATE} does not exist (pve-manager not installed?); GUI panel not added`);
            expect(out).toMatch(/is not mounted \(pve-cluster not running\)/);
            expect(dpkg('-r', 'pve-backup-health')).not.toMatch(/error/i);
            expect(dpkg('-P', 'pve-backup-health')).toMatch(/\/etc\/pve is not mounted; left/);
            expect(status()).toBe('');
        });
    });
}
