// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../../src/domain/health/merge-reports.ts';
import { historyPoint } from '../../../src/domain/history/points.ts';
import { scenarioReport } from '../../server/report-fixture.ts';

describe('history points', () => {
    it('records each storage fill level, a remote cluster’s under its name', () => {
        const report = scenarioReport('31-storage-low');
        const own = historyPoint(report, 1000);
        const measured = report.storages.filter((s) => s.used !== undefined && s.total !== undefined);
        expect(measured.length).toBeGreaterThan(0);
        expect(own.storages).toEqual(measured.map((s) => ({ storage: s.storage, node: s.node, used: s.used, total: s.total })));
        const joint = historyPoint(mergeReports([{ report }, { remote: 'dc2', report }]), 1000);
        expect(joint.storages?.filter((s) => s.remote === 'dc2')).toEqual(own.storages?.map((s) => ({ ...s, remote: 'dc2' })));
        expect(joint.storages?.filter((s) => s.remote === undefined)).toEqual(own.storages);
    });
});
