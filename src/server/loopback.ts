// SPDX-License-Identifier: AGPL-3.0-or-later
/** Loopback addresses: where plain HTTP may listen, and which peers may scrape metrics in loopback mode. */

import { isIPv4, isIPv6 } from 'node:net';

/**
 * 127.0.0.0/8, ::1, and 127.x written as IPv4-mapped IPv6 (how a dual-stack socket reports an
 * IPv4 peer). Host names are not resolved: only literal addresses count.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
    if (address === undefined) return false;
    const a = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (isIPv4(a)) return a.startsWith('127.');
    if (!isIPv6(a)) return false;
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isIPv4(mapped[1] as string) && (mapped[1] as string).startsWith('127.');
    return /^(?:0{0,4}:){2,7}0{0,3}1$/.test(a) || a === '::1';
}
