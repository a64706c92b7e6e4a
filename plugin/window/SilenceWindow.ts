// SPDX-License-Identifier: AGPL-3.0-or-later
/** Silencing a guest's alerts for a while (POST /api/v1/silences); the GUI still shows them. */

import type { SilenceRequest } from '../../src/contract/http-api.ts';
import type { GuestReport } from '../../src/domain/health/report.ts';
import type { PluginContext } from '../context.ts';
import { guarded } from '../dc/model.ts';
import { guestLabel } from '../view-logic.ts';

export function openSilenceWindow(ctx: PluginContext, guest: GuestReport, done: () => void): void {
    const { t, f } = ctx.i18n;
    const day = 86400;
    const win = Ext.create('Ext.window.Window', {
        title: f('Silence alerts for {0}', guestLabel(guest.name, guest.vmid, guest.remote)),
        width: 460,
        modal: true,
        bodyPadding: 10,
        layout: 'anchor',
        defaults: { anchor: '100%' },
        items: [
            {
                xtype: 'combobox',
                itemId: 'duration',
                fieldLabel: t('For'),
                editable: false,
                value: day,
                store: [
                    [3600 * 4, t('4 hours')],
                    [day, t('1 day')],
                    [3 * day, t('3 days')],
                    [7 * day, t('1 week')],
                    [30 * day, t('30 days')],
                    [0, t('until removed')],
                ],
            },
            { xtype: 'textfield', itemId: 'reason', fieldLabel: t('Reason'), maxLength: 200 },
            {
                xtype: 'checkbox',
                itemId: 'onlyCurrent',
                fieldLabel: ' ',
                labelSeparator: '',
                boxLabel: t('Only the current problems') + (guest.problems.length ? ` (${guest.problems.join(', ')})` : ''),
                disabled: guest.problems.length === 0,
            },
            { xtype: 'component', html: `<div class="pbh-meta">${ctx.html(t('Silenced problems are still shown here; only notifications stop.'))}</div>` },
        ],
        buttons: [
            {
                text: t('Silence'),
                itemId: 'submit',
                handler: guarded(ctx, 'silence failed', async () => {
                    // A remote cluster's guest: the silence is for that cluster only (VMIDs repeat).
                    const request: SilenceRequest = guest.remote ? { remote: guest.remote, vmid: guest.vmid } : { vmid: guest.vmid };
                    const duration = Number(win.down('#duration')?.getValue() ?? 0);
                    if (duration > 0) request.durationSeconds = duration;
                    const reason = String(win.down('#reason')?.getValue() ?? '').trim();
                    if (reason) request.reason = reason;
                    if (win.down('#onlyCurrent')?.getValue() === true) request.codes = [...new Set(guest.problems)];
                    win.setLoading(true);
                    try {
                        await ctx.api.post('/silences', request);
                        win.close();
                        done();
                    } catch (e) {
                        win.setLoading(false);
                        Ext.Msg.alert(t('Error'), ctx.html(e instanceof Error ? e.message : String(e)));
                    }
                }),
            },
            { text: t('Cancel'), handler: () => win.close() },
        ],
    });
    win.show();
}
