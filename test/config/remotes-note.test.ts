// SPDX-License-Identifier: AGPL-3.0-or-later
// The daemon judges its own cluster; configured remotes are named in its warnings with the command
// that checks them, and a problem's remote is part of its alert identity.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSettingsPort } from '../../src/compose-settings.ts';
import { ConfigStore, configLocation } from '../../src/config/load.ts';
import { problemKey } from '../../src/domain/alerts/policy.ts';
import type { Problem } from '../../src/domain/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'pbh-remotes-note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function warningsFor(settings: object): Promise<string[]> {
    const file = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(settings));
    const store = new ConfigStore({ location: configLocation(file) });
    return new ConfigSettingsPort(store, await store.load()).current().configWarnings;
}

describe('remotes and the daemon', () => {
    it('says that the daemon shows this cluster only, and how to check the remotes', async () => {
        expect(await warningsFor({ version: 1 })).toEqual([]);
        const w = await warningsFor({ version: 1, remotes: [{ name: 'dc2', url: 'https://pve-dc2.example.com:8006', tokenId: 'monitor@pve!health', insecure: true }] });
        expect(w.some((x) => x.includes('1 remote cluster(s) configured') && x.includes('check --remotes'))).toBe(true);
    });

    it('tells the same problem in two clusters apart, and keeps the keys of the cluster itself', () => {
        const p: Problem = { code: 'backup-failed', severity: 'critical', vmid: 100, job: 'daily', node: 'pve1', message: 'x', evidence: {} };
        expect(problemKey(p)).toBe('backup-failed|100|daily|pve1|');
        expect(problemKey({ ...p, remote: 'dc2' })).not.toBe(problemKey(p));
    });
});
