// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The shapes of PVE credentials (pve-platform.md §2.2, §2.6) and who they name. Shape checks only
 * spare PVE obvious garbage; whether a credential is valid is always PVE's answer, and the user
 * read from a ticket's text is trusted only after PVE accepted that ticket.
 */

/** `PVE:` + text + `::` + a signature without `:` or whitespace (§2.2 verification sequence). */
const TICKET_RE = /^PVE:\S+::[^:\s]+$/;
/** `user@realm!tokenid=secret` (§2.6). */
const TOKEN_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+=[^\s;]+$/;
/** A plain user id: PVE user names cannot contain `:`, realms are word-like. */
const USER_RE = /^[^\s:/!]+@[A-Za-z][A-Za-z0-9.\-_]+$/;

export function isTicketShaped(ticket: string): boolean {
    return ticket.length <= 4096 && TICKET_RE.test(ticket);
}

export function isTokenShaped(token: string): boolean {
    return token.length <= 512 && TOKEN_RE.test(token);
}

/**
 * The user of a ticket, read without verifying it: the text between `PVE:` and the last
 * `:<HEX8>` before `::`, with `%3A` decoded. Undefined for two-factor half tickets and anything
 * that does not name a plain `user@realm`.
 */
export function ticketUser(ticket: string): string | undefined {
    const signed = ticket.slice(0, ticket.indexOf('::'));
    const m = /^PVE:(.+):[A-Z0-9]{8}$/.exec(signed);
    if (!m) return undefined;
    const user = (m[1] as string).replace(/%3A/gi, ':');
    return USER_RE.test(user) ? user : undefined;
}

/** `user@realm!tokenid` of a token (everything before the last `=`, where PVE splits). */
export function tokenId(token: string): string {
    return token.slice(0, token.lastIndexOf('='));
}
