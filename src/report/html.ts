/**
 * The self-contained HTML report: one file, CSS and script inline, nothing loaded from anywhere
 * (a Content-Security-Policy says so, and allows only this page's own script by its hash).
 * The verdict and the incidents and component tables are plain HTML (readable without script);
 * the timeline is drawn by html-client.ts from a JSON block.
 *
 * Log text is HTML-escaped where the page is written, and the JSON block cannot be closed by a
 * log line (`<` is written \u003c); the script only ever sets text through textContent.
 */
import { createHash } from 'node:crypto';
import { htmlEscape, jsonForScript } from './escape.js';
import type { HtmlData } from './html-data.js';
import { timelineClient } from './html-client.js';
import { failOnWords, firstEvidence, plural, shortTime, verdictWords } from './labels.js';
import type { CiReport } from './types.js';

const CSS = `
:root { --bg:#fbfbfc; --fg:#1d2330; --dim:#6b7280; --line:#e3e6ec; --lane:#ffffff; --err:#d1293d; --warn:#d97706; --ok:#15803d; --acc:#2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
main { padding: 0 24px 32px; }
.verdict { font-weight: 600; }
.verdict.fail { color: var(--err); } .verdict.pass { color: var(--ok); }
.meta { color: var(--dim); }
.controls { display: flex; gap: 8px; align-items: center; margin: 16px 0 8px; flex-wrap: wrap; }
.controls button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.controls .dim { color: var(--dim); font-size: 12px; }
#timeline { position: relative; border: 1px solid var(--line); border-radius: 6px; background: #fff; user-select: none; }
.axis { position: relative; height: 22px; margin-left: 190px; border-bottom: 1px solid var(--line); overflow: hidden; }
.tick { position: absolute; top: 3px; font-size: 11px; color: var(--dim); white-space: nowrap; transform: translateX(-50%); }
.tick::after { content: ""; position: absolute; left: 50%; top: 15px; height: 4px; border-left: 1px solid var(--dim); }
.lanes { position: relative; cursor: grab; }
.lane { display: flex; height: 34px; border-bottom: 1px solid var(--line); }
.lane:last-of-type { border-bottom: 0; }
.lane-label { width: 190px; flex: none; padding: 0 8px; display: flex; justify-content: space-between; align-items: center; border-right: 1px solid var(--line); font-size: 12px; background: #f6f7f9; }
.lane-count { color: var(--dim); font-size: 11px; }
.track { position: relative; flex: 1; overflow: hidden; background: var(--lane); }
.density { position: absolute; inset: 0; width: 100%; height: 100%; }
.ev { position: absolute; top: 9px; width: 6px; height: 16px; margin-left: -3px; border-radius: 2px; background: #8fa1bd; cursor: pointer; opacity: .75; z-index: 2; }
.ev.sev-warn { background: var(--warn); opacity: .9; }
.ev.sev-error, .ev.sev-fatal { background: var(--err); opacity: .95; }
.ev.evidence { outline: 1px solid #111827; }
.ev.selected { outline: 2px solid var(--acc); z-index: 3; }
.bands { position: absolute; top: 0; bottom: 0; left: 190px; right: 0; pointer-events: none; overflow: hidden; z-index: 1; }
.band { position: absolute; top: 0; bottom: 0; background: rgba(209,41,61,.06); border-left: 2px solid rgba(209,41,61,.7); border-right: 1px solid rgba(209,41,61,.35); }
.band.sev-warn { background: rgba(217,119,6,.07); border-left-color: rgba(217,119,6,.75); }
.band.status-accepted { background: rgba(37,99,235,.08); border-left-color: rgba(37,99,235,.6); }
#detail { margin-top: 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; padding: 8px 12px; }
#detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; font-size: 12px; }
#detail dt { color: var(--dim); }
#detail dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
#detail-raw { margin: 0; padding: 8px; background: #0f172a; color: #e2e8f0; border-radius: 4px; white-space: pre-wrap; word-break: break-all; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; max-height: 240px; overflow: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f7f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr[data-zoom-incident] { cursor: pointer; }
tr[data-zoom-incident]:hover { background: #f3f6fb; }
.status-failing { color: var(--err); font-weight: 600; }
.status-accepted { color: var(--acc); }
.status-below-threshold { color: var(--warn); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
ul.refused li, ul.expect li { margin: 2px 0; }
`;

const STATUS_WORD: Record<string, string> = { failing: 'failing', accepted: 'accepted', 'below-threshold': 'below threshold' };

function incidentsTable(r: CiReport): string {
  if (r.incidents.length === 0) return '<p>No incident found.</p>';
  const rows = r.incidents.map(
    (i) =>
      `<tr data-zoom-incident="${i.id}"><td class="status-${i.status}">${htmlEscape(STATUS_WORD[i.status] ?? i.status)}</td>` +
      `<td>${htmlEscape(i.severity)}</td><td>${htmlEscape(i.kind)}</td><td><code>${htmlEscape(i.root.label)}</code></td>` +
      `<td>${htmlEscape(shortTime(i.start))}</td><td>${htmlEscape(i.summary)}</td><td><code>${htmlEscape(firstEvidence(i))}</code></td></tr>`,
  );
  return (
    '<table id="incidents"><thead><tr><th>Status</th><th>Severity</th><th>Kind</th><th>Root object</th><th>Start</th><th>Summary</th><th>First evidence</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function componentsTable(r: CiReport): string {
  const rows = r.components.map(
    (c) =>
      `<tr><td>${htmlEscape(c.component)}</td><td class="num">${c.events}</td><td class="num">${c.bySeverity.warn}</td>` +
      `<td class="num">${c.bySeverity.error + c.bySeverity.fatal}</td><td class="num">${c.incidents}</td></tr>`,
  );
  return `<table id="components"><thead><tr><th>Component</th><th>Events</th><th>Warnings</th><th>Errors</th><th>Incidents</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function expectationsList(r: CiReport): string {
  const ex = r.expectations;
  if (!ex.accept.length && !ex.require.length) return '';
  const items = [
    ...ex.require.map(
      (q) => `<li class="${q.met ? 'status-ok' : 'status-failing'}">${q.met ? '✔' : '✘'} require ${htmlEscape(q.description)}: found ${q.found}, need ${q.min}</li>`,
    ),
    ...ex.accept.map(
      (a) =>
        `<li>accept ${htmlEscape(a.kind)}${a.object ? ` on <code>${htmlEscape(a.object)}</code>` : ''}${a.reason ? ` (${htmlEscape(a.reason)})` : ''}: ${a.accepted.length} accepted${a.exceeded ? `, ${a.matched - a.accepted.length} past max ${a.max}` : ''}</li>`,
    ),
  ];
  return `<h2>Expectations</h2><ul class="expect">${items.join('')}</ul>`;
}

function refusedList(r: CiReport): string {
  if (!r.input.refused.length && !r.input.stopped) return '';
  const items = r.input.refused.map((x) => `<li><code>${htmlEscape(x.entry)}</code>: ${htmlEscape(x.reason)}</li>`);
  if (r.input.stopped) items.push(`<li>reading stopped: ${htmlEscape(r.input.stopped)}</li>`);
  return `<h2>Archive entries refused</h2><ul class="refused">${items.join('')}</ul>`;
}

export function formatHtml(r: CiReport, data: HtmlData): string {
  const script = `(${timelineClient.toString()})();`;
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const range = r.range ? `${shortTime(r.range.from)} to ${shortTime(r.range.to)}` : 'no timed events';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${htmlEscape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${htmlEscape(data.title)}</h1>
<div><span class="verdict ${r.result}">${r.result === 'fail' ? 'FAILED' : 'PASSED'}</span>: ${htmlEscape(verdictWords(r))}</div>
<div class="meta">${htmlEscape(r.input.type)}, ${htmlEscape(plural(r.input.sources, 'source'))}, ${htmlEscape(plural(r.totals.events, 'event'))}, ${htmlEscape(range)}; the run fails on ${htmlEscape(failOnWords(r))}.</div>
</header>
<main>
<div class="controls">
<button type="button" id="zoom-in" title="Zoom in">+</button>
<button type="button" id="zoom-out" title="Zoom out">−</button>
<button type="button" id="zoom-reset" title="Show everything">Reset</button>
<span id="zoom-level">1×</span>
<span class="dim" id="view-range"></span>
<span class="dim" id="marks-note"></span>
<span class="dim">Wheel to zoom, drag to pan, click a mark for its raw line, click an incident row to zoom to it.</span>
</div>
<div id="timeline"></div>
<section id="detail" hidden>
<dl>
<dt>Time</dt><dd id="detail-time"></dd>
<dt>Component</dt><dd id="detail-component"></dd>
<dt>Host</dt><dd id="detail-host"></dd>
<dt>Severity</dt><dd id="detail-severity"></dd>
<dt>Source</dt><dd id="detail-source"></dd>
<dt>Incidents</dt><dd id="detail-incidents"></dd>
</dl>
<pre id="detail-raw"></pre>
</section>
${refusedList(r)}
<h2>Incidents (${r.totals.incidents})</h2>
${incidentsTable(r)}
${expectationsList(r)}
<h2>Events per component</h2>
${componentsTable(r)}
</main>
<script type="application/json" id="ktrail-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
