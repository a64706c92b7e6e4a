// SPDX-License-Identifier: AGPL-3.0-or-later
// The Node options the packaged unit gives the daemon: Node must accept them from the environment
// (it refuses most V8 flags there, and the daemon would then not start at all), and the bench
// must measure with exactly these.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitNodeOptions } from '../bench/unit-options.ts';

const unit = readFileSync(join(import.meta.dirname, '../../debian/pve-backup-health.service'), 'utf8');

describe('the unit’s NODE_OPTIONS', () => {
    it('are read as the bench reads them', () => {
        expect(unitNodeOptions(unit)).toEqual(['--max-semi-space-size=8']);
        expect(unitNodeOptions('[Service]\nExecStart=/x\n')).toEqual([]);
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
