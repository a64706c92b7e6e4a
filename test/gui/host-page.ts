// SPDX-License-Identifier: AGPL-3.0-or-later
// The test host page: a small static server on 127.0.0.1 that loads, in PVE's order
// (pve-platform.md §1.1), the ExtJS classic toolkit with the crisp theme (npm extjs-gpl), Font
// Awesome 4.7 (Debian's fonts-font-awesome, else the FA 4 copy inside extjs-gpl), gettext, the
// `Proxmox` global, the stand-ins for PVE's classes (page/standins.js) and the BUILT plugin
// dist/pve-backup-health-ui.js. Also used by `make demo` (see serve.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { findRoot } from './paths.ts';

const root = findRoot();
export const PLUGIN_BUNDLE = join(root, 'dist/pve-backup-health-ui.js');
const PAGE = join(root, 'test/gui/page');
const EXT = join(root, 'node_modules/extjs-gpl/build');
const DEBIAN_FA = '/usr/share/fonts-font-awesome';
const EXT_FA = join(EXT, 'packages/font-awesome/resources');

const TYPES: Record<string, string> = {
    '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.png': 'image/png',
    '.gif': 'image/gif', '.svg': 'image/svg+xml', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject', '.otf': 'font/otf',
};

/** Where Font Awesome 4 comes from: `debian` (4.7, like PVE) or `extjs-gpl` (its bundled FA 4). */
export const fontAwesomeSource = existsSync(join(DEBIAN_FA, 'css/font-awesome.css')) ? 'debian' : 'extjs-gpl';

function faFile(rest: string): string | undefined {
    if (fontAwesomeSource === 'debian') return join(DEBIAN_FA, rest);
    if (rest === 'css/font-awesome.css') return join(EXT_FA, 'font-awesome-all.css');
    // extjs-gpl's CSS refers to fonts/ next to itself.
    if (rest.startsWith('css/fonts/')) return join(EXT_FA, rest.slice(4));
    return undefined;
}

/** A file under `base`, or undefined for anything that would leave it. */
function inside(base: string, rest: string): string | undefined {
    const file = normalize(join(base, rest));
    return file.startsWith(base + sep) ? file : undefined;
}

export interface HostPageOptions {
    /**
     * The daemon URL the plugin is told (window.PVE_BACKUP_HEALTH_URL); `?backend=` overrides. A
     * function is asked per page load: the daemon can start after the page, knowing its origin.
     */
    backendUrl: string | (() => string);
    /** The PVE ticket put into the PVEAuthCookie cookie; `?ticket=` overrides. */
    ticket: string | (() => string);
    port?: number;
    /** The plugin bundle to load (default dist/pve-backup-health-ui.js). */
    pluginFile?: string;
}

function indexHtml(o: HostPageOptions): string {
    const value = (v: string | (() => string)) => (typeof v === 'function' ? v() : v);
    // `<` escaped: the values end up inside a <script> element.
    const config = JSON.stringify({ backend: value(o.backendUrl), ticket: value(o.ticket) }).replace(/</g, '\\u003c');
    return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>pve-backup-health — test host page</title>
<link rel="stylesheet" href="/ext/classic/theme-crisp/resources/theme-crisp-all.css">
<link rel="stylesheet" href="/fa/css/font-awesome.css">
<link rel="stylesheet" href="/page/host.css">
<script>
(function () {
    var defaults = ${config};
    var q = new URLSearchParams(location.search);
    var lang = q.get('lang') || 'en';
    window.gettext = function (s) { return s; };
    window.Proxmox = { Setup: { auth_cookie_name: 'PVEAuthCookie' }, defaultLang: lang, NodeName: 'pve1', UserName: 'root@pam', CSRFPreventionToken: 'stand-in' };
    window.PVE_BACKUP_HEALTH_URL = q.get('backend') || defaults.backend;
    document.cookie = 'PVEAuthCookie=' + encodeURIComponent(q.get('ticket') || defaults.ticket) + '; path=/; SameSite=Lax';
})();
</script>
<script src="/ext/ext-all.js"></script>
<script src="/ext/classic/theme-crisp/theme-crisp.js"></script>
<script src="/page/standins.js"></script>
<script src="/plugin/pve-backup-health-ui.js"></script>
<script>Ext.onReady(function () { window.workspace = PVE.StdWorkspace(); });</script>
</head>
<body></body>
</html>
`;
}

export interface HostPage {
    /** `http://127.0.0.1:<port>/` */
    url: string;
    /** `http://127.0.0.1:<port>`: what the daemon must list in its allowed origins. */
    origin: string;
    stop(): Promise<void>;
}

export async function startHostPage(options: HostPageOptions): Promise<HostPage> {
    const pluginFile = options.pluginFile ?? PLUGIN_BUNDLE;
    const server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        let file: string | undefined;
        if (path === '/' || path === '/index.html') {
            res.writeHead(200, { 'Content-Type': TYPES['.html'] as string, 'Cache-Control': 'no-store' }).end(indexHtml(options));
            return;
        }
        if (path === '/favicon.ico') {
            res.writeHead(204).end();
            return;
        }
        if (path === '/plugin/pve-backup-health-ui.js') file = pluginFile;
        else if (path.startsWith('/ext/')) file = inside(EXT, path.slice(5));
        else if (path.startsWith('/fa/')) file = faFile(path.slice(4));
        else if (path.startsWith('/page/')) file = inside(PAGE, path.slice(6));
        if (!file || !existsSync(file) || !statSync(file).isFile()) {
            res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
            return;
        }
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/`,
        origin: `http://127.0.0.1:${port}`,
        stop: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
