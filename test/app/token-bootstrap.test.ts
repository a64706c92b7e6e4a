// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { TokenBootstrapSource } from '../../src/app/token-bootstrap.ts';
import type { ClusterSnapshot } from '../../src/domain/model.ts';
import type { SnapshotSource, TokenSetupResult } from '../../src/ports.ts';

const empty = (what: string): ClusterSnapshot => ({
    version: 1, collectedAt: 0, cluster: what, nodes: [], guests: [], jobs: [], jobStates: [], tasks: [], backups: [], storages: [], historyFrom: 0, sourceErrors: [],
});
const src = (name: string): SnapshotSource => ({ describe: name, collect: async () => empty(name) });

describe('token bootstrap', () => {
    it('reads local files and says why until the token exists, retrying at most every retry interval', async () => {
        const outcomes: TokenSetupResult[] = [{ kind: 'not-ready', message: 'cluster not quorate' }, { kind: 'created' }];
        let tries = 0;
        const s = new TokenBootstrapSource({
            fallback: src('local'),
            createToken: async () => outcomes[tries++] ?? { kind: 'failed', message: 'x' },
            apiSource: async () => src('api'),
            retrySeconds: 600,
        });
        const a = await s.collect({ now: 1000, historyFrom: 0 });
        expect(a.cluster).toBe('local');
        expect(a.sourceErrors[0]?.message).toContain('cluster not quorate');
        await s.collect({ now: 1300, historyFrom: 0 });
        expect(tries).toBe(1);
        const b = await s.collect({ now: 1700, historyFrom: 0 });
        expect(tries).toBe(2);
        expect(b.cluster).toBe('api');
        expect(s.describe).toBe('api');
    });
});
