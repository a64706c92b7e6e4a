// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * One problem in words, in the message language: who (guest by name and VMID), what was expected
 * (the scheduled time in the node's zone), what was found, and the log line that proves it.
 * Built from the code, the problem's fields and its evidence; the English `message` is used only
 * for codes without a template and as the technical cause of unreadable sources.
 */

import type { Problem } from '../model.ts';
import { parseRfc3339 } from '../time/rfc3339.ts';
import { type Catalogue, type CatalogueKey, type Vars, codeKey, fill, text } from './i18n/catalogue.ts';
import { formatDuration, formatPercent, formatSize, formatWhen } from './locale-format.ts';

export interface ProblemTextContext {
    cat: Catalogue;
    /** IANA zone of a node (schedules fire in it). */
    /** A node's IANA zone; `remote` tells apart same-named nodes of different clusters. */
    timeZoneOf: (node: string, remote?: string) => string;
    /** Zone for times not tied to a node. */
    defaultTimeZone: string;
    now: number;
}

export interface ProblemText {
    label: string;
    title: string;
    expected?: string;
    found: string;
    log?: string;
    cause?: string;
}

/** Guest by name and VMID; otherwise what the problem is about. */
export function problemLabel(cat: Catalogue, p: Problem): string {
    // VMIDs and names repeat across clusters: a remote's problem says which cluster first.
    return p.remote === undefined ? ownLabel(cat, p) : `${p.remote} / ${ownLabel(cat, p)}`;
}

function ownLabel(cat: Catalogue, p: Problem): string {
    if (p.vmid !== undefined && p.guestName) return text(cat, 'label.guest', { name: p.guestName, vmid: p.vmid });
    if (p.vmid !== undefined) return text(cat, 'label.vmid', { vmid: p.vmid });
    if (p.storage !== undefined) return text(cat, 'label.storage', { storage: p.storage });
    if (p.job !== undefined) return text(cat, 'label.job', { job: p.job });
    if (p.node !== undefined) return text(cat, 'label.node', { node: p.node });
    return cat['label.cluster'];
}

export function problemTitle(cat: Catalogue, code: string): string | undefined {
    const key = codeKey(cat, code, 'title');
    return key ? cat[key] : undefined;
}

/** The ERROR/WARN line among the evidence, else the first one. */
export function decisiveLine(p: Problem): string | undefined {
    const lines = p.evidence.logLines ?? [];
    return (lines.find((l) => /\b(ERROR|WARN(ING)?)\b/.test(l.text)) ?? lines[0])?.text;
}

function num(p: Problem, key: string): number | undefined {
    const v = p.evidence.details?.[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(p: Problem, key: string): string | undefined {
    const v = p.evidence.details?.[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
}

function zoneOf(ctx: ProblemTextContext, p: Problem): string {
    const fromEvidence = str(p, 'timeZone');
    if (fromEvidence) return fromEvidence;
    return p.node !== undefined ? ctx.timeZoneOf(p.node, p.remote) : ctx.defaultTimeZone;
}

function when(ctx: ProblemTextContext, p: Problem, epoch: number | undefined): string | undefined {
    return epoch === undefined ? undefined : formatWhen(ctx.cat, epoch, zoneOf(ctx, p));
}

function rfc(ctx: ProblemTextContext, p: Problem, key: string): string | undefined {
    const t = str(p, key);
    const epoch = t === undefined ? null : parseRfc3339(t);
    return epoch === null ? undefined : when(ctx, p, epoch);
}

/** Which found-variant applies, and the values its template needs. */
function found(ctx: ProblemTextContext, p: Problem): { variant: string; vars: Vars } {
    const { cat } = ctx;
    const base: Vars = { job: p.job, node: p.node, vmid: p.vmid, storage: p.storage };
    switch (p.code) {
        case 'backup-failed': {
            const n = num(p, 'failedInARow') ?? 1;
            return n > 1 ? { variant: 'found-streak', vars: { n } } : { variant: 'found', vars: {} };
        }
        case 'backup-missed': {
            if (p.evidence.details?.laterManualBackup) return { variant: 'found-manual', vars: {} };
            if ((p.evidence.tasks ?? []).length > 0) return { variant: 'found-absent', vars: {} };
            const n = num(p, 'missedInARow') ?? 1;
            return n > 1 ? { variant: 'found-streak', vars: { n } } : { variant: 'found', vars: {} };
        }
        case 'backup-stale': {
            const last = rfc(ctx, p, 'lastGood');
            const lastEpoch = parseRfc3339(str(p, 'lastGood') ?? '');
            if (last === undefined || lastEpoch === null) return { variant: 'found-none', vars: {} };
            return { variant: 'found', vars: { last, age: formatDuration(cat, ctx.now - lastEpoch) } };
        }
        case 'backup-running-long': {
            const runtime = num(p, 'runtimeSeconds');
            return { variant: 'found', vars: { ...base, runtime: runtime === undefined ? undefined : formatDuration(cat, runtime) } };
        }
        case 'not-covered': {
            const disabled = str(p, 'disabledJobs');
            const other = str(p, 'otherNodeJobs');
            if (disabled) return { variant: 'found-disabled', vars: { jobs: disabled.replace(/,/g, ', ') } };
            if (other) return { variant: 'found-other-node', vars: { jobs: other.replace(/,/g, ', ') } };
            return { variant: 'found', vars: {} };
        }
        case 'size-anomaly': {
            const size = num(p, 'sizeBytes');
            const median = num(p, 'medianBytes');
            if (size === undefined || median === undefined) return { variant: 'found', vars: {} };
            return { variant: size < median ? 'found-low' : 'found-high', vars: { size: formatSize(cat, size) } };
        }
        case 'duration-anomaly': {
            const d = num(p, 'durationSeconds');
            return { variant: 'found', vars: { duration: d === undefined ? undefined : formatDuration(cat, d) } };
        }
        case 'verify-stale': {
            const at = rfc(ctx, p, 'verifiedAt');
            return at === undefined ? { variant: 'found-never', vars: {} } : { variant: 'found', vars: { when: at } };
        }
        case 'retention-violation':
            return { variant: 'found', vars: { ...base, count: num(p, 'overdue') } };
        case 'storage-low': {
            const used = num(p, 'used');
            const total = num(p, 'total');
            const fraction = num(p, 'fraction') ?? (used !== undefined && total ? used / total : undefined);
            const vars: Vars = {
                ...base,
                percent: fraction === undefined ? undefined : formatPercent(cat, fraction),
                used: used === undefined ? undefined : formatSize(cat, used),
                total: total === undefined ? undefined : formatSize(cat, total),
            };
            return { variant: p.severity === 'critical' ? 'found-critical' : 'found', vars };
        }
        case 'source-unreachable':
            if (p.vmid !== undefined) return { variant: 'found-guest', vars: {} };
            if (p.node !== undefined) return { variant: 'found-node', vars: base };
            return { variant: 'found', vars: {} };
        case 'schedule-invalid':
            return { variant: 'found', vars: { ...base, schedule: str(p, 'schedule') } };
        default:
            return { variant: 'found', vars: base };
    }
}

function expected(ctx: ProblemTextContext, p: Problem): string | undefined {
    const { cat } = ctx;
    const run = p.evidence.expectedRuns?.[p.evidence.expectedRuns.length - 1];
    const vars: Vars = { job: p.job, node: p.node, storage: p.storage, when: when(ctx, p, run) };
    if (p.code === 'backup-running-long') {
        const limit = num(p, 'limitSeconds');
        vars.limit = limit === undefined ? undefined : formatDuration(cat, limit);
    } else if (p.code === 'size-anomaly') {
        const m = num(p, 'medianBytes');
        vars.median = m === undefined ? undefined : formatSize(cat, m);
    } else if (p.code === 'duration-anomaly') {
        const m = num(p, 'medianSeconds');
        vars.median = m === undefined ? undefined : formatDuration(cat, m);
    } else if (p.code === 'verify-stale') {
        const days = num(p, 'maxAgeDays');
        vars.age = days === undefined ? undefined : formatDuration(cat, days * 86_400);
    } else if (p.code === 'retention-violation') {
        vars.policy = str(p, 'policy');
    }
    const own = codeKey(cat, p.code, 'expected');
    if (own) return fill(cat[own], vars);
    // A scheduled run is the expectation of every run-based problem without its own wording.
    return run !== undefined ? fill(cat['expected.run'], vars) : undefined;
}

export function problemText(ctx: ProblemTextContext, p: Problem): ProblemText {
    const { cat } = ctx;
    const label = problemLabel(cat, p);
    const title = problemTitle(cat, p.code);
    if (title === undefined) return { label, title: p.code, found: p.message };
    const f = found(ctx, p);
    const key = codeKey(cat, p.code, f.variant) ?? (`code.${p.code}.found` as CatalogueKey);
    // A template whose values are missing falls back to the plain variant, then to the English message.
    const plain = codeKey(cat, p.code, 'found');
    const foundText = fill(cat[key], f.vars) ?? (plain ? fill(cat[plain], f.vars) : undefined) ?? p.message;
    const out: ProblemText = { label, title, found: foundText };
    const exp = expected(ctx, p);
    if (exp !== undefined) out.expected = exp;
    const log = decisiveLine(p);
    if (log !== undefined) out.log = log;
    const technical = p.code === 'config-archive-failed' || p.code === 'config-archive-stale' || (p.code === 'source-unreachable' && p.vmid === undefined);
    if (technical && p.message) out.cause = p.message;
    return out;
}
