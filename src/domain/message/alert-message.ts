// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Renders an AlertBatch (one cycle's news) into a message in the configured language: a subject
 * ("2 backups failed on cluster X"), a one-line summary for push titles, and a plain-text body
 * with one block per problem. Recoveries and reminders say since when the problem existed.
 */

import type { AlertBatch, AlertItem, RenderedMessage } from '../alerts/types.ts';
import { type Catalogue, type CatalogueKey, type MessageLanguage, catalogueFor, codeKey, text } from './i18n/catalogue.ts';
import { formatWhen } from './locale-format.ts';
import { type ProblemTextContext, problemLabel, problemText, problemTitle } from './problem-text.ts';

export interface MessageOptions {
    language: MessageLanguage;
    /** The node's IANA zone (expected runs are shown in it). */
    timeZoneOf: (node: string, remote?: string) => string;
    /** Zone for times not tied to a node (default UTC). */
    defaultTimeZone?: string;
    /** The PVE GUI, linked at the end of the body. */
    publicUrl?: string;
    /** Who sends (node name), named in test messages. */
    source?: string;
}

const MAX_LABELS = 3;

/**
 * "… on cluster X": the cluster of the batch's problems — a remote's name for a remote's (a daemon
 * watching `remotes`), several names when they are from several clusters, none when one of them
 * has no name (a node outside a cluster).
 */
function onCluster(cat: Catalogue, batch: AlertBatch, what: string): string {
    const names = batch.items.length === 0 ? [batch.cluster] : batch.items.map((i) => i.problem.remote ?? batch.cluster);
    if (names.some((n) => !n)) return what;
    const unique = [...new Set(names as string[])];
    if (unique.length === 1) return text(cat, 'subject.on-cluster', { what, cluster: unique[0] as string });
    return text(cat, 'subject.on-clusters', { what, clusters: unique.join(', ') });
}

function titleOf(cat: Catalogue, item: AlertItem): string {
    return problemTitle(cat, item.problem.code) ?? item.problem.code;
}

/** "2 backups failed" when all items share a code, else "3 backup problems". */
function groupWhat(cat: Catalogue, items: readonly AlertItem[]): string {
    const first = items[0] as AlertItem;
    if (items.length === 1) return text(cat, 'subject.single', { title: titleOf(cat, first), label: problemLabel(cat, first.problem) });
    const code = first.problem.code;
    const key = items.every((i) => i.problem.code === code) ? codeKey(cat, code, 'group') : undefined;
    return text(cat, key ?? 'subject.group', { n: items.length });
}

function labels(cat: Catalogue, items: readonly AlertItem[]): string {
    const shown = items.slice(0, MAX_LABELS).map((i) => problemLabel(cat, i.problem));
    if (items.length > MAX_LABELS) shown.push(text(cat, 'summary.more', { n: items.length - MAX_LABELS }));
    return shown.join(', ');
}

function subjectAndSummary(cat: Catalogue, batch: AlertBatch): { subject: string; summary: string } {
    const items = batch.items;
    if (batch.kind === 'test' || items.length === 0) {
        const s = cat['subject.test'];
        return { subject: onCluster(cat, batch, s), summary: s };
    }
    const first = items[0] as AlertItem;
    if (batch.kind === 'recovery') {
        const what = items.length === 1
            ? text(cat, 'subject.recovery.single', { title: titleOf(cat, first), label: problemLabel(cat, first.problem) })
            : text(cat, 'subject.recovery.group', { n: items.length });
        return { subject: onCluster(cat, batch, what), summary: items.length === 1 ? what : `${what}: ${labels(cat, items)}` };
    }
    const what = groupWhat(cat, items);
    const summary = items.length === 1 ? what : `${what}: ${labels(cat, items)}`;
    if (batch.kind === 'reminder') {
        return { subject: text(cat, 'subject.reminder', { what: onCluster(cat, batch, what) }), summary: text(cat, 'subject.reminder', { what: summary }) };
    }
    return { subject: onCluster(cat, batch, what), summary };
}

function itemBlock(ctx: ProblemTextContext, batch: AlertBatch, item: AlertItem): string[] {
    const { cat } = ctx;
    const t = problemText(ctx, item.problem);
    const severity = cat[`severity.${item.problem.severity}` as CatalogueKey];
    const since = formatWhen(cat, item.firstSeen, item.problem.node !== undefined ? ctx.timeZoneOf(item.problem.node, item.problem.remote) : ctx.defaultTimeZone);
    const lines = [`• ${t.label} – ${t.title} (${severity})`];
    if (batch.kind === 'recovery') {
        lines.push(`  ${text(cat, 'item.resolved', { time: since })}`);
        return lines;
    }
    if (t.expected !== undefined) lines.push(`  ${cat['item.expected']}: ${t.expected}`);
    lines.push(`  ${cat['item.found']}: ${t.found}`);
    if (t.log !== undefined) lines.push(`  ${cat['item.log']}: ${t.log}`);
    if (t.cause !== undefined) lines.push(`  ${cat['item.cause']}: ${t.cause}`);
    if (batch.kind === 'reminder') lines.push(`  ${text(cat, 'item.since', { time: since })}`);
    return lines;
}

export function renderAlertMessage(batch: AlertBatch, options: MessageOptions): RenderedMessage {
    const cat = catalogueFor(options.language);
    const ctx: ProblemTextContext = { cat, timeZoneOf: options.timeZoneOf, defaultTimeZone: options.defaultTimeZone ?? 'UTC', now: batch.at };
    const { subject, summary } = subjectAndSummary(cat, batch);
    const body: string[] = [];
    if (batch.kind === 'test' || batch.items.length === 0) {
        body.push(options.source ? text(cat, 'test.body-from', { source: options.source }) : cat['test.body']);
    } else {
        const n = batch.items.length;
        const kind = batch.kind === 'reminder' ? 'reminder' : batch.kind === 'recovery' ? 'recovery' : 'problem';
        body.push(text(cat, `intro.${kind}.${n === 1 ? 'one' : 'other'}` as CatalogueKey, { n }));
        for (const item of batch.items) body.push('', ...itemBlock(ctx, batch, item));
    }
    if (options.publicUrl) body.push('', text(cat, 'footer.details', { url: options.publicUrl }));
    return { subject, summary, text: `${body.join('\n')}\n` };
}
