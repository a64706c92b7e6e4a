// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon watches the configured remotes besides its own cluster: the settings give each one
// with its token secret, a problem's remote is part of its alert identity, and a silence names the
// cluster it is for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSettingsPort } from '../../src/compose-settings.ts';
import { ConfigStore, configLocation } from '../../src/config/load.ts';
import { isSilenced, problemKey } from '../../src/domain/alerts/policy.ts';
import type { Problem } from '../../src/domain/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'pbh-remotes-note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function portFor(settings: object, secrets?: object): Promise<ConfigSettingsPort> {
    const file = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(settings));
    if (secrets) writeFileSync(file.replace(/\.json$/, '.secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
    const store = new ConfigStore({ location: configLocation(file) });
    return new ConfigSettingsPort(store, await store.load());
}

const DC2 = { name: 'dc2', url: 'https://pve-dc2.example.com:8006', tokenId: 'monitor@pve!health', fingerprint: `${'AB:'.repeat(31)}AB` };
const DC3 = { name: 'dc3', url: 'https://pve-dc3.example.com:8006', tokenId: 'monitor@pve!health', insecure: true };

describe('remotes and the daemon', () => {
    it('gives the daemon every remote, with its token secret where one is set', async () => {
        const port = await portFor({ version: 1, remotes: [DC2, DC3] }, { version: 1, remotes: { dc2: { tokenSecret: 'c0ffee00-1111-2222-3333-444455556666' } } });
        expect(port.remotes()).toEqual([{ ...DC2, tokenSecret: 'c0ffee00-1111-2222-3333-444455556666' }, DC3]);
        // The only warning: the remote that cannot work yet (no longer "the daemon shows this cluster only").
        expect(port.current().configWarnings).toEqual(["remotes[1] ('dc3'): secret 'tokenSecret' is not set"]);
        expect((await portFor({ version: 1 })).remotes()).toEqual([]);
    });

    it('tells the same problem in two clusters apart, and keeps the keys of the cluster itself', () => {
        const p: Problem = { code: 'backup-failed', severity: 'critical', vmid: 100, job: 'daily', node: 'pve1', message: 'x', evidence: {} };
        expect(problemKey(p)).toBe('backup-failed|100|daily|pve1|');
        expect(problemKey({ ...p, remote: 'dc2' })).not.toBe(problemKey(p));
    });

    it('silences a guest or job of the cluster it names only; a silence of codes alone everywhere', () => {
        const here: Problem = { code: 'backup-failed', severity: 'critical', vmid: 100, job: 'daily', node: 'pve1', message: 'x', evidence: {} };
        const there: Problem = { ...here, remote: 'dc2' };
        const now = 1_800_000_000;
        expect([isSilenced(here, [{ vmid: 100 }], now), isSilenced(there, [{ vmid: 100 }], now)]).toEqual([true, false]);
        expect([isSilenced(here, [{ job: 'daily' }], now), isSilenced(there, [{ job: 'daily' }], now)]).toEqual([true, false]);
        expect([isSilenced(here, [{ remote: 'dc2', vmid: 100 }], now), isSilenced(there, [{ remote: 'dc2', vmid: 100 }], now)]).toEqual([false, true]);
        expect(isSilenced(there, [{ remote: 'dc3', vmid: 100 }], now)).toBe(false);
        expect([isSilenced(here, [{ codes: ['backup-failed'] }], now), isSilenced(there, [{ codes: ['backup-failed'] }], now)]).toEqual([true, true]);
        expect([isSilenced(here, [{ remote: 'dc2', codes: ['backup-failed'] }], now), isSilenced(there, [{ remote: 'dc2', codes: ['backup-failed'] }], now)]).toEqual([false, true]);
    });
});
