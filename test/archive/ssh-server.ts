// SPDX-License-Identifier: AGPL-3.0-or-later
// A real SSH server on 127.0.0.1 (ssh2's server side) for the push/pull tests: public-key auth
// for one client key, `exec` through `sh -c`, and an SFTP subsystem over the local file system.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, lstatSync, openSync, readSync, readdirSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Attributes, type Connection, type SFTPWrapper, Server, utils } from 'ssh2';
import { sshFingerprint } from '../../src/adapters/ssh/connect.ts';

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

export interface TestSshServer {
    port: number;
    /** Pinned fingerprint of the server's host key (`SHA256:…`). */
    hostKey: string;
    /** OpenSSH private key the server accepts. */
    clientKey: string;
    /** Commands the server ran, in order. */
    commands: string[];
    close(): Promise<void>;
}

/**
 * An ed25519 key pair ssh2 can read back: its generator strips leading zero bytes from the public
 * key, so about 1 in 256 pairs do not parse (mscdex/ssh2#1390, #1513).
 */
export function generateKey(): { private: string; public: string } {
    for (;;) {
        const pair = utils.generateKeyPairSync('ed25519');
        if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
    }
}

function attrs(s: Stats): Attributes {
    return { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) };
}

function errno(sftp: SFTPWrapper, reqId: number, e: unknown): void {
    const code = (e as NodeJS.ErrnoException).code;
    sftp.status(reqId, code === 'ENOENT' || code === 'ENOTDIR' ? STATUS_CODE.NO_SUCH_FILE : code === 'EACCES' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE, String(code));
}

function serveSftp(sftp: SFTPWrapper): void {
    const files = new Map<number, number>();
    const dirs = new Map<number, { path: string; done: boolean }>();
    let next = 1;
    const handle = (n: number): Buffer => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(n);
        return b;
    };
    const id = (h: Buffer): number => (h.length === 4 ? h.readUInt32BE(0) : -1);
    const guard = (reqId: number, fn: () => void): void => {
        try {
            fn();
        } catch (e) {
            errno(sftp, reqId, e);
        }
    };
    sftp.on('OPEN', (reqId, path, flags, a) =>
        guard(reqId, () => {
            let mode = 'r';
            if (flags & OPEN_MODE.WRITE) mode = flags & OPEN_MODE.EXCL ? 'wx' : flags & OPEN_MODE.APPEND ? 'a' : 'w';
            const fd = openSync(path, mode, a.mode ?? 0o644);
            const n = next++;
            files.set(n, fd);
            sftp.handle(reqId, handle(n));
        }),
    );
    sftp.on('READ', (reqId, h, offset, length) =>
        guard(reqId, () => {
            const fd = files.get(id(h));
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            const buf = Buffer.alloc(length);
            const n = readSync(fd, buf, 0, length, offset);
            if (n === 0) sftp.status(reqId, STATUS_CODE.EOF);
            else sftp.data(reqId, buf.subarray(0, n));
        }),
    );
    sftp.on('WRITE', (reqId, h, offset, data) =>
        guard(reqId, () => {
            const fd = files.get(id(h));
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            writeSync(fd, data, 0, data.length, offset);
            sftp.status(reqId, STATUS_CODE.OK);
        }),
    );
    sftp.on('FSTAT', (reqId, h) =>
        guard(reqId, () => {
            const fd = files.get(id(h));
            if (fd === undefined) return sftp.status(reqId, STATUS_CODE.FAILURE);
            sftp.attrs(reqId, attrs(fstatSync(fd)));
        }),
    );
    sftp.on('CLOSE', (reqId, h) =>
        guard(reqId, () => {
            const fd = files.get(id(h));
            if (fd !== undefined) closeSync(fd);
            files.delete(id(h));
            dirs.delete(id(h));
            sftp.status(reqId, STATUS_CODE.OK);
        }),
    );
    sftp.on('LSTAT', (reqId, path) => guard(reqId, () => sftp.attrs(reqId, attrs(lstatSync(path)))));
    sftp.on('STAT', (reqId, path) => guard(reqId, () => sftp.attrs(reqId, attrs(statSync(path)))));
    sftp.on('OPENDIR', (reqId, path) =>
        guard(reqId, () => {
            if (!statSync(path).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
            const n = next++;
            dirs.set(n, { path, done: false });
            sftp.handle(reqId, handle(n));
        }),
    );
    sftp.on('READDIR', (reqId, h) =>
        guard(reqId, () => {
            const d = dirs.get(id(h));
            if (!d || d.done) return sftp.status(reqId, STATUS_CODE.EOF);
            d.done = true;
            const names = readdirSync(d.path).map((filename) => ({ filename, longname: filename, attrs: attrs(lstatSync(`${d.path}/${filename}`)) }));
            sftp.name(reqId, names);
        }),
    );
    sftp.on('READLINK', (reqId, path) =>
        guard(reqId, () => {
            const target = readlinkSync(path);
            sftp.name(reqId, [{ filename: target, longname: target, attrs: {} as Attributes }]);
        }),
    );
    sftp.on('REALPATH', (reqId, path) => sftp.name(reqId, [{ filename: path, longname: path, attrs: {} as Attributes }]));
    sftp.on('RENAME', (reqId, from, to) =>
        guard(reqId, () => {
            renameSync(from, to);
            sftp.status(reqId, STATUS_CODE.OK);
        }),
    );
    sftp.on('REMOVE', (reqId, path) =>
        guard(reqId, () => {
            unlinkSync(path);
            sftp.status(reqId, STATUS_CODE.OK);
        }),
    );
}

function onClient(client: Connection, allowed: ReturnType<typeof utils.parseKey>, commands: string[], env: NodeJS.ProcessEnv): void {
    client.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey' || allowed instanceof Error) return ctx.reject(['publickey']);
        const key = Array.isArray(allowed) ? allowed[0] : allowed;
        if (!key || ctx.key.algo !== key.type || !ctx.key.data.equals(key.getPublicSSH())) return ctx.reject(['publickey']);
        if (ctx.signature && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
        ctx.accept();
    });
    client.on('ready', () => {
        client.on('session', (accept) => {
            const session = accept();
            session.on('sftp', (acceptSftp) => serveSftp(acceptSftp()));
            session.on('exec', (acceptExec, _reject, info) => {
                commands.push(info.command);
                const channel = acceptExec();
                const child = spawn('sh', ['-c', info.command], { stdio: ['ignore', 'pipe', 'pipe'], env });
                child.stdout.pipe(channel, { end: false });
                child.stderr.pipe(channel.stderr, { end: false });
                child.on('close', (code) => {
                    channel.exit(code ?? 1);
                    channel.end();
                });
            });
        });
    });
    client.on('error', () => undefined);
}

/** `env` is the environment of the commands the server runs (e.g. a private TMPDIR). */
export async function startSshServer(env: NodeJS.ProcessEnv = process.env): Promise<TestSshServer> {
    const host = generateKey();
    const client = generateKey();
    const hostPublic = utils.parseKey(host.public);
    if (hostPublic instanceof Error || Array.isArray(hostPublic)) throw new Error('cannot parse the generated host key');
    const allowed = utils.parseKey(client.public);
    const commands: string[] = [];
    const connections = new Set<Connection>();
    const server = new Server({ hostKeys: [host.private] }, (c) => {
        connections.add(c);
        c.on('close', () => connections.delete(c));
        onClient(c, allowed, commands, env);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        port: (server.address() as AddressInfo).port,
        hostKey: sshFingerprint(hostPublic.getPublicSSH()),
        clientKey: client.private,
        commands,
        close: () =>
            new Promise((resolve) => {
                for (const c of connections) c.end();
                server.close(() => resolve());
            }),
    };
}
