// SPDX-License-Identifier: AGPL-3.0-or-later
// The systemd unit as systemd itself reads it: no unknown or misspelt directive (systemd only
// warns and ignores those, silently dropping hardening), and the hardening stays in place.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const unit = join(import.meta.dirname, '../../debian/pve-backup-health.service');
const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasAnalyze)('pve-backup-health.service', () => {
    it('has no directive systemd does not understand', () => {
        const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
        // The only expected complaint: the command is installed by the package, not on this host.
        const problems = r.stderr
            .split('\n')
            .filter((l) => l !== '' && !/Command \/usr\/bin\/pve-backup-health is not executable/.test(l))
            .filter((l) => !/Unit \S+\.target not found/.test(l));
        expect(problems).toEqual([]);
    });

    it('keeps its hardening (systemd-analyze security exposure below 7, "exposed")', () => {
        const r = spawnSync('systemd-analyze', ['security', '--offline=yes', unit], { encoding: 'utf8' });
        const level = /Overall exposure level for pve-backup-health\.service: ([\d.]+)/.exec(r.stdout)?.[1];
        expect(level, r.stdout + r.stderr).toBeDefined();
        expect(Number(level)).toBeLessThan(7);
    });
});
