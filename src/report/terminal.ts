/**
 * The terminal summary `ktrail ci` prints: the verdict, incidents by severity with their root
 * object and first evidence line, expectations met and unmet, events per component. Every piece
 * of log-derived text goes through neutralize.
 */
import type { ChalkInstance } from 'chalk';
import { makeChalk, severityColor } from '../output/colors.js';
import { SEVERITIES, type Severity } from '../model/event.js';
import { neutralize } from '../util/sanitize.js';
import { formatSkewLines } from '../correlate/skew.js';
import { failOnWords, firstEvidence, plural, shortTime, verdictWords } from './labels.js';
import type { CiReport, ReportIncident } from './types.js';

const STATUS_WORD: Record<ReportIncident['status'], string> = { failing: 'FAIL', accepted: 'accepted', 'below-threshold': 'ok' };

function statusColor(c: ChalkInstance, s: ReportIncident['status']): ChalkInstance {
  return s === 'failing' ? c.red.bold : s === 'accepted' ? c.cyan : c.dim;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

export function formatTerminalSummary(r: CiReport, color: boolean): string {
  const c = makeChalk(color);
  const out: string[] = [];
  const range = r.range ? `, ${shortTime(r.range.from)} to ${shortTime(r.range.to)}` : '';
  out.push(c.bold(`ktrail ci: ${neutralize(r.input.name)}`) + c.dim(` (${r.input.type}, ${plural(r.input.sources, 'source')}, ${plural(r.totals.events, 'event')}${range})`));

  if (r.input.refused.length || r.input.stopped) {
    out.push('', c.yellow(`Archive entries refused: ${r.input.refused.length}`));
    for (const x of r.input.refused.slice(0, 20)) out.push(`  ${neutralize(x.entry)}: ${neutralize(x.reason)}`);
    if (r.input.refused.length > 20) out.push(c.dim(`  … and ${r.input.refused.length - 20} more`));
    if (r.input.stopped) out.push(c.yellow(`  reading stopped: ${neutralize(r.input.stopped)}`));
  }

  const sev = SEVERITIES.filter((s) => r.incidentsBySeverity[s] > 0)
    .reverse()
    .map((s) => `${s} ${r.incidentsBySeverity[s]}`)
    .join(', ');
  out.push('', c.bold(`Incidents: ${r.totals.incidents}`) + (sev ? ` (${sev})` : '') + c.dim(` — failing: ${failOnWords(r)}`));
  const kindWidth = Math.max(4, ...r.incidents.map((i) => i.kind.length));
  for (const i of r.incidents) {
    const where = firstEvidence(i);
    out.push(
      `  ${statusColor(c, i.status)(pad(STATUS_WORD[i.status], 8))} ${severityColor(c, i.severity as Severity)(pad(i.severity, 5))} ${pad(i.kind, kindWidth)}  ${c.bold(neutralize(i.root.label))}` +
        (where ? c.dim(`  ${neutralize(where)}`) : ''),
    );
    out.push(`  ${' '.repeat(15)}${neutralize(i.summary)}`);
    // What the first evidence line states (exit code, image, reason): the proof, in a few words.
    const proof = i.evidence[0]?.facts;
    if (proof) out.push(c.dim(`  ${' '.repeat(15)}proof: ${neutralize(proof)}`));
  }

  const ex = r.expectations;
  if (ex.accept.length || ex.require.length) {
    out.push('', c.bold(`Expectations`) + c.dim(` (${neutralize(ex.source ?? '')})`));
    for (const a of ex.accept) {
      const what = `accept ${a.kind}${a.object ? ` on ${a.object}` : ''}`;
      const figures = `${a.accepted.length} accepted${a.max !== null ? ` of at most ${a.max}` : ''}${a.exceeded ? `, ${a.matched - a.accepted.length} more matched and were not accepted` : ''}`;
      out.push(`  ${a.exceeded ? c.yellow('!') : c.green('✓')} ${neutralize(what)}: ${figures}`);
    }
    for (const q of ex.require) {
      const figures = `found ${q.found}, need ${q.min}`;
      out.push(`  ${q.met ? c.green('✓') : c.red('✗')} require ${neutralize(q.description)}: ${figures}${q.met ? '' : c.red(' — not met')}`);
    }
  }

  if (r.components.length) {
    out.push('', c.bold('Events per component'));
    const w = Math.max(9, ...r.components.map((x) => x.component.length));
    out.push(c.dim(`  ${pad('component', w)} ${padStart('events', 9)} ${padStart('warn', 7)} ${padStart('error+', 7)} ${padStart('incidents', 9)}`));
    for (const x of r.components) {
      const errors = x.bySeverity.error + x.bySeverity.fatal;
      out.push(
        `  ${pad(x.component, w)} ${padStart(x.events.toLocaleString('en-US'), 9)} ${padStart(String(x.bySeverity.warn), 7)} ${padStart(String(errors), 7)} ${padStart(String(x.incidents), 9)}`,
      );
    }
  }

  // Clock skew between hosts: what the evidence's times across hosts can be trusted to.
  const [head, ...hosts] = formatSkewLines(r.clockSkew);
  out.push('', c.bold(neutralize(head!)), ...hosts.map((l) => neutralize(l)));

  out.push('', (r.result === 'fail' ? c.red.bold('Result: FAIL') : c.green.bold('Result: PASS')) + ` — ${verdictWords(r)}`);
  return out.join('\n') + '\n';
}
