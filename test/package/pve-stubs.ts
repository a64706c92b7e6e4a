// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Stand-ins for the parts of PVE the package touches, for the chroot test: a `pve-manager`
 * package built here (index.html.tpl shaped like the real one, pvemanagerlib.js, PVE's
 * `pve-api-updates` trigger interest), a pmxcfs-shaped /etc/pve, and recording stubs for pveum,
 * systemctl and deb-systemd-invoke (which cannot do their real work in a chroot). Every stub
 * appends its call to /var/log/pbh-stub.log.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Chroot, host } from './chroot.ts';

export const STUB_LOG = '/var/log/pbh-stub.log';
const here = import.meta.dirname;

/** The stub template for a pve-manager version (the version marks which package wrote it). */
export function stubTemplate(version: string): string {
    return readFileSync(join(here, 'fixtures/index.html.tpl'), 'utf8').replace('@STUB_VERSION@', version);
}

function write(path: string, text: string, mode = 0o644): void {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    chmodSync(path, mode);
}

/** Builds pve-manager_<version>_all.deb in `outDir` with dpkg-deb, returns its path. */
export function buildPveManager(outDir: string, version: string): string {
    const tree = join(outDir, `pve-manager-${version}`);
    rmSync(tree, { recursive: true, force: true });
    write(
        join(tree, 'DEBIAN/control'),
        [
            'Package: pve-manager',
            `Version: ${version}`,
            'Architecture: all',
            'Maintainer: pve-backup-health package test <test@pve-backup-health.invalid>',
            'Description: stand-in for pve-manager (package test)',
            ' Ships index.html.tpl and pvemanagerlib.js where the real package does.',
            '',
        ].join('\n'),
    );
    write(join(tree, 'DEBIAN/triggers'), 'interest-noawait pve-api-updates\n');
    write(join(tree, 'DEBIAN/postinst'), `#!/bin/sh\nset -e\necho "pve-manager postinst $*" >>${STUB_LOG}\n`, 0o755);
    write(join(tree, 'usr/share/pve-manager/index.html.tpl'), stubTemplate(version));
    write(join(tree, 'usr/share/pve-manager/js/pvemanagerlib.js'), `// pve-manager ${version} stand-in\nvar PVE = {};\n`);
    const deb = join(outDir, `pve-manager_${version}_all.deb`);
    host('dpkg-deb', ['--root-owner-group', '--build', tree, deb]);
    return deb;
}

export interface PmxcfsState {
    /** pmxcfs mounted (its virtual .version file exists). */
    mounted: boolean;
    quorate: boolean;
}

/** Shapes /etc/pve like a mounted pmxcfs of a cluster with nodes pve1 (this one) and pve2. */
export function setPmxcfs(chroot: Chroot, state: PmxcfsState): void {
    const pve = chroot.path('etc/pve');
    for (const d of ['priv', 'nodes/pve1', 'nodes/pve2']) mkdirSync(join(pve, d), { recursive: true });
    chmodSync(join(pve, 'priv'), 0o700);
    rmSync(join(pve, 'local'), { force: true });
    symlinkSync(`nodes/${chroot.nodeName}`, join(pve, 'local'));
    rmSync(join(pve, '.version'), { force: true });
    rmSync(join(pve, '.members'), { force: true });
    if (!state.mounted) return;
    writeFileSync(join(pve, '.version'), '{"version":1}\n');
    const members = { nodename: chroot.nodeName, version: 2, cluster: { name: 'test', version: 2, nodes: 2, quorate: state.quorate ? 1 : 0 } };
    writeFileSync(join(pve, '.members'), `${JSON.stringify(members)}\n`);
}

function recorder(name: string): string {
    return `#!/bin/sh\n# package test stand-in: records the call\necho "${name} $*" >>${STUB_LOG}\nexit 0\n`;
}

/** Puts the recording stubs in place and makes dh's systemd snippets believe systemd runs. */
export function installStubs(chroot: Chroot): void {
    copyFileSync(join(here, 'stubs/pveum.cjs'), chroot.path('usr/sbin/pveum'));
    chmodSync(chroot.path('usr/sbin/pveum'), 0o755);
    write(chroot.path('usr/bin/systemctl'), recorder('systemctl'), 0o755);
    // Replaces init-system-helpers' script inside the throw-away chroot only.
    write(chroot.path('usr/bin/deb-systemd-invoke'), recorder('deb-systemd-invoke'), 0o755);
    mkdirSync(chroot.path('run/systemd/system'), { recursive: true });
    setPmxcfs(chroot, { mounted: true, quorate: true });
}

/** The stubs' calls since the last `takeLog`, one per line. */
export function takeLog(chroot: Chroot): string[] {
    let text = '';
    try {
        text = readFileSync(chroot.path(STUB_LOG), 'utf8');
    } catch {
        // nothing logged yet
    }
    writeFileSync(chroot.path(STUB_LOG), '');
    return text.split('\n').filter((l) => l !== '');
}
