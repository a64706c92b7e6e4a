// SPDX-License-Identifier: AGPL-3.0-or-later
// Alert messages of a daemon watching remote clusters: the subject names the cluster the problems
// are in, each item names its remote, and times are in the zone of the remote's own node.
import { describe, expect, it } from 'vitest';
import type { AlertBatch } from '../../../src/domain/alerts/types.ts';
import { renderAlertMessage } from '../../../src/domain/message/alert-message.ts';
import { GROUPED, timeZoneOf } from './fixtures.ts';

const [web01, db01] = GROUPED.items as [AlertBatch['items'][number], AlertBatch['items'][number]];
const remote = (item: typeof web01, name: string) => ({ ...item, problem: { ...item.problem, remote: name } });

function subject(batch: AlertBatch, language: 'en' | 'de' | 'it' = 'en'): string {
    return renderAlertMessage(batch, { language, timeZoneOf }).subject;
}

describe('alert messages with remote clusters', () => {
    it('names the remote as the cluster when all problems are in it', () => {
        expect(subject({ ...GROUPED, items: [remote(web01, 'dc2'), remote(db01, 'dc2')] })).toBe('2 backups failed on cluster dc2');
        expect(subject({ ...GROUPED, items: [remote(web01, 'dc2')] })).toBe('Backup failed: dc2 / web01 (VMID 101) on cluster dc2');
    });

    it('names every cluster when problems are in several', () => {
        expect(subject({ ...GROUPED, items: [web01, remote(db01, 'dc2')] })).toBe('2 backups failed on clusters prod, dc2');
        expect(subject({ ...GROUPED, items: [web01, remote(db01, 'dc2')] }, 'de')).toMatch(/ auf den Clustern prod, dc2$/);
        expect(subject({ ...GROUPED, items: [web01, remote(db01, 'dc2')] }, 'it')).toMatch(/ sui cluster prod, dc2$/);
        // This cluster without a name (a single node): no cluster in the subject rather than a wrong one.
        const { cluster: _unnamed, ...noName } = GROUPED;
        expect(subject({ ...noName, items: [web01, remote(db01, 'dc2')] })).toBe('2 backups failed');
    });

    it('reads node times in the remote’s own zones', () => {
        const zones = (node: string, r?: string) => (r === 'dc2' ? 'Asia/Tokyo' : timeZoneOf(node));
        const text = renderAlertMessage({ ...GROUPED, items: [remote(web01, 'dc2')] }, { language: 'en', timeZoneOf: zones }).text;
        expect(text).toContain('• dc2 / web01 (VMID 101) – Backup failed (critical)');
        expect(text).toContain('(Asia/Tokyo)');
        expect(text).not.toContain('(Europe/Vienna)');
    });
});
