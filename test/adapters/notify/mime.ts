// SPDX-License-Identifier: AGPL-3.0-or-later
// Just enough MIME decoding to read back what the e-mail channels sent: unfolded headers with
// RFC 2047 encoded words, and a single-part body in quoted-printable, base64, 7bit or 8bit.

export interface ParsedMail {
    headers: Record<string, string>;
    body: string;
}

function decodeWords(value: string): string {
    return value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*(?==\?)?/gi, (_, enc: string, text: string) =>
        enc.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64').toString('utf8')
            : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

function decodeQuotedPrintable(text: string): string {
    const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
}

export function parseMail(raw: string): ParsedMail {
    const split = raw.search(/\r?\n\r?\n/);
    const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
    const bodyRaw = raw.slice(split).replace(/^\r?\n\r?\n/, '');
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
    }
    const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    const body = cte === 'quoted-printable' ? decodeQuotedPrintable(bodyRaw) : cte === 'base64' ? Buffer.from(bodyRaw, 'base64').toString('utf8') : bodyRaw;
    return { headers, body: body.replace(/\r\n/g, '\n') };
}
