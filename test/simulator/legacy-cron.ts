// SPDX-License-Identifier: AGPL-3.0-or-later
/** Legacy `/etc/pve/vzdump.cron` jobs: the file PVE writes, and the ids derived from its SHA-1. */

import { createHash } from 'node:crypto';
import type { SimJobSpec } from './spec.ts';

/** `/etc/pve/vzdump.cron` as PVE writes it, for the legacy job ids (`<sha1>:<n>`). */
export function vzdumpCron(jobs: readonly SimJobSpec[]): string {
    const dows: Record<string, string> = { mon: '1', tue: '2', wed: '3', thu: '4', fri: '5', sat: '6', sun: '7' };
    const lines = jobs.map((j) => {
        const m = /^(?:(\S+) )?(\d+):(\d+)$/.exec(j.schedule);
        const dow = m?.[1] ? m[1].split(',').map((d) => dows[d.toLowerCase()] ?? d).join(',') : '*';
        const sel = j.all ? '--all 1' : (j.vmids ?? []).join(' ');
        return `${Number(m?.[3] ?? 0)} ${Number(m?.[2] ?? 0)} * * ${dow.padEnd(11)} root ${j.enabled === false ? '#' : ''}vzdump ${sel} --mode ${j.mode ?? 'snapshot'} --quiet 1 --storage ${j.storage}`;
    });
    return `# cluster wide vzdump cron schedule\n# Automatically generated file - do not edit\n\nPATH="/usr/sbin:/usr/bin:/sbin:/bin"\n\n${lines.join('\n')}\n`;
}

export function jobIds(jobs: readonly SimJobSpec[]): Map<SimJobSpec, string> {
    const legacy = jobs.filter((j) => j.legacy);
    const sha = createHash('sha1').update(vzdumpCron(legacy)).digest('hex');
    return new Map(jobs.map((j) => [j, j.legacy ? `${sha}:${legacy.indexOf(j) + 1}` : j.id]));
}
