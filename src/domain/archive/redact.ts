// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Secret redaction for archive diffs: an archive holds `authkey.key`, `token.cfg`, `shadow.cfg`,
 * storage passwords and PBS encryption keys (pve-platform.md §9.3). Whole files of secrets are
 * never shown; in other files, values of secret-looking keys and PEM blocks are replaced.
 */

export const REDACTED = '<redacted>';

/** Members whose content is secret as a whole (matched against the member path). */
const SECRET_FILES: readonly RegExp[] = [
    /^etc\/pve\/priv\/(?!authorized_keys$|known_hosts$)/,
    /^etc\/pve\/nodes\/[^/]+\/priv\//,
    /\.(?:key|pw|enc|keyring)$/,
    /(?:^|\/)ssh_host_[^/]*_key$/,
    /^root\/\.ssh\/id_[^/.]+$/,
    /^etc\/corosync\/authkey$/,
    /^etc\/subscription$/,
    /^etc\/postfix\/sasl[^/]*$/,
    /^etc\/(?:shadow|gshadow)-?$/,
    /^var\/lib\/pve-cluster\//,
];

export function isSecretMember(path: string): boolean {
    return SECRET_FILES.some((re) => re.test(path));
}

/** Words that make a key secret when a key ends with them (`cipassword`, `encryption-key`). */
const SECRET_SUFFIX = /(?:password|passwd|passphrase|pass|secret|token|apikey|psk|credentials?|community|authkey|privkey|private[-_]?key|encryption[-_]?key|^key)$/i;

export function isSecretKey(key: string): boolean {
    const k = key.trim().replace(/^["'-]+|["']+$/g, '');
    if (k === '') return false;
    return k.split(/[.\s]/).some((part) => SECRET_SUFFIX.test(part) || /(?:^|[-_])key$/i.test(part)) && !/pub(?:lic)?[-_]?key$/i.test(k);
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;

/** One line with a secret value masked: `key: v`, `key = v`, `\tkey v`, `--key v`, `"key": "v"`. */
export function redactLine(line: string): string {
    const patterns: RegExp[] = [
        /^(\s*"?([\w.-]+)"?\s*[:=]\s*)(.+)$/, // key: value, key = value, "key": "value"
        /^(\s+([\w.-]+)\s+)(\S.*)$/, // section-config property: "\tpassword secret"
        /^(\s*([\w.-]+)\s+)(\S.*)$/, // "key value" lines (sshd_config, iscsid)
    ];
    for (const re of patterns) {
        const m = re.exec(line);
        if (m && isSecretKey(m[2] as string)) return `${m[1]}${REDACTED}`;
        if (m) break;
    }
    return line
        .replace(/(--([\w-]+)[=\s]+)("[^"]*"|'[^']*'|\S+)/g, (all, head: string, key: string) => (isSecretKey(key) ? `${head}${REDACTED}` : all))
        .replace(/((?:^|[,\s;?&])([\w.-]+)=)([^,\s;&]+)/g, (all, head: string, key: string) => (isSecretKey(key) ? `${head}${REDACTED}` : all));
}

/** Whole text with PEM blocks and secret values masked. */
export function redactText(text: string): string {
    const noPem = text.replace(PEM, (_all, kind: string) => `-----BEGIN ${kind}----- ${REDACTED} -----END ${kind}-----`);
    return noPem.split('\n').map(redactLine).join('\n');
}
