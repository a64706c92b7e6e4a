// SPDX-License-Identifier: AGPL-3.0-or-later
/** What the alert policy decides to tell people, and what it remembers between cycles. */

import type { Problem, Severity } from '../model.ts';

/** A problem as alerts see it: stable identity across cycles plus when it was first seen. */
export interface AlertItem {
    /** Stable key: `code|vmid|job|node|storage` — the same problem keeps its key across cycles. */
    key: string;
    problem: Problem;
    firstSeen: number;
}

export type AlertKind = 'problem' | 'recovery' | 'reminder' | 'test';

/** One message's worth of news, grouped per cycle ("2 backups failed on cluster X"). */
export interface AlertBatch {
    kind: AlertKind;
    at: number;
    cluster?: string;
    items: AlertItem[];
    /** Worst severity among the items (for channel priorities). */
    severity: Severity;
}

/** A rendered message, language already applied. */
export interface RenderedMessage {
    subject: string;
    /** Plain text body (mail, ntfy, Telegram, Gotify). */
    text: string;
    /** Short one-line summary (push titles, HA notifications). */
    summary: string;
}
