// SPDX-License-Identifier: AGPL-3.0-or-later
// On a PVE node the API snapshot is enriched from the node's files; only the task logs the API
// could not deliver are worth reading there each cycle.
import { describe, expect, it } from 'vitest';
import { LayeredSource } from '../../src/app/layered-source.ts';
import type { ClusterSnapshot, VzdumpTask } from '../../src/domain/model.ts';
import { parseVzdumpLog } from '../../src/domain/vzdump-log/parse.ts';

const task = (upid: string, withLog: boolean): VzdumpTask => ({
    upid, node: 'pve1', startTime: 1_795_000_000, endTime: 1_795_000_100, status: 'OK', user: 'root@pam', id: '',
    ...(withLog ? { log: parseVzdumpLog(['TASK OK']) } : { logError: 'HTTP 500' }),
});

const snapshot = (tasks: VzdumpTask[]): ClusterSnapshot => ({
    version: 1, collectedAt: 1_795_000_200, nodes: [], guests: [], jobs: [], jobStates: [], tasks, backups: [], storages: [], historyFrom: 1_794_000_000, sourceErrors: [],
});

describe('LayeredSource', () => {
    it('asks the local files only for logs the API did not deliver, and for tasks it did not list', async () => {
        let asked: ((upid: string) => boolean) | undefined;
        const source = new LayeredSource({
            primary: { describe: 'api', collect: async () => snapshot([task('UPID:a', true), task('UPID:b', false)]) },
            enrich: async (_since, wantLog) => {
                asked = wantLog;
                return { node: 'pve1', jobStates: [], sourceErrors: [] };
            },
        });
        await source.collect({ now: 1_795_000_200, historyFrom: 1_794_000_000 });
        expect(asked?.('UPID:a')).toBe(false);
        expect(asked?.('UPID:b')).toBe(true);
        expect(asked?.('UPID:only-local')).toBe(true);
    });
});
