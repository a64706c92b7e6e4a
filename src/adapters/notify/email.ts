// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * E-mail: over SMTP (nodemailer; STARTTLS, implicit TLS or plain, optional AUTH) or through the
 * host's `sendmail -t -i` (every PVE host has postfix). nodemailer composes the MIME message in
 * both cases, so UTF-8 subjects and bodies are encoded correctly.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { SendmailTarget, SmtpTarget } from '../../config/types.ts';
import type { AlertBatch, RenderedMessage } from '../../domain/alerts/types.ts';
import type { Notifier } from '../../ports.ts';
import { NotifyError, type Redact, bodyExcerpt, describeCause, formatTimeout, redactor } from './errors.ts';
import { DEFAULT_TIMEOUT_MS } from './http.ts';

const DEFAULT_PORT = { starttls: 587, tls: 465, none: 25 } as const;

type Address = string | { name: string; address: string };

/**
 * nodemailer drops a bare local part (`root`, the usual PVE recipient) as "no address"; as an
 * address object it becomes `<root>`, which the local MTA completes with its own domain.
 */
function address(a: string): Address {
    return a.includes('@') || a.includes('<') ? a : { name: '', address: a.trim() };
}

function mail(from: string | undefined, to: readonly string[], batch: AlertBatch, message: RenderedMessage) {
    const m: { from?: Address; to: Address[]; subject: string; text: string; headers: Record<string, string> } = {
        to: to.map(address),
        subject: message.subject,
        text: message.text,
        headers: { 'X-PBH-Kind': batch.kind, 'X-PBH-Severity': batch.severity },
    };
    if (from !== undefined) m.from = address(from);
    return m;
}

/** Reads nodemailer's error fields (code, responseCode, response) without trusting their shape. */
function smtpFailure(e: unknown, where: string, label: string, redact: Redact): NotifyError {
    const f = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; responseCode?: unknown; response?: unknown };
    const status = typeof f.responseCode === 'number' ? f.responseCode : undefined;
    const response = typeof f.response === 'string' ? bodyExcerpt(f.response) : '';
    if (f.code === 'EAUTH') return new NotifyError(redact(`${label}: authentication failed at ${where}${response}`), false, status);
    if (f.code === 'ETLS') return new NotifyError(redact(`${label}: STARTTLS failed at ${where}${response}`), false, status);
    if (status !== undefined) return new NotifyError(redact(`${label}: server ${where} answered ${status}${response}`), status < 500, status);
    const cause = describeCause(e);
    return new NotifyError(redact(`${label}: ${cause.text} (${where})`), cause.retryable);
}

export function smtpNotifier(target: SmtpTarget, password: string | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Notifier {
    const label = `smtp target '${target.name}'`;
    const redact = redactor([password]);
    const port = target.port ?? DEFAULT_PORT[target.security];
    const where = `${target.host}:${port}`;
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            if (signal?.aborted) throw new NotifyError(`${label}: cancelled`, false);
            let ca: string | undefined;
            if (target.caFile !== undefined) {
                try {
                    ca = readFileSync(target.caFile, 'utf8');
                } catch {
                    throw new NotifyError(`${label}: cannot read CA file ${target.caFile}`, false);
                }
            }
            const transport = nodemailer.createTransport({
                host: target.host,
                port,
                secure: target.security === 'tls',
                requireTLS: target.security === 'starttls',
                ignoreTLS: target.security === 'none',
                ...(target.username !== undefined ? { auth: { user: target.username, pass: password ?? '' } } : {}),
                tls: { ...(ca !== undefined ? { ca } : {}), rejectUnauthorized: target.insecure !== true },
                connectionTimeout: timeoutMs,
                greetingTimeout: timeoutMs,
                socketTimeout: timeoutMs,
                logger: false,
                debug: false,
            });
            const abort = () => transport.close();
            signal?.addEventListener('abort', abort, { once: true });
            try {
                await transport.sendMail(mail(target.from, target.to, batch, message));
            } catch (e) {
                throw smtpFailure(e, where, label, redact);
            } finally {
                signal?.removeEventListener('abort', abort);
                transport.close();
            }
        },
    };
}

/** The RFC 5322 message nodemailer composes, as bytes for sendmail's stdin. */
async function compose(from: string | undefined, to: readonly string[], batch: AlertBatch, message: RenderedMessage): Promise<Buffer> {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await transport.sendMail(mail(from, to, batch, message));
    return info.message as Buffer;
}

export function sendmailNotifier(target: SendmailTarget, timeoutMs = DEFAULT_TIMEOUT_MS): Notifier {
    const label = `sendmail target '${target.name}'`;
    return {
        name: target.name,
        type: target.type,
        async send(batch: AlertBatch, message: RenderedMessage, signal?: AbortSignal): Promise<void> {
            const bytes = await compose(target.from, target.to, batch, message);
            await runSendmail(target.sendmailPath, bytes, { label, timeoutMs, ...(signal ? { signal } : {}) });
        },
    };
}

/** `sendmail -t -i`: recipients from the headers, a lone `.` line is not the end. Checks the exit code. */
function runSendmail(path: string, input: Buffer, o: { label: string; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        const child = spawn(path, ['-t', '-i'], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        let settled = false;
        const finish = (err?: NotifyError) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            o.signal?.removeEventListener('abort', onAbort);
            if (err) reject(err);
            else resolve();
        };
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            finish(new NotifyError(`${o.label}: ${path} did not finish within ${formatTimeout(o.timeoutMs)}`, true));
        }, o.timeoutMs);
        const onAbort = () => {
            child.kill('SIGKILL');
            finish(new NotifyError(`${o.label}: cancelled`, false));
        };
        o.signal?.addEventListener('abort', onAbort, { once: true });
        child.stderr.on('data', (c: Buffer) => {
            if (stderr.length < 4096) stderr += c.toString('utf8');
        });
        child.on('error', (e) => {
            const code = (e as { code?: string }).code;
            const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (code ?? e.message);
            finish(new NotifyError(`${o.label}: cannot run ${path} (${why})`, false));
        });
        child.on('close', (status, sig) => {
            if (status === 0) finish();
            else finish(new NotifyError(`${o.label}: ${path} exited with ${status === null ? `signal ${sig}` : `status ${status}`}${bodyExcerpt(stderr)}`, true));
        });
        // A sendmail that dies before reading stdin makes the write fail with EPIPE; the exit status tells why.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
    });
}
