// SPDX-License-Identifier: AGPL-3.0-or-later
// Credential parsing, the verdict cache and loopback detection, with a counting fake checker.
import { describe, expect, it } from 'vitest';
import type { AccessChecker, AccessGrant, Credential } from '../../src/ports.ts';
import { createCachedAccess, credentialFromHeader } from '../../src/server/auth.ts';
import { isLoopbackAddress } from '../../src/server/loopback.ts';

describe('credentialFromHeader', () => {
    it('reads a ticket or a token with = or a space, up to ;, URI-unescaped', () => {
        expect(credentialFromHeader('PVEAuthCookie=PVE%3Aroot%40pam%3A6779E6A1%3A%3Aab%2Bc%3D%3D')).toEqual({ kind: 'ticket', ticket: 'PVE:root@pam:6779E6A1::ab+c==' });
        expect(credentialFromHeader('PVEAuthCookie PVE:root@pam:6779E6A1::abc=; other=1')).toEqual({ kind: 'ticket', ticket: 'PVE:root@pam:6779E6A1::abc=' });
        expect(credentialFromHeader('PVEAPIToken=u@pve!t=1-2-3')).toEqual({ kind: 'token', token: 'u@pve!t=1-2-3' });
        expect(credentialFromHeader('PVEAPIToken u@pve!t=1-2-3')).toEqual({ kind: 'token', token: 'u@pve!t=1-2-3' });
    });

    it('prefers the ticket when both are present, as pveproxy does', () => {
        expect(credentialFromHeader('PVEAPIToken=u@pve!t=s; PVEAuthCookie=PVE:a@pve:00000001::x')?.kind).toBe('ticket');
    });

    it('finds nothing in other schemes or look-alike names', () => {
        for (const h of [undefined, '', 'Bearer abc', 'Basic cm9vdDpwdw==', 'XPVEAuthCookie=abc', 'PVEAuthCookieX=abc']) {
            expect(credentialFromHeader(h)).toBeUndefined();
        }
    });

    it('passes a broken escape on unchanged, for PVE to refuse', () => {
        expect(credentialFromHeader('PVEAuthCookie=PVE:%E0%A4%A')).toEqual({ kind: 'ticket', ticket: 'PVE:%E0%A4%A' });
    });
});

function countingChecker(answer: (c: Credential) => Promise<AccessGrant>) {
    const asked: string[] = [];
    const checker: AccessChecker = {
        check: (c) => {
            asked.push(c.kind === 'ticket' ? c.ticket : c.token);
            return answer(c);
        },
    };
    return { checker, asked };
}

const grant = (user: string): AccessGrant => ({ user, privileges: new Set(['Sys.Audit']) });
const refusal = () => Object.assign(new Error('refused'), { status: 401 });
const ticket = (created: number, sig = 'sig') => ({ kind: 'ticket' as const, ticket: `PVE:a@pve:${created.toString(16).toUpperCase().padStart(8, '0')}::${sig}` });

describe('createCachedAccess', () => {
    it('remembers a refusal only for the failure TTL', async () => {
        let now = 1000;
        const { checker, asked } = countingChecker(async () => {
            throw refusal();
        });
        const cached = createCachedAccess({ access: checker, now: () => now, failureTtlSeconds: 2 });
        const t = { kind: 'token' as const, token: 'u@pve!t=bad' };
        await expect(cached.check(t)).rejects.toMatchObject({ status: 401 });
        now += 1.5;
        await expect(cached.check(t)).rejects.toMatchObject({ status: 401 });
        expect(asked).toHaveLength(1);
        now += 1;
        await expect(cached.check(t)).rejects.toMatchObject({ status: 401 });
        expect(asked).toHaveLength(2);
    });

    it('does not remember that PVE was unreachable', async () => {
        let up = false;
        const { checker, asked } = countingChecker(async () => {
            if (!up) throw Object.assign(new Error('ECONNREFUSED'), { status: 503 });
            return grant('a@pve');
        });
        const cached = createCachedAccess({ access: checker, now: () => 1000 });
        const t = { kind: 'token' as const, token: 'u@pve!t=ok' };
        await expect(cached.check(t)).rejects.toMatchObject({ status: 503 });
        up = true;
        await expect(cached.check(t)).resolves.toMatchObject({ user: 'a@pve' });
        expect(asked).toHaveLength(2);
    });

    it('shares one question among concurrent checks of a credential', async () => {
        let release: (g: AccessGrant) => void = () => {};
        const { checker, asked } = countingChecker(() => new Promise((resolve) => (release = resolve)));
        const cached = createCachedAccess({ access: checker, now: () => 1000 });
        const t = { kind: 'token' as const, token: 'u@pve!t=s' };
        const all = Promise.all([cached.check(t), cached.check(t), cached.check(t)]);
        release(grant('a@pve'));
        expect((await all).map((g) => g.user)).toEqual(['a@pve', 'a@pve', 'a@pve']);
        expect(asked).toHaveLength(1);
    });

    it('keeps at most maxEntries, dropping the oldest', async () => {
        const { checker, asked } = countingChecker(async (c) => grant(c.kind));
        const cached = createCachedAccess({ access: checker, now: () => 1000, maxEntries: 3 });
        for (const s of ['a', 'b', 'c', 'd']) await cached.check({ kind: 'token', token: s });
        expect(cached.size()).toBe(3);
        await cached.check({ kind: 'token', token: 'd' });
        expect(asked).toHaveLength(4);
        await cached.check({ kind: 'token', token: 'a' });
        expect(asked).toHaveLength(5);
    });

    it('caps a ticket at its creation time + 2 h, and a token at the TTL', async () => {
        let now = 100_000;
        const { checker, asked } = countingChecker(async () => grant('a@pve'));
        const cached = createCachedAccess({ access: checker, now: () => now, ttlSeconds: 60 });
        const nearlyExpired = ticket(now - 7170);
        await cached.check(nearlyExpired);
        now += 29;
        await cached.check(nearlyExpired);
        expect(asked).toHaveLength(1);
        now += 2;
        await cached.check(nearlyExpired);
        expect(asked).toHaveLength(2);
        const token = { kind: 'token' as const, token: 't' };
        await cached.check(token);
        now += 59;
        await cached.check(token);
        expect(asked).toHaveLength(3);
        now += 2;
        await cached.check(token);
        expect(asked).toHaveLength(4);
    });

    it('treats the same text as a ticket and as a token as two credentials', async () => {
        const { checker, asked } = countingChecker(async () => grant('a@pve'));
        const cached = createCachedAccess({ access: checker, now: () => 1000 });
        await cached.check({ kind: 'token', token: 'same' });
        await cached.check({ kind: 'ticket', ticket: 'same' });
        expect(asked).toHaveLength(2);
    });
});

describe('isLoopbackAddress', () => {
    it('knows 127.0.0.0/8, ::1 and IPv4-mapped loopback', () => {
        for (const a of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2']) expect(isLoopbackAddress(a), a).toBe(true);
    });

    it('refuses everything else, including names', () => {
        for (const a of [undefined, '', '0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', '::2', 'fe80::1', 'localhost', '127.0.0.1.example.com']) {
            expect(isLoopbackAddress(a), String(a)).toBe(false);
        }
    });
});
