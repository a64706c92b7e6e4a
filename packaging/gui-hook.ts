// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Applies / removes the panel's script line in PVE's index template on disk. Called by the
 * maintainer scripts (configure, triggered after a pve-manager upgrade, prerm remove); it never
 * leaves a half-written template and re-reads the file to confirm what it did (§1.6).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { replaceFile } from './atomic-file.ts';
import { applyTag, inspect, removeTag, type TagResult } from './template-tag.ts';

export const PVE_TEMPLATE = '/usr/share/pve-manager/index.html.tpl';

export interface HookReport {
    /** `applied`/`removed`: the file was rewritten; `unchanged`: already as wanted. */
    outcome: 'applied' | 'removed' | 'unchanged' | 'missing' | 'no-anchor';
    messages: string[];
}

function readTemplate(path: string): { real: string; text: string } | undefined {
    let real: string;
    try {
        // dpkg replaces the file by rename; follow a symlink an admin may have made to the real file.
        real = realpathSync(path);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
    }
    return { real, text: readFileSync(real, 'utf8') };
}

function write(real: string, result: TagResult): void {
    replaceFile(real, result.text, { preserve: true });
}

export function applyToFile(path: string, version: string): HookReport {
    const file = readTemplate(path);
    if (!file) return { outcome: 'missing', messages: [`${path} does not exist (pve-manager not installed?); GUI panel not added`] };
    const result = applyTag(file.text, version);
    const messages = result.warnings.map((w) => `${path}: ${w}`);
    if (result.outcome === 'no-anchor') return { outcome: 'no-anchor', messages };
    if (result.outcome === 'unchanged') return { outcome: 'unchanged', messages };
    write(file.real, result);
    const after = inspect(readFileSync(file.real, 'utf8'));
    if (after.count !== 1 || after.versions[0] !== version) {
        throw new Error(`${path}: after writing, found ${after.count} panel script lines (expected one for ${version})`);
    }
    return { outcome: 'applied', messages };
}

export function removeFromFile(path: string): HookReport {
    const file = readTemplate(path);
    if (!file) return { outcome: 'missing', messages: [] };
    const result = removeTag(file.text);
    const messages = result.warnings.map((w) => `${path}: ${w}`);
    if (result.outcome === 'unchanged') return { outcome: 'unchanged', messages };
    write(file.real, result);
    const after = inspect(readFileSync(file.real, 'utf8'));
    if (after.count !== 0) throw new Error(`${path}: after writing, ${after.count} panel script lines remain`);
    return { outcome: 'removed', messages };
}

/** One line for admins: is the panel loaded, and which version? */
export function describeFile(path: string, version: string): { ok: boolean; text: string } {
    const file = readTemplate(path);
    if (!file) return { ok: false, text: `${path} does not exist` };
    const state = inspect(file.text);
    if (state.count === 0) return { ok: false, text: `panel not loaded by ${path} (run: /usr/lib/pve-backup-health/setup gui-apply)` };
    if (state.count > 1) return { ok: false, text: `${state.count} panel script lines in ${path}` };
    const v = state.versions[0];
    if (v !== version) return { ok: false, text: `${path} loads panel version ${v}, installed is ${version}` };
    return { ok: true, text: `panel ${version} loaded by ${path}` };
}
