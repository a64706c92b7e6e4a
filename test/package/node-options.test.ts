// SPDX-License-Identifier: AGPL-3.0-or-later
// The Node options the packaged unit gives the daemon: Node must accept them from the environment
// (it refuses most V8 flags there, and the daemon would then not start at all), and the bench
// must measure with exactly these.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitEnvironment, unitNodeOptions } from '../bench/unit-options.ts';

const unit = readFileSync(join(import.meta.dirname, '../../debian/pve-backup-health.service'), 'utf8');

describe('the unit’s NODE_OPTIONS', () => {
    it('are read as the bench reads them', () => {
        expect(unitNodeOptions(unit)).toEqual(['--max-semi-space-size=4']);
        expect(unitNodeOptions('[Service]\nExecStart=/x\n')).toEqual([]);
    });

    it('come with glibc’s arena cap, read as systemd reads Environment= lines', () => {
        expect(unitEnvironment(unit)).toEqual({ NODE_OPTIONS: '--max-semi-space-size=4', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
        expect(unitEnvironment('Environment="NODE_OPTIONS=--a --b" X=1\nEnvironment=Y=2=3\n')).toEqual({ NODE_OPTIONS: '--a --b', X: '1', Y: '2=3' });
        expect(unitNodeOptions('Environment="NODE_OPTIONS=--a  --b"\n')).toEqual(['--a', '--b']);
    });

    it('are accepted by Node from the environment', () => {
        const options = unitNodeOptions(unit).join(' ');
        const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.execArgv.length))'], { env: { ...process.env, NODE_OPTIONS: options }, encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        // A flag Node refuses in NODE_OPTIONS fails the same way the daemon would.
        const refused = spawnSync(process.execPath, ['-e', '0'], { env: { ...process.env, NODE_OPTIONS: '--heap-growing-percent=100' }, encoding: 'utf8' });
        expect(refused.status).not.toBe(0);
        expect(refused.stderr).toMatch(/not allowed in NODE_OPTIONS/);
    });
});
