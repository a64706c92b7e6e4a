// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The plugin's few style rules, injected once (the plugin ships as one .js file). Colours come
 * from PVE's status classes (`good`, `warning`, `critical`, `faded`) and `currentColor`, so the
 * crisp and dark themes both stay readable.
 */

export const STYLE = `
.pbh-header { padding: 6px 10px; line-height: 1.6; }
.pbh-header .pbh-status { font-size: 15px; font-weight: bold; margin-right: 14px; }
.pbh-header .pbh-status i { font-size: 18px; margin-right: 6px; }
.pbh-count { display: inline-block; margin-right: 12px; white-space: nowrap; }
.pbh-count b { font-size: 13px; }
/* ExtJS's reset makes <b> normal weight. */
.pbh-header b, .pbh-widget b, .pbh-section b, .pbh-message b, .pbh-meta b, .pbh-count b { font-weight: bold; }
.pbh-meta { opacity: 0.8; }
.pbh-daemon-warning { margin-top: 2px; }
.pbh-message { padding: 24px 32px; max-width: 900px; line-height: 1.6; }
.pbh-message h2 { font-size: 16px; margin: 0 0 12px 0; }
.pbh-message h2 i { margin-right: 8px; }
.pbh-message li { margin-bottom: 6px; }
.pbh-message code, .pbh-log { font-family: monospace; }
.pbh-log { white-space: pre-wrap; word-break: break-all; padding: 4px 6px; border-left: 3px solid currentColor; margin: 4px 0 8px 0; }
.pbh-log .pbh-log-n { opacity: 0.6; margin-right: 8px; }
.pbh-section { padding: 8px 10px; }
.pbh-section h3 { font-size: 13px; margin: 10px 0 6px 0; }
.pbh-problem { margin-bottom: 10px; }
.pbh-problem i { margin-right: 6px; }
.pbh-kv td { padding: 1px 12px 1px 0; vertical-align: top; }
.pbh-kv td:first-child { opacity: 0.75; white-space: nowrap; }
a.pbh-link { cursor: pointer; text-decoration: underline; }
.pbh-remote a.pbh-upid { cursor: text; text-decoration: none; color: inherit; }
.pbh-chart svg { display: block; }
.pbh-chart path.pbh-line { fill: none; stroke: currentColor; stroke-width: 2; }
.pbh-chart circle { fill: currentColor; }
.pbh-widget { cursor: pointer; }
.pbh-widget .pbh-light { text-align: center; padding-top: 10px; }
.pbh-widget .pbh-light i { font-size: 5em; }
.pbh-widget .pbh-light div { margin-top: 8px; font-size: 14px; }
.pbh-widget .pbh-top { padding: 10px 10px 0 0; line-height: 1.7; }
.pbh-widget .pbh-top li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pbh-widget ul { margin: 4px 0 0 0; padding-left: 18px; }
.pbh-diff { font-family: monospace; border-collapse: collapse; width: 100%; }
.pbh-diff td { white-space: pre-wrap; word-break: break-all; padding: 0 6px; width: 50%; vertical-align: top; }
.pbh-diff tr.pbh-removed td.pbh-l, .pbh-diff tr.pbh-changed td.pbh-l { background: rgba(255, 80, 80, 0.18); }
.pbh-diff tr.pbh-added td.pbh-r, .pbh-diff tr.pbh-changed td.pbh-r { background: rgba(80, 200, 80, 0.18); }
.pbh-diff tr.pbh-hunk td { opacity: 0.6; }
.pbh-error { padding: 6px 10px; }
.pbh-error i { margin-right: 6px; }
`;
