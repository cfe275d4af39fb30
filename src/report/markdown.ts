/**
 * The report as GitHub-flavoured Markdown, ready for $GITHUB_STEP_SUMMARY: the verdict, the
 * incidents table, expectations, each root object's timeline excerpt (folded in <details>), and
 * events per component. Log text is escaped for Markdown (markdown-text.ts); timeline lines go in
 * fenced code blocks their content cannot close. Nothing depends on the clock or temp paths, so
 * the same logs give the same Markdown.
 */
import { formatGap } from '../output/duration.js';
import { rfc3339Micros } from '../util/time.js';
import { failOnWords, firstEvidence, plural, shortTime, verdictWords } from './labels.js';
import { mdCode, mdCodeBlock, mdInline } from './markdown-text.js';
import type { CiReport, ReportIncident, TimelineExcerpt } from './types.js';

/** GitHub caps a step summary at 1 MiB; a summary is for reading, so far less is shown. */
const MAX_INCIDENT_ROWS = 100;
const MAX_TIMELINES = 20;
const MAX_SUMMARY_CHARS = 300;

const STATUS_ICON: Record<ReportIncident['status'], string> = { failing: '❌', accepted: '☑️', 'below-threshold': '⚠️' };
const SEVERITY_LETTER: Record<string, string> = { debug: 'D', info: 'I', warn: 'W', error: 'E', fatal: 'F' };

function cell(text: string): string {
  return mdInline(text.length > MAX_SUMMARY_CHARS ? text.slice(0, MAX_SUMMARY_CHARS - 1) + '…' : text);
}

/** Inline code inside a table cell: a `|` would still end the cell, so it is escaped. */
function cellCode(text: string): string {
  return mdCode(text).replace(/\|/g, '\\|');
}

function timelineBlock(t: TimelineExcerpt): string[] {
  const lines: string[] = [];
  let previous: number | undefined;
  for (const l of t.lines) {
    const at = rfc3339Micros(l.time) ?? 0;
    const gap = previous === undefined ? '' : formatGap(at - previous);
    previous = at;
    const repeats = l.repeats > 1 ? ` (×${l.repeats})` : '';
    lines.push(`${gap.padStart(8)} ${l.time.slice(11, 23)} ${l.component.padEnd(23)} ${SEVERITY_LETTER[l.severity] ?? '?'} ${l.message}${repeats}`);
    lines.push(`${' '.repeat(22)}↳ ${l.file}:${l.line}`);
  }
  return lines;
}

export function formatMarkdown(r: CiReport): string {
  const md: string[] = [];
  md.push(`## ktrail ci: ${r.result === 'fail' ? '❌ failed' : '✅ passed'}`, '');
  const range = r.range ? `, ${shortTime(r.range.from)} to ${shortTime(r.range.to)}` : '';
  md.push(
    `**${mdInline(r.input.name)}** (${r.input.type}): ${plural(r.totals.events, 'event')} from ${plural(r.input.sources, 'source')}${range}. ` +
      `The run fails on ${failOnWords(r)} and on unmet requirements.`,
    '',
    `**Result:** ${mdInline(verdictWords(r))}.`,
    '',
  );

  if (r.input.refused.length || r.input.stopped) {
    md.push('### Archive entries refused', '');
    for (const x of r.input.refused.slice(0, 50)) md.push(`- ${mdCode(x.entry)}: ${mdInline(x.reason)}`);
    if (r.input.refused.length > 50) md.push(`- … and ${r.input.refused.length - 50} more`);
    if (r.input.stopped) md.push(`- reading stopped: ${mdInline(r.input.stopped)}`);
    md.push('');
  }

  md.push(`### Incidents (${r.totals.incidents})`, '');
  if (r.incidents.length === 0) md.push('No incident found.', '');
  else {
    md.push('| | Severity | Kind | Root object | Start | Summary | First evidence |', '|---|---|---|---|---|---|---|');
    for (const i of r.incidents.slice(0, MAX_INCIDENT_ROWS)) {
      const where = firstEvidence(i);
      md.push(
        `| ${STATUS_ICON[i.status]} | ${i.severity} | ${mdInline(i.kind)} | ${cellCode(i.root.label)} | ${shortTime(i.start)} | ${cell(i.summary)} | ${where ? cellCode(where) : ''} |`,
      );
    }
    if (r.incidents.length > MAX_INCIDENT_ROWS) md.push('', `… and ${r.incidents.length - MAX_INCIDENT_ROWS} more in the JSON report.`);
    md.push('', `❌ failing · ⚠️ below the threshold · ☑️ accepted by an expectation`, '');
  }

  const ex = r.expectations;
  if (ex.accept.length || ex.require.length) {
    md.push(`### Expectations`, '');
    for (const q of ex.require) {
      md.push(`- ${q.met ? '✅' : '❌'} require ${mdInline(q.description)}: found ${q.found}, need ${q.min}${q.met ? '' : ' — **not met**'}`);
    }
    for (const a of ex.accept) {
      const what = `${a.kind}${a.object ? ` on ${a.object}` : ''}`;
      const extra = a.exceeded ? ` — ${a.matched - a.accepted.length} more matched past max ${a.max} and were not accepted` : '';
      md.push(`- ${a.exceeded ? '⚠️' : '☑️'} accept ${mdInline(what)}${a.reason ? ` (${mdInline(a.reason)})` : ''}: ${a.accepted.length} accepted${extra}`);
    }
    md.push('');
  }

  if (r.timelines.length) {
    md.push('### Timelines', '');
    for (const t of r.timelines.slice(0, MAX_TIMELINES)) {
      const kinds = [...new Set(t.incidents.map((id) => r.incidents.find((i) => i.id === id)?.kind ?? '?'))].join(', ');
      md.push(`<details><summary>${mdInline(t.root.label)} — ${mdInline(kinds)} (${plural(t.events, 'event')})</summary>`, '');
      md.push(mdCodeBlock(timelineBlock(t)));
      if (t.omitted) md.push('', `${plural(t.omitted, 'other line')} not shown (\`ktrail trace ${mdInline(t.root.label).replace(/`/g, '')}\` shows everything).`);
      md.push('', '</details>', '');
    }
  }

  if (r.components.length) {
    md.push('### Events per component', '', '| Component | Events | Warnings | Errors | Incidents |', '|---|--:|--:|--:|--:|');
    for (const c of r.components) {
      md.push(`| ${mdInline(c.component)} | ${c.events} | ${c.bySeverity.warn} | ${c.bySeverity.error + c.bySeverity.fatal} | ${c.incidents} |`);
    }
    md.push('');
  }
  return md.join('\n');
}
