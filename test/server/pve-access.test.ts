// SPDX-License-Identifier: AGPL-3.0-or-later
// The PVE AccessChecker adapter against the simulator over HTTPS: grants from PVE's permission
// listing, 401 only when PVE refuses, 503 for everything that keeps PVE from answering.
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessCheckError, createPveAccessChecker } from '../../src/adapters/pve-access/access-checker.ts';
import { ticketUser } from '../../src/adapters/pve-access/credentials.ts';
import type { AccessChecker } from '../../src/ports.ts';
import { ADMIN_TOKEN, AUDITOR_TOKEN } from '../simulator/access.ts';
import { generateCertificates } from '../simulator/cert.ts';
import { type Simulator, startSimulator } from '../simulator/server.ts';
import { tokenString } from '../simulator/spec.ts';
import { tinySpec } from './harness.ts';

let sim: Simulator;
let agent: Agent;
let access: AccessChecker;

beforeAll(async () => {
    sim = await startSimulator(tinySpec());
    agent = new Agent({ ca: sim.ca, keepAlive: true });
    access = createPveAccessChecker({ baseUrl: sim.url, agent });
});
afterAll(async () => {
    agent.destroy();
    await sim.stop();
});

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as AccessCheckError;

describe('PVE access checker', () => {
    it('returns the ticket user and their privileges on /', async () => {
        const root = await access.check({ kind: 'ticket', ticket: sim.issueTicket('root@pam') });
        expect(root.user).toBe('root@pam');
        expect(root.privileges.has('Sys.Modify')).toBe(true);
        const auditor = await access.check({ kind: 'ticket', ticket: sim.issueTicket('auditor@pve') });
        expect(auditor.user).toBe('auditor@pve');
        expect([...auditor.privileges]).toContain('Sys.Audit');
        expect(auditor.privileges.has('Sys.Modify')).toBe(false);
        expect((await access.check({ kind: 'ticket', ticket: sim.issueTicket('nobody@pve') })).privileges.size).toBe(0);
    });

    it('sends the ticket as a cookie and the token in the Authorization header', async () => {
        const grant = await access.check({ kind: 'token', token: tokenString(ADMIN_TOKEN) });
        expect(grant).toMatchObject({ user: 'root@pam!admin' });
        expect(grant.privileges.has('Sys.Modify')).toBe(true);
        const ro = await access.check({ kind: 'token', token: tokenString(AUDITOR_TOKEN) });
        expect(ro.user).toBe('auditor@pve!ro');
        expect(ro.privileges.has('Sys.Modify')).toBe(false);
        const last = sim.requestLog.at(-1);
        expect(last).toMatchObject({ method: 'GET', path: '/access/permissions', query: { path: '/' }, status: 200 });
    });

    it('fails with status 401 when PVE refuses: forged, expired, wrong secret, unknown user', async () => {
        const good = sim.issueTicket('root@pam');
        const cases = [
            { kind: 'ticket' as const, ticket: good.replace(/::(.)/, (_m, c: string) => `::${c === 'Q' ? 'R' : 'Q'}`) },
            { kind: 'ticket' as const, ticket: sim.issueTicket('root@pam', undefined, sim.clock.now() - 7300) },
            { kind: 'ticket' as const, ticket: sim.issueTicket('ghost@pve').replace(/::.*/, '::AAAA') },
            { kind: 'token' as const, token: `${ADMIN_TOKEN.id}=00000000-0000-0000-0000-000000000000` },
        ];
        for (const c of cases) {
            const err = await failure(access.check(c));
            expect(err).toBeInstanceOf(AccessCheckError);
            expect(err.status).toBe(401);
            expect(err.message).not.toContain(c.kind === 'ticket' ? c.ticket.split('::')[1] : '00000000-0000');
        }
    });

    it('refuses text that is no ticket or token without asking PVE', async () => {
        const before = sim.requestLog.length;
        for (const c of [{ kind: 'ticket' as const, ticket: 'hello' }, { kind: 'token' as const, token: 'root@pam' }, { kind: 'ticket' as const, ticket: 'PVE:a@pve:1::x\r\nX-Evil: 1' }]) {
            expect((await failure(access.check(c))).status).toBe(401);
        }
        expect(sim.requestLog.length).toBe(before);
    });

    it('fails with status 503 when PVE errs, hangs, is unreachable or not the certified host', async () => {
        const ticket = sim.issueTicket('root@pam');
        sim.faults.failNext('/access/permissions', 1, 500, 'Internal Server Error');
        expect(await failure(access.check({ kind: 'ticket', ticket }))).toMatchObject({ status: 503, message: expect.stringMatching(/500/) });

        sim.faults.hangNext('/access/permissions', 1);
        const impatient = createPveAccessChecker({ baseUrl: sim.url, agent, timeoutMs: 200 });
        expect(await failure(impatient.check({ kind: 'ticket', ticket }))).toMatchObject({ status: 503, message: expect.stringMatching(/within 200 ms/) });

        const nowhere = createPveAccessChecker({ baseUrl: 'https://127.0.0.1:1', agent });
        expect(await failure(nowhere.check({ kind: 'ticket', ticket }))).toMatchObject({ status: 503, message: expect.stringMatching(/cannot be reached/) });

        const otherCa = new Agent({ ca: generateCertificates().ca });
        try {
            const distrusting = createPveAccessChecker({ baseUrl: sim.url, agent: otherCa });
            const before = sim.requestLog.length;
            expect((await failure(distrusting.check({ kind: 'ticket', ticket }))).status).toBe(503);
            // The TLS handshake failed, so the ticket never left this process.
            expect(sim.requestLog.length).toBe(before);
        } finally {
            otherCa.destroy();
        }
    });

    it('insists on https', () => {
        expect(() => createPveAccessChecker({ baseUrl: 'http://127.0.0.1:8006', agent })).toThrow(/must be https/);
    });
});

describe('ticketUser', () => {
    it('reads the user between PVE: and the creation time, decoding %3A', () => {
        expect(ticketUser('PVE:root@pam:6779E6A1::Vb3k==')).toBe('root@pam');
        expect(ticketUser('PVE:alice@ldap-corp:6779E6A1::x')).toBe('alice@ldap-corp');
    });

    it('names no user for two-factor half tickets or malformed ones', () => {
        expect(ticketUser('PVE:!tfa!{"totp":true}:6779E6A1::x')).toBeUndefined();
        expect(ticketUser('PVE:6779E6A1::x')).toBeUndefined();
        expect(ticketUser('PVE:root@pam:1::x')).toBeUndefined();
        expect(ticketUser('PVE:a%3Ab@pam:6779E6A1::x')).toBeUndefined();
    });
});
