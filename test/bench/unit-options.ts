// SPDX-License-Identifier: AGPL-3.0-or-later
/** The Node options the packaged unit gives the daemon (`Environment=NODE_OPTIONS=…`). */
export function unitNodeOptions(unitText: string): string[] {
    const m = /^Environment=NODE_OPTIONS=(.*)$/m.exec(unitText);
    return m ? (m[1] as string).trim().split(/\s+/) : [];
}
