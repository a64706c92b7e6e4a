// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The JSON document webhook receivers get (generic webhook, Home Assistant webhook trigger), and
 * the optional body template. The shape is a contract for people's automations: add fields,
 * never rename them.
 */

import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';

export interface WebhookPayload {
    source: 'pve-backup-health';
    kind: AlertBatch['kind'];
    severity: AlertBatch['severity'];
    /** Epoch seconds of the cycle. */
    at: number;
    cluster: string | null;
    subject: string;
    summary: string;
    text: string;
    problems: {
        key: string;
        code: string;
        severity: string;
        vmid: number | null;
        guestName: string | null;
        job: string | null;
        node: string | null;
        storage: string | null;
        /** The remote cluster (configured `remotes`) the problem is in; null: the daemon's own. */
        remote: string | null;
        /** English text of the problem. */
        message: string;
        firstSeen: number;
        evidence: unknown;
    }[];
}

export function webhookPayload(batch: AlertBatch, message: RenderedMessage): WebhookPayload {
    return {
        source: 'pve-backup-health',
        kind: batch.kind,
        severity: batch.severity,
        at: batch.at,
        cluster: batch.cluster ?? null,
        subject: message.subject,
        summary: message.summary,
        text: message.text,
        problems: batch.items.map((i) => ({
            key: i.key,
            code: i.problem.code,
            severity: i.problem.severity,
            vmid: i.problem.vmid ?? null,
            guestName: i.problem.guestName ?? null,
            job: i.problem.job ?? null,
            node: i.problem.node ?? null,
            storage: i.problem.storage ?? null,
            remote: i.problem.remote ?? null,
            message: i.problem.message,
            firstSeen: i.firstSeen,
            evidence: i.problem.evidence,
        })),
    };
}

/**
 * Fills `{{name}}` placeholders. With a JSON content type the values are JSON-string escaped
 * (write `"{{text}}"` inside quotes); `{{json}}` is always the whole payload as JSON.
 * Unknown placeholders are left as they are, so a typo is visible at the receiver.
 */
export function renderTemplate(template: string, payload: WebhookPayload, jsonEscape: boolean): string {
    const values: Record<string, string> = {
        subject: payload.subject,
        summary: payload.summary,
        text: payload.text,
        kind: payload.kind,
        severity: payload.severity,
        cluster: payload.cluster ?? '',
        count: String(payload.problems.length),
    };
    return template.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, name: string) => {
        if (name === 'json') return JSON.stringify(payload);
        const v = values[name];
        if (v === undefined) return whole;
        return jsonEscape ? JSON.stringify(v).slice(1, -1) : v;
    });
}
