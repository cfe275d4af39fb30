/**
 * What the HTML report's timeline draws, taken from the store: a lane per component (with an
 * event-density histogram), the incidents as bands, and a bounded set of events to show as
 * marks (every incident's evidence first, then warnings and errors, then a sample of the rest)
 * with their raw lines for the detail pane. Bounded so that a million-line bundle still gives a
 * report a browser opens at once.
 */
import { severityRank } from '../model/event.js';
import type { KtrailStore, StoredEvent } from '../store/store.js';
import { rfc3339Micros } from '../util/time.js';
import type { CiReport } from './types.js';

export const HTML_LIMITS = {
  /** Event marks in all. */
  events: 6000,
  /** Evidence events per incident. */
  evidencePerIncident: 300,
  /** Histogram buckets per lane. */
  buckets: 240,
  messageChars: 400,
  rawChars: 8000,
};

export interface HtmlEvent {
  id: number;
  /** Milliseconds since the report's first event (fractional). */
  t: number;
  /** Lane index. */
  lane: number;
  /** Severity rank 0..4. */
  s: number;
  time: string;
  host: string | null;
  file: string;
  line: number;
  msg: string;
  raw: string;
  /** Incidents it is evidence of. */
  inc: number[];
}

export interface HtmlIncident {
  id: number;
  kind: string;
  severity: string;
  status: string;
  root: string;
  summary: string;
  /** Milliseconds since the first event. */
  start: number;
  end: number;
  lanes: number[];
}

export interface HtmlData {
  title: string;
  result: 'pass' | 'fail';
  /** Epoch milliseconds of t = 0, and the span shown. */
  origin: number;
  span: number;
  lanes: { name: string; events: number; histogram: number[]; warnings: number[] }[];
  incidents: HtmlIncident[];
  events: HtmlEvent[];
  /** Events in the store that are not among the marks. */
  omitted: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function buildHtmlData(store: KtrailStore, report: CiReport): HtmlData {
  const lanes = report.components.map((c) => c.component);
  const laneOf = new Map(lanes.map((name, i) => [name, i]));
  const fromUs = report.range ? rfc3339Micros(report.range.from)! : 0;
  const toUs = report.range ? rfc3339Micros(report.range.to)! : 1;
  const spanUs = Math.max(1, toUs - fromUs);
  const ms = (us: number): number => (us - fromUs) / 1000;

  // Which events to mark, in priority order.
  const chosen = new Map<number, number[]>();
  const add = (id: number, incident?: number): void => {
    const list = chosen.get(id);
    if (list) {
      if (incident !== undefined && !list.includes(incident)) list.push(incident);
    } else if (chosen.size < HTML_LIMITS.events) chosen.set(id, incident === undefined ? [] : [incident]);
  };
  for (const inc of report.incidents) {
    for (const ev of store.incidents.evidence(inc.id, HTML_LIMITS.evidencePerIncident)) add(ev.eventId, inc.id);
  }
  for (const id of store.events.idsAtLeast(severityRank('warn'), HTML_LIMITS.events)) add(id);
  const room = HTML_LIMITS.events - chosen.size;
  if (room > 0) {
    const total = report.totals.events;
    const step = Math.max(1, Math.ceil(total / room));
    for (const id of store.events.sampleIds(step, room)) add(id);
  }

  const events: HtmlEvent[] = store.events
    .byIds([...chosen.keys()])
    .filter((e: StoredEvent) => e.time > 0)
    .map((e) => ({
      id: e.id,
      t: ms(e.time),
      lane: laneOf.get(e.component) ?? 0,
      s: severityRank(e.severity),
      time: new Date(Math.floor(e.time / 1000)).toISOString(),
      host: e.host ?? null,
      file: e.source.file,
      line: e.source.line,
      msg: cut(e.message.split('\n', 1)[0] ?? '', HTML_LIMITS.messageChars),
      raw: cut(e.raw, HTML_LIMITS.rawChars),
      inc: chosen.get(e.id) ?? [],
    }))
    .sort((a, b) => a.t - b.t || a.id - b.id);

  const buckets = HTML_LIMITS.buckets;
  const width = spanUs / buckets;
  const laneData = lanes.map((name) => ({
    name,
    events: report.components.find((c) => c.component === name)?.events ?? 0,
    histogram: new Array<number>(buckets).fill(0),
    warnings: new Array<number>(buckets).fill(0),
  }));
  for (const r of store.events.countsByComponentBucket(fromUs, width, buckets, severityRank('warn'))) {
    const lane = laneData[laneOf.get(r.component) ?? -1];
    if (!lane || r.bucket < 0) continue;
    if (r.warn) lane.warnings[r.bucket]! += r.events;
    lane.histogram[r.bucket]! += r.events;
  }

  return {
    title: `ktrail ci: ${report.input.name}`,
    result: report.result,
    origin: fromUs / 1000,
    span: spanUs / 1000,
    lanes: laneData,
    incidents: report.incidents.map((i) => ({
      id: i.id,
      kind: i.kind,
      severity: i.severity,
      status: i.status,
      root: i.root.label,
      summary: i.summary,
      start: ms(i.startUs),
      end: Math.max(ms(i.endUs), ms(i.startUs)),
      lanes: i.components.map((c) => laneOf.get(c)).filter((x): x is number => x !== undefined),
    })),
    events,
    omitted: Math.max(0, report.totals.events - events.length),
  };
}

