// SPDX-License-Identifier: AGPL-3.0-or-later
/** Reading request bodies and writing answers: JSON, text and file downloads, with the headers every answer carries. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';

/** An answer other than success, with the status it maps to and a message for the caller. */
export class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = 'HttpError';
    }
}

export type Reply =
    | { status?: number; json: unknown }
    | { status?: number; text: string; contentType: string }
    | { status?: number; stream: NodeJS.ReadableStream; size: number; contentType: string; filename: string };

/** Every answer: never cached, never sniffed into HTML, never framed, no referrer. */
export function setBaseHeaders(res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
}

export function sendReply(res: ServerResponse, reply: Reply, onStreamError: (err: Error) => void): void {
    const status = reply.status ?? 200;
    if ('json' in reply) {
        sendJson(res, status, reply.json);
        return;
    }
    if ('text' in reply) {
        res.writeHead(status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.text) });
        res.end(reply.text);
        return;
    }
    res.writeHead(status, {
        'Content-Type': reply.contentType,
        'Content-Length': reply.size,
        'Content-Disposition': `attachment; filename="${reply.filename}"`,
    });
    // A failure after the headers went out cannot become an error answer: the connection is cut,
    // so the client sees a short download instead of a complete-looking file.
    pipeline(reply.stream, res, (err) => {
        if (err) {
            res.destroy();
            onStreamError(err);
        }
    });
}

/**
 * The request body as JSON, at most `limit` bytes: undefined when empty, 413 when larger (the
 * rest is drained by the HTTP layer, so the connection stays usable), 400 when not JSON.
 */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return Promise.reject(tooLarge(limit));
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        req.on('data', (c: Buffer) => {
            if (done) return;
            size += c.length;
            if (size > limit) {
                done = true;
                reject(tooLarge(limit));
                return;
            }
            chunks.push(c);
        });
        req.on('end', () => {
            if (done) return;
            done = true;
            const text = Buffer.concat(chunks).toString('utf8');
            if (text.trim() === '') return resolve(undefined);
            try {
                resolve(JSON.parse(text));
            } catch (err) {
                reject(new HttpError(400, `the request body is not valid JSON: ${(err as Error).message}`));
            }
        });
        req.on('error', (err) => {
            if (done) return;
            done = true;
            reject(new HttpError(400, `the request body could not be read: ${err.message}`));
        });
    });
}

function tooLarge(limit: number): HttpError {
    return new HttpError(413, `the request body is larger than ${limit} bytes`);
}
