/**
 * The frame: a plain snapshot of the screen for the components, made from the state without
 * reading the store (drawing is a pure function of the state).
 */
import type { HistogramBucket } from '../../store/reader.js';
import { incidentColumns, rowLayout, shortTime } from '../format.js';
import type { Body, Frame, InputView } from '../frame.js';
import { hintsFor } from '../keymap.js';
import type { TuiState } from './state.js';

function positionText(s: TuiState): string {
  const b = s.dataBounds;
  const e = s.selectedEvent();
  if (!b || !e) return '';
  const spanUs = b.last.time - b.first.time;
  const pct = spanUs > 0 ? Math.round(((e.time - b.first.time) / spanUs) * 100) : 100;
  return `${shortTime(e.time, s.showDate())} ${pct}%`;
}

function body(s: TuiState): Body {
  const v = s.top();
  const layout = rowLayout(s.width, s.showDate());
  const marks = new Set(s.marks.keys());
  if (s.help) return { view: 'help' };
  if (!v) {
    const empty = s.filter ? `no events match ${s.filter.text}` : 'no events in this store';
    return { view: 'list', rows: s.win.rows, cursor: s.win.cursor, marks, layout, empty };
  }
  const [from, to] = v.win.visible();
  if (v.kind === 'incidents') {
    return {
      view: 'incidents',
      visible: v.rows.slice(from, to),
      cursor: v.win.cursor - from,
      total: v.rows.length,
      columns: incidentColumns(v.rows, s.width, s.showDate()),
    };
  }
  // A timeline and an incident show the same rows: an event each, with its step or evidence role.
  const rows = { cursor: v.win.cursor - from, marks, layout };
  if (v.kind === 'timeline') {
    const visible = v.data.steps.slice(from, to).map((step) => ({ step, event: v.events.get(step.eventId) }));
    return { view: 'timeline', data: v.data, visible, ...rows };
  }
  const visible = v.data.evidence.slice(from, to).map((entry) => ({ entry, event: v.events.get(entry.eventId) }));
  return { view: 'incident', data: v.data, visible, ...rows };
}

export function frame(s: TuiState): Frame {
  const v = s.top();
  // Counts of another width still hold; those of another filter do not.
  const ov = s.overview?.filter === s.filter?.text ? s.overview : undefined;
  const out: Frame = {
    width: s.width,
    height: s.height,
    color: s.color,
    header: {
      title: s.title,
      total: ov?.count,
      filter: s.filter?.text,
      search: s.search?.text,
      follow: s.follow,
      marks: s.marks.size,
      incidents: s.incidentRows.length,
      ...severityTotals(ov?.histogram),
    },
    body: body(s),
    bodyHeight: s.bodyHeight,
    status: { hints: hintsFor(s.contexts()), position: positionText(s), message: s.message },
  };
  if (!v && !s.help) {
    const sel = s.win.selected();
    const buckets = ov?.histogram;
    let cursorBucket: number | undefined;
    if (buckets && sel) {
      const i = buckets.findIndex((b) => sel.time >= b.start && sel.time < b.end);
      cursorBucket = i >= 0 ? i : sel.time >= (buckets[buckets.length - 1]?.start ?? Infinity) ? buckets.length - 1 : undefined;
    }
    out.histogram = { buckets, cursorBucket, spans: s.incidentRows };
  }
  if (s.detailHeight > 0 && s.detailCache && s.detailOpen) {
    out.detail = { detail: s.detailCache, scroll: s.detailScroll, height: s.detailHeight, focused: s.detailFocus };
  }
  if (s.input) {
    const inp: InputView = { kind: s.input.kind, text: s.input.text, caret: s.input.caretAt };
    if (s.problem) inp.problem = s.problem;
    out.input = inp;
  }
  return out;
}

/** Errors and warnings in the histogram's buckets (which count every event by severity). */
function severityTotals(buckets: readonly HistogramBucket[] | undefined): { errors?: number; warnings?: number } {
  if (!buckets) return {};
  let errors = 0;
  let warnings = 0;
  for (const b of buckets) {
    errors += b.counts[3] + b.counts[4];
    warnings += b.counts[2];
  }
  return { errors, warnings };
}
