// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A minimal SMTP server on loopback, speaking enough of RFC 5321 for nodemailer: EHLO/HELO,
 * STARTTLS (RFC 3207), AUTH PLAIN and LOGIN (RFC 4954), MAIL FROM, RCPT TO, DATA (with dot
 * unstuffing), RSET, NOOP, QUIT. It records each session for the test to inspect.
 */
import { type Server, type Socket, createServer } from 'node:net';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface SmtpSession {
    tls: boolean;
    startedTls: boolean;
    ehlo?: string;
    auth?: { method: string; user: string; pass: string; ok: boolean };
    from?: string;
    rcpt: string[];
    data?: string;
}

export interface SmtpOptions {
    /** plain: no TLS offered; starttls: offered on a plain port; tls: implicit TLS from the first byte. */
    mode: 'plain' | 'starttls' | 'tls';
    certs?: { cert: string; key: string };
    /** user → password; when set, AUTH is offered (after TLS, if TLS is offered at all). */
    users?: Record<string, string>;
}

export interface SmtpServer {
    port: number;
    sessions: SmtpSession[];
    close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export async function startSmtp(o: SmtpOptions): Promise<SmtpServer> {
    const sessions: SmtpSession[] = [];
    const sockets = new Set<Socket>();
    const serve = (socket: Socket, tls: boolean) => {
        const s: SmtpSession = { tls, startedTls: false, rcpt: [] };
        sessions.push(s);
        converse(socket, s, o);
    };
    const server: Server =
        o.mode === 'tls'
            ? createTlsServer({ cert: o.certs?.cert, key: o.certs?.key }, (sock) => serve(sock, true))
            : createServer((sock) => serve(sock, false));
    server.on(o.mode === 'tls' ? 'secureConnection' : 'connection', (sock: Socket) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        port: (server.address() as AddressInfo).port,
        sessions,
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise<void>((r) => server.close(() => r()));
        },
    };
}

function converse(initial: Socket, s: SmtpSession, o: SmtpOptions): void {
    let socket: Socket = initial;
    let buffer = '';
    let data: string[] | undefined;
    let pending: ((line: string) => void) | undefined;
    const send = (line: string) => socket.write(`${line}\r\n`);
    const onData = (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (data) {
                if (line === '.') {
                    s.data = Buffer.from(data.join('\r\n'), 'latin1').toString('utf8');
                    data = undefined;
                    send('250 2.0.0 Ok: queued');
                } else data.push(line.startsWith('.') ? line.slice(1) : line);
            } else if (pending) {
                const p = pending;
                pending = undefined;
                p(line);
            } else if (command(line) === 'upgrade') return;
        }
    };
    const secure = () => s.tls || s.startedTls;
    const checkAuth = (method: string, user: string, pass: string) => {
        const good = o.users?.[user] === pass;
        s.auth = { method, user, pass, ok: good };
        send(good ? '235 2.7.0 Authentication successful' : '535 5.7.8 Error: authentication failed');
    };
    const command = (line: string): 'upgrade' | undefined => {
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        if (verb === 'EHLO' || verb === 'HELO') {
            s.ehlo = line.slice(5);
            const ext = ['8BITMIME', 'SMTPUTF8'];
            if (o.mode === 'starttls' && !secure()) ext.push('STARTTLS');
            if (o.users && (o.mode === 'plain' || secure())) ext.push('AUTH PLAIN LOGIN');
            const lines = ['localhost', ...ext];
            send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}`).join('\r\n'));
        } else if (verb === 'STARTTLS' && o.mode === 'starttls') {
            send('220 2.0.0 Ready to start TLS');
            socket.removeListener('data', onData);
            socket = new TLSSocket(socket, { isServer: true, cert: o.certs?.cert, key: o.certs?.key });
            s.startedTls = true;
            socket.on('data', onData);
            socket.on('error', () => undefined);
            return 'upgrade';
        } else if (verb === 'AUTH') {
            const [, method, initial] = line.split(' ');
            if (method?.toUpperCase() === 'PLAIN') {
                const plain = (v: string) => {
                    const [, user = '', pass = ''] = b64(v).split('\0');
                    checkAuth('PLAIN', user, pass);
                };
                if (initial) plain(initial);
                else {
                    send('334 ');
                    pending = plain;
                }
            } else if (method?.toUpperCase() === 'LOGIN') {
                send('334 VXNlcm5hbWU6');
                pending = (u) => {
                    send('334 UGFzc3dvcmQ6');
                    pending = (p) => checkAuth('LOGIN', b64(u), b64(p));
                };
            } else send('504 5.5.4 Unrecognized authentication type');
        } else if (verb === 'MAIL') {
            s.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
            send('250 2.1.0 Ok');
        } else if (verb === 'RCPT') {
            s.rcpt.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
            send('250 2.1.5 Ok');
        } else if (verb === 'DATA') {
            data = [];
            send('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
            send('221 2.0.0 Bye');
            socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') send('250 2.0.0 Ok');
        else send('502 5.5.2 Error: command not recognized');
        return undefined;
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    send('220 localhost ESMTP pbh-test');
}
