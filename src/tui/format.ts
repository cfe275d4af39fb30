/**
 * What each view's lines say: pure functions from model data to styled lines. The components
 * draw them, and the controller uses the same functions where it needs to know how many lines
 * a view takes (the detail pane's length, an incident's header).
 */
import { describeObject } from '../correlate/resolve-ref.js';
import type { TimelineStep } from '../correlate/timeline.js';
import type { Component, Severity } from '../model/event.js';
import { formatGap } from '../output/duration.js';
import { keyFields } from '../output/line-fields.js';
import { evidenceFields } from '../output/evidence-fields.js';
import { shownComponent } from '../output/writer-name.js';
import type { StoredEvent } from '../store/reader.js';
import { displayWidth } from '../util/display-width.js';
import { neutralize } from '../util/sanitize.js';
import { formatMicros } from '../util/time.js';
import { padEnd, padMiddle, seg, wrapText, type Line } from './line.js';
import type { IncidentData, IncidentRow } from './model/incidents.js';
import type { EventDetail } from './model/objects.js';
import type { TimelineData } from './model/timeline.js';

export const COMPONENT_LABEL: Record<Component, string> = {
  etcd: 'etcd',
  'kube-apiserver': 'apiserver',
  'kube-scheduler': 'scheduler',
  'kube-controller-manager': 'controller',
  'kube-proxy': 'kube-proxy',
  coredns: 'coredns',
  kubelet: 'kubelet',
  audit: 'audit',
  event: 'event',
  other: 'other',
};
const COMPONENT_WIDTH = 10;

export const SEVERITY_LETTER: Record<Severity, string> = { debug: 'D', info: 'I', warn: 'W', error: 'E', fatal: 'F' };

/** "14:52:01.123", or "03-21 14:52:01.123" when the data spans several days. */
export function shortTime(micros: number, withDate: boolean): string {
  if (!micros) return withDate ? '-'.padEnd(18) : '-'.padEnd(12);
  const iso = formatMicros(micros);
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 23)}` : iso.slice(11, 23);
}

/** A duration without the sign formatGap puts in front ("5m57s"). */
export function span(micros: number): string {
  return formatGap(Math.max(0, micros)).replace(/^\+/, '');
}

export interface RowLayout {
  width: number;
  showDate: boolean;
  hostWidth: number;
}

export function rowLayout(width: number, showDate: boolean): RowLayout {
  return { width, showDate, hostWidth: width >= 140 ? 24 : width >= 100 ? 18 : 12 };
}

/**
 * One event as a list row (after the two marker columns the caller puts in front); `tag` goes
 * just before the message, `fields` after it (default: the fields that matter for its kind of
 * line, output/line-fields.ts).
 */
export function eventColumns(e: StoredEvent, layout: RowLayout, tag?: Line, fields = keyFields(e)): Line {
  const msg = (e.message.split('\n', 1)[0] ?? '') || e.raw.split('\n', 1)[0] || '';
  const line: Line = [
    seg(shortTime(e.time, layout.showDate) + ' ', { tone: 'dim' }),
    seg(padMiddle(e.host ?? '-', layout.hostWidth) + ' ', { tone: 'dim' }),
    seg(padEnd(e.component === 'other' ? shownComponent(e) : COMPONENT_LABEL[e.component], COMPONENT_WIDTH), { component: e.component }),
    seg(' '),
    seg(SEVERITY_LETTER[e.severity], { severity: e.severity }),
    seg(' '),
  ];
  if (tag) line.push(...tag);
  if (e.format === 'unknown') line.push(seg('? ', { tone: 'dim' }));
  // Keep the tail short: the row is cut to the screen anyway, and huge lines cost layout time.
  line.push(seg(msg.length > 4 * layout.width ? msg.slice(0, 4 * layout.width) : msg));
  if (fields) line.push(seg(' ' + fields, { tone: 'dim' }));
  return line;
}

/** The marker columns: selection and mark, and a space. */
export function markers(selected: boolean, marked: boolean): Line {
  return [seg(selected ? '>' : ' ', { tone: 'bold' }), seg(marked ? '*' : ' ', { tone: 'mark' }), seg(' ')];
}

export function eventRow(e: StoredEvent, layout: RowLayout, selected: boolean, marked: boolean): Line {
  return [...markers(selected, marked), ...eventColumns(e, layout)];
}

// ---------------------------------------------------------------------------------------------
// Detail pane

function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function wrapped(label: string, text: string, width: number, indent = 2): Line[] {
  const pad = ' '.repeat(indent);
  const first = label ? `${neutralize(label)} ` : '';
  const pieces = wrapText(text, Math.max(8, width - indent - first.length));
  return pieces.map((p, i) => (i === 0 ? [seg(pad), seg(first, { tone: 'dim' }), seg(p)] : [seg(pad + ' '.repeat(first.length) + p)]));
}

/** Every line of the detail pane for one event, wrapped to `width`. */
export function detailLines(d: EventDetail, width: number): Line[] {
  const e = d.event;
  const lines: Line[] = [];
  const head: Line = [seg(`event ${e.id} `, { tone: 'bold' }), seg(e.time ? formatMicros(e.time) : 'no time')];
  if (e.timeInferred) head.push(seg(` (time: ${e.timeInferred})`, { tone: 'dim' }));
  if (e.envelopeTime !== undefined && e.envelopeTime !== e.time) head.push(seg(` envelope ${formatMicros(e.envelopeTime)}`, { tone: 'dim' }));
  lines.push(head);
  const who: Line = [seg('component ', { tone: 'dim' }), seg(shownComponent(e), { component: e.component }), seg('  host ', { tone: 'dim' }), seg(e.host ?? '-')];
  // The cluster of an event of a named input (stores of several clusters; '' and absent: none).
  if (e.cluster) who.push(seg('  cluster ', { tone: 'dim' }), seg(e.cluster));
  who.push(seg('  severity ', { tone: 'dim' }), seg(e.severity, { severity: e.severity }));
  if (e.verbosity !== undefined) who.push(seg('  v', { tone: 'dim' }), seg(String(e.verbosity)));
  if (e.caller) who.push(seg('  caller ', { tone: 'dim' }), seg(e.caller));
  lines.push(who);
  const where = e.source.endLine > e.source.line ? `${e.source.line}-${e.source.endLine}` : String(e.source.line);
  lines.push([seg('source ', { tone: 'dim' }), seg(`${e.source.file}:${where}`), seg('  format ', { tone: 'dim' }), seg(e.source.format), ...(e.truncated ? [seg('  (line truncated)', { tone: 'warn' })] : [])]);
  const msgLines = e.message.split('\n');
  lines.push([seg('message', { tone: 'bold' })]);
  for (const m of msgLines) lines.push(...wrapped('', m, width));

  const fields = Object.entries(e.fields);
  lines.push([seg(`fields (${fields.length})`, { tone: 'bold' })]);
  for (const [k, v] of fields) lines.push(...wrapped(`${k}:`, valueText(v), width));

  lines.push([seg(`objects (${d.linked.length} linked)`, { tone: 'bold' }), ...(d.linked.length ? [seg('  press 1-9 for a timeline', { tone: 'dim' })] : [])]);
  d.linked.forEach((o, i) => {
    const n = i < 9 ? String(i + 1) : ' ';
    lines.push([
      seg(`  ${n} `, { tone: 'accent' }),
      seg(describeObject(o)),
      seg(o.uid ? `  uid ${o.uid}` : '', { tone: 'dim' }),
      seg(`  via ${o.via} `, { tone: 'dim' }),
      seg(`${Math.round(o.confidence * 100)}%`),
    ]);
  });
  lines.push([seg(`refs (${d.refs.length} as parsed)`, { tone: 'bold' })]);
  for (const r of d.refs) {
    const name = r.namespace ? `${r.namespace}/${r.name ?? '?'}` : (r.name ?? '');
    lines.push([
      seg(`  ${r.kind} `),
      seg(name),
      seg(r.uid ? `  uid ${r.uid}` : '', { tone: 'dim' }),
      seg(`  via ${r.via}${r.key ? `:${r.key}` : ''}`, { tone: 'dim' }),
    ]);
  }
  lines.push([seg('raw', { tone: 'bold' })]);
  for (const r of e.raw.split('\n')) lines.push(...wrapped('', r, width));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Timeline

/** The timeline's two header lines: the root, and what it owns. */
export function timelineHeader(t: TimelineData, showDate: boolean): Line[] {
  const steps = t.steps;
  const first: Line = [seg('timeline ', { tone: 'dim' }), seg(describeObject(t.root), { tone: 'bold' })];
  if (t.root.uid) first.push(seg(`  uid ${t.root.uid}`, { tone: 'dim' }));
  first.push(seg(`  ${steps.length} steps`));
  if (steps.length) {
    first.push(
      seg(`  ${shortTime(steps[0]!.time, showDate)} → ${shortTime(steps[steps.length - 1]!.time, showDate)} (${span(steps[steps.length - 1]!.time - steps[0]!.time)})`, { tone: 'dim' }),
    );
  }
  const owned = t.objects.slice(1);
  const second: Line = [];
  if (t.owners.length) {
    second.push(seg('owned by ', { tone: 'dim' }), seg(t.owners.map((o) => describeObject(o)).join(' ‹ '), { tone: 'accent' }), seg(' (u)  ', { tone: 'dim' }));
  }
  if (owned.length) second.push(seg('owns ', { tone: 'dim' }), seg(owned.map((o) => `${'›'.repeat(Math.max(1, o.depth))} ${describeObject(o)}`).join('  ')));
  else second.push(seg('owns nothing that was seen', { tone: 'dim' }));
  return [first, second];
}

export function timelineRow(t: TimelineData, step: TimelineStep, e: StoredEvent | undefined, layout: RowLayout, selected: boolean, marked: boolean): Line {
  const gap = seg(formatGap(step.sincePrevious).padStart(8) + ' ', { tone: 'dim' });
  if (!e) return [...markers(selected, marked), gap, seg(`event ${step.eventId} (no longer stored)`, { tone: 'dim' })];
  // A step about an owned object (not the root itself) says which one.
  let tag: Line | undefined;
  if (!step.links.some((l) => l.objectId === t.root.id)) {
    const about = step.links.map((l) => t.byId.get(l.objectId)).filter((o) => o !== undefined);
    if (about.length) tag = [seg(`[${about.map((o) => describeObject(o)).join(', ')}] `, { tone: 'accent' })];
  }
  return [...markers(selected, marked), gap, ...eventColumns(e, layout, tag)];
}

// ---------------------------------------------------------------------------------------------
// Incidents

/** Column widths of the incident list, from all its rows (so they do not change as it scrolls). */
export interface IncidentColumns {
  kind: number;
  root: number;
  showDate: boolean;
}

export function incidentColumns(rows: readonly IncidentRow[], width: number, showDate: boolean): IncidentColumns {
  const longest = (f: (r: IncidentRow) => string): number => rows.reduce((n, r) => Math.max(n, displayWidth(f(r))), 0);
  return { kind: Math.min(24, Math.max(8, longest((r) => r.kind))), root: Math.min(Math.floor(width / 3), 48, Math.max(8, longest((r) => r.root))), showDate };
}

export function incidentRow(r: IncidentRow, cols: IncidentColumns, selected: boolean): Line {
  // Summaries often start with the root ("pod/ns/x cannot pull..."): do not say it twice.
  const summary = r.summary.startsWith(r.root) ? r.summary.slice(r.root.length).replace(/^[\s:]+/, '') : r.summary;
  return [
    ...markers(selected, false),
    seg(SEVERITY_LETTER[r.severity], { severity: r.severity }),
    seg(' '),
    seg(padEnd(r.kind, cols.kind) + ' ', { tone: 'bold' }),
    seg(shortTime(r.start, cols.showDate).slice(0, cols.showDate ? 14 : 8) + ' ', { tone: 'dim' }),
    seg(padEnd(span(r.end - r.start), 7) + ' ', { tone: 'dim' }),
    seg(padEnd(r.root, cols.root) + ' ', { tone: 'accent' }),
    seg(summary),
  ];
}

/** Most cause-chain steps shown above the evidence list. */
const CAUSE_LINES = 5;

export function incidentHeader(d: IncidentData, width: number, showDate: boolean): Line[] {
  const r = d.row;
  const lines: Line[] = [
    [
      seg(`incident ${r.id} `, { tone: 'dim' }),
      seg(r.kind, { tone: 'bold' }),
      seg(' '),
      seg(r.severity, { severity: r.severity }),
      seg(`  ${shortTime(r.start, showDate)} → ${shortTime(r.end, showDate)} (${span(r.end - r.start)})`, { tone: 'dim' }),
    ],
    [seg('root ', { tone: 'dim' }), seg(r.root, { tone: 'accent' }), seg('  components ', { tone: 'dim' }), seg(d.components.join(', ') || '-')],
    ...wrapText(r.summary, width).slice(0, 2).map((s) => [seg(s)]),
  ];
  if (d.causeChain.length) {
    lines.push([seg(`cause chain (${d.causeChain.length})`, { tone: 'bold' })]);
    const shown = d.causeChain.slice(0, CAUSE_LINES);
    for (const s of shown) {
      lines.push([
        seg(`  ${shortTime(s.time, showDate)} `, { tone: 'dim' }),
        seg(padEnd(s.kind, 16) + ' ', { tone: 'bold' }),
        seg(s.object + ' ', { tone: 'accent' }),
        seg(s.summary),
      ]);
    }
    if (d.causeChain.length > shown.length) lines.push([seg(`  … ${d.causeChain.length - shown.length} more steps`, { tone: 'dim' })]);
  } else {
    lines.push([seg('cause chain: none recorded', { tone: 'dim' })]);
  }
  const roles = Object.entries(d.counts)
    .filter(([k, v]) => ['trigger', 'cause', 'effect', 'evidence'].includes(k) && v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push([seg(`evidence (${d.evidence.length} events${roles ? `: ${roles}` : ''})`, { tone: 'bold' })]);
  return lines;
}

export function evidenceRow(role: string, e: StoredEvent | undefined, eventId: number, layout: RowLayout, selected: boolean, marked: boolean): Line {
  const tag = seg(padEnd(role, 9), { tone: role === 'trigger' ? 'error' : role === 'cause' ? 'warn' : 'dim' });
  if (!e) return [...markers(selected, marked), tag, seg(`event ${eventId} (no longer stored)`, { tone: 'dim' })];
  // An evidence row says what makes the line evidence (its signal's facts), not only its fields.
  return [...markers(selected, marked), tag, ...eventColumns(e, layout, undefined, evidenceFields(e))];
}
