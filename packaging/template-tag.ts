// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The one `<script>` line that loads the GUI panel from PVE's index template
 * (/usr/share/pve-manager/index.html.tpl, pve-platform.md §1.1, §1.6). Pure text in, text out:
 * the file handling lives in gui-hook.ts.
 *
 * The line goes directly after the `pvemanagerlib.js` script line, so the panel runs after every
 * `PVE.*` class is defined and before `Ext.onReady` builds the workspace. It carries the marker
 * attribute `data-pve-backup-health`, which is how we find (and only ever touch) our own line.
 * A template without the pvemanagerlib line is not the ExtJS GUI we know: we leave it untouched
 * rather than guess (a panel loaded into an unknown page could break it).
 */

/** URL path under which pveproxy serves /usr/share/pve-manager/js/pve-backup-health.js (§1.2). */
export const PANEL_URL = '/pve2/js/pve-backup-health.js';
export const MARKER_ATTRIBUTE = 'data-pve-backup-health';

/** A line that is exactly one of our marked script tags (any version, any indentation). */
const OUR_LINE = new RegExp(`^[ \\t]*<script\\b[^>]*\\b${MARKER_ATTRIBUTE}\\b[^>]*>[ \\t]*</script>[ \\t]*\\r?$`);
/** Any mention of the marker, to notice a line someone edited into a shape we will not touch. */
const ANY_MARKER = new RegExp(`\\b${MARKER_ATTRIBUTE}\\b`);
/** The script tag that loads the PVE GUI itself (its query string varies per release). */
const ANCHOR = /<script\b[^>]*\bsrc\s*=\s*["'][^"']*\/pvemanagerlib\.js(?:\?[^"']*)?["'][^>]*>/i;
/** Debian version characters (policy §5.6.12); anything else must not reach an HTML attribute. */
const VERSION = /^[A-Za-z0-9.+~:-]+$/;

export function scriptTag(version: string): string {
    if (!VERSION.test(version)) throw new Error(`invalid package version '${version}' for the script tag`);
    const query = encodeURIComponent(version);
    return `<script type="text/javascript" src="${PANEL_URL}?ver=${query}" ${MARKER_ATTRIBUTE}="${version}"></script>`;
}

export interface TagState {
    /** Our marked lines, in order. */
    count: number;
    /** Versions named by our lines (the marker attribute's value). */
    versions: string[];
    /** Lines that mention the marker but are not a plain script tag line (left alone). */
    foreign: number;
    /** Lines that load pvemanagerlib.js. */
    anchors: number;
}

export function inspect(text: string): TagState {
    const state: TagState = { count: 0, versions: [], foreign: 0, anchors: 0 };
    for (const line of text.split('\n')) {
        if (OUR_LINE.test(line)) {
            state.count++;
            const v = new RegExp(`${MARKER_ATTRIBUTE}="([^"]*)"`).exec(line)?.[1];
            state.versions.push(v ?? '');
        } else if (ANY_MARKER.test(line)) {
            state.foreign++;
        } else if (ANCHOR.test(line)) {
            state.anchors++;
        }
    }
    return state;
}

export type TagResult =
    | { outcome: 'unchanged'; text: string; warnings: string[] }
    | { outcome: 'changed'; text: string; warnings: string[] }
    /** No pvemanagerlib.js line: the text is returned untouched. */
    | { outcome: 'no-anchor'; text: string; warnings: string[] };

function foreignWarning(state: TagState): string[] {
    return state.foreign > 0
        ? [`${state.foreign} line(s) mention ${MARKER_ATTRIBUTE} but are not a plain script tag line; left as they are`]
        : [];
}

/**
 * Puts exactly one line for `version` directly after the (last) pvemanagerlib.js line, removing
 * any other of our lines (older versions, duplicates, a line an admin moved). Idempotent: a
 * template that already has exactly that line in that place comes back unchanged.
 */
export function applyTag(text: string, version: string): TagResult {
    const tag = scriptTag(version);
    const state = inspect(text);
    const warnings = foreignWarning(state);
    const lines = text.split('\n').filter((line) => !OUR_LINE.test(line));
    let anchor = -1;
    lines.forEach((line, i) => {
        if (ANCHOR.test(line)) anchor = i;
    });
    if (anchor < 0) {
        warnings.push('no <script> line loading pvemanagerlib.js: not the PVE GUI template we know; left untouched');
        return { outcome: 'no-anchor', text, warnings };
    }
    if (state.anchors > 1) warnings.push(`${state.anchors} pvemanagerlib.js lines; the panel is loaded after the last one`);
    const anchorLine = lines[anchor]!;
    const indent = /^[ \t]*/.exec(anchorLine)?.[0] ?? '';
    const eol = anchorLine.endsWith('\r') ? '\r' : '';
    lines.splice(anchor + 1, 0, `${indent}${tag}${eol}`);
    const result = lines.join('\n');
    return { outcome: result === text ? 'unchanged' : 'changed', text: result, warnings };
}

/** Removes every one of our lines and nothing else. */
export function removeTag(text: string): TagResult {
    const warnings = foreignWarning(inspect(text));
    const result = text
        .split('\n')
        .filter((line) => !OUR_LINE.test(line))
        .join('\n');
    return { outcome: result === text ? 'unchanged' : 'changed', text: result, warnings };
}
