// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The step-by-step restore guide printed after an archive was extracted to a staging directory
 * (pve-platform.md §9.1, field-notes §6). A single node gets PVE's documented recovery: replace
 * `config.db` with pmxcfs stopped. A cluster member must not get an old `config.db` (corosync
 * would overwrite or conflict with it): reinstall and re-join, then copy node-local files back.
 */

import type { ArchiveManifest } from './types.ts';

function has(m: ArchiveManifest, path: string): boolean {
    return m.files.some((f) => f.path === path);
}

/** Whether the archived node was part of a cluster (a corosync cluster with more than itself). */
export function isClusterMember(m: ArchiveManifest): boolean {
    return m.cluster !== null && m.clusterNodes.length !== 1;
}

function nodeLocalSteps(m: ArchiveManifest, s: string, first: number): string[] {
    const steps: string[] = [];
    let n = first;
    const step = (text: string): void => {
        steps.push(`${n++}. ${text}`);
    };
    step(
        `Network: compare ${s}/etc/network/interfaces with the new host's, keep the new NIC names where they differ (ip link), then copy it to /etc/network/interfaces and run 'ifreload -a'.`,
    );
    step(`Name: set /etc/hostname to '${m.node}' and make /etc/hosts resolve it to the node's IP as in ${s}/etc/hosts.`);
    if (has(m, 'etc/ssh')) {
        step(
            `SSH host keys: copy ${s}/etc/ssh/ssh_host_* to /etc/ssh/ (private keys mode 0600, owner root), so other nodes and clients keep trusting this host; then 'systemctl restart ssh'.`,
        );
    }
    if (has(m, 'root/.ssh')) {
        step(`Root's SSH keys: copy id_* and config from ${s}/root/.ssh/ to /root/.ssh/ (mode 0700/0600). Keep authorized_keys a symlink to /etc/pve/priv/authorized_keys.`);
    }
    step(
        `Other node-local files as needed: /etc/vzdump.conf and the hook scripts it names, /etc/default/pveproxy, /etc/apt/sources.list*, /etc/lvm/lvm.conf, /etc/modprobe.d, /etc/kernel/cmdline, /etc/default/grub (then 'update-grub' or 'proxmox-boot-tool refresh'), /etc/postfix. Cross-version restores: do not copy apt sources or interfaces blindly.`,
    );
    return steps;
}

export function restoreGuide(m: ArchiveManifest, stagingDir: string): string {
    const s = stagingDir.replace(/\/+$/, '');
    const db = m.configDb ? `${s}/${m.configDb.member}` : null;
    const lines: string[] = [
        `Archive of node '${m.node}'${m.cluster ? ` (cluster '${m.cluster}': ${m.clusterNodes.join(', ') || 'unknown members'})` : ' (single node)'}, PVE ${m.pveVersion}, extracted to ${s}.`,
        'Nothing on this host was changed. Guest disks are not in the archive: restore guests from their backups.',
        'Install the SAME PVE major version on the new host first; keep this staging directory root-only (it holds secrets).',
        '',
    ];
    if (!isClusterMember(m)) {
        lines.push('Restore steps (single node, PVE documented recovery):');
        const steps = [
            db
                ? `Stop the cluster file system and its users: 'systemctl stop pve-cluster pvedaemon pveproxy pvestatd pvescheduler'.`
                : `This archive has no config.db (see the manifest's skipped list): re-create the configuration from ${s}/etc/pve by hand (storage.cfg, user.cfg, jobs.cfg, guest configs under nodes/).`,
            ...(db
                ? [
                      `Replace the database: 'cp ${db} /var/lib/pve-cluster/config.db && chmod 0600 /var/lib/pve-cluster/config.db && rm -f /var/lib/pve-cluster/config.db-wal /var/lib/pve-cluster/config.db-shm'.`,
                  ]
                : []),
        ];
        steps.forEach((t, i) => {
            lines.push(`${i + 1}. ${t}`);
        });
        const local = nodeLocalSteps(m, s, steps.length + 1);
        lines.push(...local);
        const n = steps.length + local.length + 1;
        lines.push(`${n}. Reboot, then check: 'pvecm status' (no cluster expected), 'ls /etc/pve/nodes/${m.node}/qemu-server', the storages in the GUI.`);
        lines.push('', `Files of /etc/pve are also under ${s}/etc/pve for reference; never copy them into the live /etc/pve while restoring config.db.`);
    } else {
        lines.push('Restore steps (cluster member; an old config.db must NOT be put into a live cluster):');
        lines.push(
            `1. On a healthy member remove the dead node: 'pvecm delnode ${m.node}'; remove replication jobs that target it first ('pvesr list').`,
            `2. Reinstall this host with the same name '${m.node}' and IP, fix /etc/hostname and /etc/hosts as in ${s}/etc/hosts.`,
            `3. Corosync: the cluster's /etc/corosync/authkey is in ${s}/etc/corosync/authkey (mode 0400); 'pvecm add <member IP>' installs it again when joining.`,
        );
        const local = nodeLocalSteps(m, s, 4);
        lines.push(...local);
        const n = 4 + local.length;
        lines.push(
            `${n}. Join the cluster: 'pvecm add <IP of a healthy member>', then 'pvecm updatecerts' and check SSH between nodes ('ssh <other node>' as root).`,
            `${n + 1}. Guest configs of this node come back from the cluster; if they were lost cluster-wide, copy them from ${s}/etc/pve/nodes/${m.node}/ into /etc/pve/nodes/${m.node}/ one by one.`,
            '',
            `Only if the WHOLE cluster is lost: restore one node as a single node (stop pve-cluster, place ${db ?? 'config.db'} as /var/lib/pve-cluster/config.db mode 0600, start with 'pmxcfs -l', remove the corosync config), then rebuild the cluster.`,
        );
    }
    return `${lines.join('\n')}\n`;
}
