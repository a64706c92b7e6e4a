// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What the tab says instead of data when the daemon cannot be used: exactly why, and what the
 * admin has to do (accept the certificate, start the service, open port 8009/tcp, log in again,
 * get Sys.Audit). Never an empty grid.
 */

import { DEFAULT_PORT } from '../../src/contract/http-api.ts';
import type { FailureKind } from '../api.ts';
import type { PluginContext } from '../context.ts';
import { fill } from '../i18n.ts';

function page(ctx: PluginContext, icon: string, title: string, body: string): string {
    return `<div class="pbh-message"><h2><i class="fa ${icon}"></i>${ctx.html(title)}</h2>${body}</div>`;
}

export function failureHtml(ctx: PluginContext, kind: FailureKind, message: string): string {
    const { t, f } = ctx.i18n;
    /** Translated and escaped, then filled with HTML arguments. */
    const hf = (text: string, ...args: string[]) => fill(ctx.html(t(text)), args);
    const base = ctx.api.baseUrl;
    const link = `<a href="${ctx.html(`${base}/`)}" target="_blank" rel="noopener noreferrer">${ctx.html(`${base}/`)}</a>`;
    const detail = `<p class="pbh-meta">${ctx.html(t('Details'))}: ${ctx.html(message)}</p>`;
    switch (kind) {
        case 'unreachable':
            return page(
                ctx,
                'fa-plug critical',
                t('The Backup Health service cannot be reached'),
                `<p>${ctx.html(f('The browser could not connect to {0}.', base))}</p><ul>` +
                    `<li>${hf('If the service uses a certificate this browser does not trust yet, open {0} in a new browser tab, accept the certificate, then come back and press Retry.', link)}</li>` +
                    `<li>${hf('Make sure the service {0} runs on the node: {1}', '<code>pve-backup-health</code>', '<code>systemctl status pve-backup-health</code>')}</li>` +
                    `<li>${hf('Make sure port {0} is allowed in the firewall (Datacenter or node firewall).', `<code>${DEFAULT_PORT}/tcp</code>`)}</li>` +
                    `<li>${hf('The address can be changed with the browser setting {0}.', '<code>localStorage["pve-backup-health-url"]</code>')}</li>` +
                    `</ul>${detail}`,
            );
        case 'unauthorized':
            return page(
                ctx,
                'fa-lock critical',
                t('The Backup Health service did not accept your session'),
                `<p>${ctx.html(t('The service answered 401: your login ticket was refused. Log out and log in again; if that does not help, see the service log: journalctl -u pve-backup-health'))}</p>${detail}`,
            );
        case 'forbidden':
            return page(
                ctx,
                'fa-lock warning',
                t('Permission denied'),
                `<p>${ctx.html(t('The service answered 403: your user needs the Sys.Audit privilege on / (for example the PVEAuditor role) to see backup health.'))}</p>${detail}`,
            );
        default:
            return page(ctx, 'fa-exclamation-triangle critical', t('The Backup Health service answered with an error'), detail);
    }
}

export function waitingHtml(ctx: PluginContext): string {
    return page(ctx, 'fa-spinner fa-spin faded', ctx.i18n.t('The first check has not finished yet'), `<p>${ctx.html(ctx.i18n.t('The service has started and is reading the cluster. This page refreshes by itself.'))}</p>`);
}
