// SPDX-License-Identifier: AGPL-3.0-or-later
// The simulator's PVE authentication: tickets (signature, 2 h window, cookie before header), API
// tokens, the permission listing and `POST /access/ticket` verify mode, over real HTTPS.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AUDITOR_TOKEN, credentialValue } from './access.ts';
import { type Simulator, startSimulator } from './server.ts';
import { type ScenarioSpec, tokenString } from './spec.ts';

const START = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;

function tinySpec(): ScenarioSpec {
    return {
        seed: 1,
        start: START,
        historyDays: 2,
        nodes: [{ name: 'pve1', timeZone: 'UTC' }],
        guests: [{ vmid: 100, type: 'qemu', name: 'web', node: 'pve1' }],
        storages: [{ id: 'local', type: 'dir', totalGiB: 100 }],
        jobs: [{ id: 'backup-1', schedule: '02:00', storage: 'local', vmids: [100] }],
    };
}

let sim: Simulator;
beforeAll(async () => {
    sim = await startSimulator(tinySpec());
});
afterAll(async () => {
    await sim.stop();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, form?: Record<string, string>) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise<{ status: number; reason: string; data: unknown }>((resolve, reject) => {
        const h: Record<string, string> = { ...headers };
        if (body) h['Content-Type'] = 'application/x-www-form-urlencoded';
        const req = request(`${sim.url}/api2/json${path}`, { method, headers: h, ca: sim.ca }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => {
                text += c.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', data: (JSON.parse(text) as { data: unknown }).data }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

const cookie = (ticket: string) => ({ Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` });
const perms = (headers: Record<string, string>) => call('GET', '/access/permissions?path=%2F', headers);

describe('simulator tickets', () => {
    it('lists the privileges of each built-in user on / for a ticket in the cookie or the Authorization header', async () => {
        const root = await perms(cookie(sim.issueTicket('root@pam')));
        expect(root.status).toBe(200);
        expect(root.data).toMatchObject({ '/': { 'Sys.Audit': 1, 'Sys.Modify': 1 } });
        const auditor = await perms({ Authorization: `PVEAuthCookie=${sim.issueTicket('auditor@pve')}` });
        expect((auditor.data as Record<string, object>)['/']).toHaveProperty('Sys.Audit', 1);
        expect((auditor.data as Record<string, object>)['/']).not.toHaveProperty('Sys.Modify');
        expect((await perms(cookie(sim.issueTicket('nobody@pve')))).data).toEqual({ '/': {} });
    });

    it('refuses a forged signature, a ticket for an unknown user, and garbage', async () => {
        const good = sim.issueTicket('root@pam');
        const flipped = good.replace(/::(.)/, (_m, c: string) => `::${c === 'A' ? 'B' : 'A'}`);
        const otherUser = good.replace('root@pam', 'auditor@pve');
        for (const t of [flipped, otherUser, sim.issueTicket('ghost@pve').replace(/::.*/, '::x'), 'nonsense']) {
            const r = await perms(cookie(t));
            expect(r, t).toMatchObject({ status: 401, reason: 'authentication failure' });
        }
    });

    it('accepts a ticket for just under 2 h (and 5 min early), then refuses it', async () => {
        const now = sim.clock.now();
        expect((await perms(cookie(sim.issueTicket('root@pam', undefined, now - 7199)))).status).toBe(200);
        expect((await perms(cookie(sim.issueTicket('root@pam', undefined, now + 299)))).status).toBe(200);
        expect((await perms(cookie(sim.issueTicket('root@pam', undefined, now - 7200)))).status).toBe(401);
        expect((await perms(cookie(sim.issueTicket('root@pam', undefined, now + 300)))).status).toBe(401);
        const t = sim.issueTicket('root@pam');
        sim.clock.advance(7200);
        try {
            expect((await perms(cookie(t))).status).toBe(401);
        } finally {
            sim.clock.set(now);
        }
    });

    it('answers No ticket without a credential, and tries the cookie before the header', async () => {
        expect(await perms({})).toMatchObject({ status: 401, reason: 'No ticket' });
        const both = { ...cookie('PVE:root@pam:00000000::forged'), Authorization: `PVEAuthCookie=${sim.issueTicket('root@pam')}` };
        expect((await perms(both)).status).toBe(401);
    });
});

describe('simulator tokens', () => {
    it('knows an admin and an auditor token besides the collector token', async () => {
        const admin = await perms({ Authorization: `PVEAPIToken=${tokenString(ADMIN_TOKEN)}` });
        expect(admin.data).toMatchObject({ '/': { 'Sys.Modify': 1 } });
        const auditor = await perms({ Authorization: `PVEAPIToken ${tokenString(AUDITOR_TOKEN)}` });
        expect((auditor.data as Record<string, object>)['/']).not.toHaveProperty('Sys.Modify');
        expect((await perms({ Authorization: `PVEAPIToken=${sim.token}` })).status).toBe(200);
        const wrong = await perms({ Authorization: `PVEAPIToken=${ADMIN_TOKEN.id}=00000000-0000-0000-0000-000000000000` });
        expect(wrong.status).toBe(401);
    });
});

describe('POST /access/ticket verify mode', () => {
    const verify = (form: Record<string, string>, headers: Record<string, string> = {}) => call('POST', '/access/ticket', headers, form);

    it('confirms the user of a valid ticket holding the privilege', async () => {
        const t = sim.issueTicket('auditor@pve');
        expect(await verify({ username: 'auditor@pve', password: t, path: '/', privs: 'Sys.Audit' })).toMatchObject({ status: 200, data: { username: 'auditor@pve' } });
    });

    it('answers 401 authentication failure for a missing privilege, another user, an expired or forged ticket', async () => {
        const t = sim.issueTicket('auditor@pve');
        const cases = [
            { username: 'auditor@pve', password: t, path: '/', privs: 'Sys.Modify' },
            { username: 'root@pam', password: t, path: '/', privs: 'Sys.Audit' },
            { username: 'auditor@pve', password: sim.issueTicket('auditor@pve', undefined, sim.clock.now() - 8000), path: '/', privs: 'Sys.Audit' },
            { username: 'auditor@pve', password: `${t.slice(0, -4)}AAA=`, path: '/', privs: 'Sys.Audit' },
        ];
        for (const form of cases) expect(await verify(form)).toMatchObject({ status: 401, reason: 'authentication failure' });
    });

    it('refuses API tokens and a path without privs', async () => {
        const t = sim.issueTicket('root@pam');
        const withToken = await verify({ username: 'root@pam', password: t, path: '/', privs: 'Sys.Audit' }, { Authorization: `PVEAPIToken=${tokenString(ADMIN_TOKEN)}` });
        expect(withToken.status).toBe(403);
        expect((await verify({ username: 'root@pam', password: t, path: '/' })).status).toBe(400);
    });

    it('delays 401 answers by the configured time', async () => {
        const slow = await startSimulator(tinySpec(), { authDelayMs: 200 });
        try {
            const started = performance.now();
            const r = await new Promise<number>((resolve, reject) => {
                const req = request(`${slow.url}/api2/json/access/permissions`, { headers: cookie('PVE:x:00000000::y'), ca: slow.ca }, (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                });
                req.on('error', reject);
                req.end();
            });
            expect(r).toBe(401);
            expect(performance.now() - started).toBeGreaterThanOrEqual(190);
        } finally {
            await slow.stop();
        }
    });
});

describe('credentialValue', () => {
    it('reads name=value or name value up to ;, URI-unescaped', () => {
        expect(credentialValue('a=1; PVEAuthCookie=PVE%3Aroot%40pam%3A1::x%3D; b=2', 'PVEAuthCookie')).toBe('PVE:root@pam:1::x=');
        expect(credentialValue('PVEAPIToken u@pve!t=s', 'PVEAPIToken')).toBe('u@pve!t=s');
        expect(credentialValue('XPVEAuthCookie=1', 'PVEAuthCookie')).toBeUndefined();
        expect(credentialValue('PVEAuthCookie=%E0%A4%A', 'PVEAuthCookie')).toBeUndefined();
    });
});
