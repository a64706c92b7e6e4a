// SPDX-License-Identifier: AGPL-3.0-or-later
/** Runs the package's helper `setup cluster` (creates the daemon's API user and token). */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TokenSetupResult as SetupResult } from '../../ports.ts';

/** Exit 0: token stored; 75: not ready (no quorum, /etc/pve not mounted); else failed (stderr says why, never the secret). */
export function runClusterSetup(helper = '/usr/lib/pve-backup-health/setup'): Promise<SetupResult> {
    if (!existsSync(helper)) return Promise.resolve({ kind: 'failed', message: `${helper} is missing (package not installed?)` });
    return new Promise((resolve) => {
        execFile(helper, ['cluster'], { timeout: 120_000 }, (error, _stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            const message = stderr.trim().split('\n').slice(-1)[0] || (error ? error.message : '');
            if (code === 0) resolve({ kind: 'created' });
            else if (code === 75) resolve({ kind: 'not-ready', message: message || 'cluster not ready (no quorum?)' });
            else resolve({ kind: 'failed', message: message || `exit code ${code}` });
        });
    });
}
