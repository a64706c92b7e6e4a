// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The environment the packaged unit gives the daemon (`Environment=` lines, systemd's syntax:
 * whitespace-separated `KEY=VALUE` words, double quotes around a word with spaces).
 */
export function unitEnvironment(unitText: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const m of unitText.matchAll(/^Environment=(.*)$/gm)) {
        for (const word of (m[1] as string).match(/"[^"]*"|\S+/g) ?? []) {
            const text = word.startsWith('"') ? word.slice(1, -1) : word;
            const eq = text.indexOf('=');
            if (eq > 0) env[text.slice(0, eq)] = text.slice(eq + 1);
        }
    }
    return env;
}

/** The unit's NODE_OPTIONS as separate options (the bench passes them as Node's own arguments). */
export function unitNodeOptions(unitText: string): string[] {
    const options = unitEnvironment(unitText).NODE_OPTIONS?.trim();
    return options ? options.split(/\s+/) : [];
}
