/**
 * Builds the CI report (types.ts) from a store whose incidents have been detected: incidents
 * with their root objects and first evidence lines, the expectations judged, event counts per
 * component, and a short timeline excerpt for each incident's root object.
 */
import type Database from 'better-sqlite3';
import { COMPONENTS, SEVERITIES, severityRank, type Severity } from '../model/event.js';
import { buildTimeline } from '../correlate/timeline.js';
import { describeObject, type StoredObject } from '../correlate/resolve-ref.js';
import { StoreReader, type StoredEvent } from '../store/reader.js';
import type { Store } from '../store/connection.js';
import { formatMicros } from '../util/time.js';
import { evaluateExpectations, type Expectations } from './expect.js';
import {
  REPORT_SCHEMA_VERSION,
  type CiReport,
  type ComponentCounts,
  type EvidenceLine,
  type FailOn,
  type ReportIncident,
  type ReportObject,
  type TimelineExcerpt,
  type TimelineLine,
} from './types.js';

/** Evidence lines kept per incident in the report (the total is still given). */
export const EVIDENCE_LINES = 20;
/** Distinct lines shown per timeline excerpt. */
export const TIMELINE_LINES = 12;
/** The excerpt starts this long before the root's first incident: what led to it. */
const TIMELINE_LEAD_US = 60_000_000;
/** Timeline steps looked at per root (a node's timeline can hold most of its kubelet's lines). */
const TIMELINE_SCAN = 20_000;
const ROLE_ORDER = ['trigger', 'cause', 'effect', 'evidence'];

export interface BuildOptions {
  failOn: FailOn;
  expectations?: Expectations;
  input: CiReport['input'];
  version: string;
}

interface IncidentRow {
  id: number;
  kind: string;
  severity: number;
  start_time: number;
  end_time: number;
  root_object_id: number | null;
  summary: string;
  details: string | null;
}

interface Details {
  root?: { kind: string; namespace: string | null; name: string | null; uid: string | null; label: string };
  components?: string[];
  counts?: Record<string, number>;
  causeChain?: { kind: string; object: string; time: number; summary: string; incidentId?: number }[];
}

const OBJECT_COLUMNS = 'id, uid, kind, namespace, name, first_seen, last_seen, deleted';

function severityOf(rank: number): Severity {
  return SEVERITIES[rank] ?? 'info';
}

function reportObject(o: { kind: string; namespace: string | null; name: string | null; uid: string | null }, label?: string): ReportObject {
  return { kind: o.kind, namespace: o.namespace, name: o.name, uid: o.uid, label: label ?? describeObject(o) };
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}

function evidenceFor(db: Database.Database, reader: StoreReader, incidentId: number): EvidenceLine[] {
  const rows = db
    .prepare(
      `SELECT ie.event_id AS id, ie.role FROM incident_evidence ie JOIN events e ON e.id = ie.event_id
       WHERE ie.incident_id = ? ORDER BY (ie.role = 'trigger') DESC, e.time, e.id LIMIT ?`,
    )
    .all(incidentId, EVIDENCE_LINES) as { id: number; role: string }[];
  const events = new Map(reader.eventsByIds(rows.map((r) => r.id)).map((e) => [e.id, e]));
  return rows.flatMap((r) => {
    const e = events.get(r.id);
    if (!e) return [];
    return [
      {
        eventId: e.id,
        file: e.source.file,
        line: e.source.line,
        component: e.component,
        host: e.host ?? null,
        role: r.role,
        severity: e.severity,
        time: formatMicros(e.time),
        message: firstLine(e.message),
      },
    ];
  });
}

/** Incidents by severity (most severe first), then start, then id: the order every output uses. */
function byImportance(a: ReportIncident, b: ReportIncident): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.startUs - b.startUs || a.id - b.id;
}

export function buildCiReport(store: Store, opts: BuildOptions): CiReport {
  const db = store.db;
  const reader = new StoreReader(store);
  const rows = db
    .prepare(`SELECT id, kind, severity, start_time, end_time, root_object_id, summary, details FROM incidents ORDER BY start_time, id`)
    .all() as IncidentRow[];
  const objectById = db.prepare(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE id = ?`);

  const incidents: ReportIncident[] = rows.map((r) => {
    const details = (r.details ? JSON.parse(r.details) : {}) as Details;
    const stored = r.root_object_id === null ? undefined : (objectById.get(r.root_object_id) as StoredObject | undefined);
    const root: ReportObject = details.root
      ? reportObject(details.root, details.root.label)
      : stored
        ? reportObject(stored)
        : { kind: 'Unknown', namespace: null, name: null, uid: null, label: 'unknown' };
    const evidence = evidenceFor(db, reader, r.id);
    return {
      id: r.id,
      kind: r.kind,
      severity: severityOf(r.severity),
      start: formatMicros(r.start_time),
      end: formatMicros(r.end_time),
      startUs: r.start_time,
      endUs: r.end_time,
      root,
      summary: r.summary,
      components: details.components ?? [],
      counts: details.counts ?? {},
      status: 'below-threshold',
      acceptedBy: null,
      evidence,
      evidenceTotal: details.counts?.evidenceTotal ?? evidence.length,
      causeChain: (details.causeChain ?? []).map((s) => ({
        kind: s.kind,
        object: s.object,
        time: formatMicros(s.time),
        summary: s.summary,
        incidentId: s.incidentId ?? null,
      })),
    };
  });

  const { results, acceptedBy } = evaluateExpectations(
    opts.expectations,
    incidents.map((i) => ({ id: i.id, kind: i.kind, rootLabel: i.root.label })),
    (filter) => reader.count(filter),
  );
  const threshold = opts.failOn === 'none' ? Infinity : severityRank(opts.failOn);
  for (const inc of incidents) {
    const rule = acceptedBy.get(inc.id);
    if (rule !== undefined) {
      inc.status = 'accepted';
      inc.acceptedBy = rule;
    } else if (severityRank(inc.severity) >= threshold) inc.status = 'failing';
  }

  const timelines = buildExcerpts(db, reader, rows, incidents);
  incidents.sort(byImportance);

  const failing = incidents.filter((i) => i.status === 'failing').length;
  const unmet = results.require.filter((r) => !r.met).length;
  const fail = failing > 0 || unmet > 0;
  const incidentsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const i of incidents) incidentsBySeverity[i.severity]++;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ktrail', version: opts.version },
    input: { ...opts.input, sources: (db.prepare('SELECT count(*) FROM sources').pluck().get() as number) ?? 0 },
    range: timeRange(db),
    failOn: opts.failOn,
    result: fail ? 'fail' : 'pass',
    exitCode: fail ? 1 : 0,
    totals: {
      events: reader.count(),
      incidents: incidents.length,
      failing,
      accepted: incidents.filter((i) => i.status === 'accepted').length,
      belowThreshold: incidents.filter((i) => i.status === 'below-threshold').length,
      requirementsMet: results.require.length - unmet,
      requirementsUnmet: unmet,
    },
    incidentsBySeverity,
    incidents,
    components: componentCounts(db, incidents),
    expectations: results,
    timelines,
  };
}

/** First and last event time, leaving out events with no time at all (time 0). */
function timeRange(db: Database.Database): CiReport['range'] {
  const r = db.prepare('SELECT min(time) AS lo, max(time) AS hi FROM events WHERE time > 0').get() as { lo: number | null; hi: number | null };
  return r.lo === null || r.hi === null ? null : { from: formatMicros(r.lo), to: formatMicros(r.hi) };
}

function componentCounts(db: Database.Database, incidents: readonly ReportIncident[]): ComponentCounts[] {
  const rows = db.prepare('SELECT component, severity, count(*) AS n FROM events GROUP BY component, severity').all() as {
    component: string;
    severity: number;
    n: number;
  }[];
  const by = new Map<string, ComponentCounts>();
  for (const r of rows) {
    let c = by.get(r.component);
    if (!c) {
      c = { component: r.component, events: 0, bySeverity: { debug: 0, info: 0, warn: 0, error: 0, fatal: 0 }, incidents: 0 };
      by.set(r.component, c);
    }
    c.events += r.n;
    c.bySeverity[severityOf(r.severity)] += r.n;
  }
  for (const i of incidents) for (const comp of i.components) {
    const c = by.get(comp);
    if (c) c.incidents++;
  }
  const order = (name: string): number => {
    const i = (COMPONENTS as readonly string[]).indexOf(name);
    return i < 0 ? COMPONENTS.length : i;
  };
  return [...by.values()].sort((a, b) => order(a.component) - order(b.component) || a.component.localeCompare(b.component));
}

/** Messages that differ only in numbers (back-off 10s / 20s, counts, latencies) are one line. */
function messageKey(component: string, message: string): string {
  return `${component}\u0000${firstLine(message).replace(/\d+/g, '#')}`;
}

/**
 * One excerpt per root object of an incident: the root's timeline from a minute before its first
 * incident to the end of its last one, repeated messages folded into one line with a count, at
 * most TIMELINE_LINES lines (the incidents' evidence first, then warnings and errors, then the
 * rest), in time order.
 */
function buildExcerpts(db: Database.Database, reader: StoreReader, rows: readonly IncidentRow[], incidents: readonly ReportIncident[]): TimelineExcerpt[] {
  const objectById = db.prepare(`SELECT ${OBJECT_COLUMNS} FROM objects WHERE id = ?`);
  const roots = new Map<number, { incidents: number[]; from: number; to: number }>();
  // In report order (most severe first), so that excerpts follow the incidents table.
  const order = [...incidents].sort(byImportance).map((i) => rows.find((r) => r.id === i.id)!);
  for (const r of order) {
    if (r.root_object_id === null) continue;
    const entry = roots.get(r.root_object_id) ?? { incidents: [], from: r.start_time, to: r.end_time };
    entry.incidents.push(r.id);
    entry.from = Math.min(entry.from, r.start_time);
    entry.to = Math.max(entry.to, r.end_time);
    roots.set(r.root_object_id, entry);
  }
  const evidenceRows = db.prepare(
    `SELECT event_id, role FROM incident_evidence WHERE incident_id IN (SELECT value FROM json_each(?)) LIMIT ${TIMELINE_SCAN}`,
  );
  const out: TimelineExcerpt[] = [];
  for (const [objectId, span] of roots) {
    const root = objectById.get(objectId) as StoredObject | undefined;
    if (!root) continue;
    const from = span.from - TIMELINE_LEAD_US;
    const steps = buildTimeline(db, root).steps.filter((s) => s.time >= from && s.time <= span.to).slice(0, TIMELINE_SCAN);
    // The incidents' own evidence joins the root's timeline: a Service's failing pods, a node's
    // evicted pods are linked to those objects, not to the root, and are the story.
    const roles = new Map<number, string>();
    for (const r of evidenceRows.all(JSON.stringify(span.incidents)) as { event_id: number; role: string }[]) {
      const prev = roles.get(r.event_id);
      if (prev === undefined || ROLE_ORDER.indexOf(r.role) < ROLE_ORDER.indexOf(prev)) roles.set(r.event_id, r.role);
    }
    const ids = [...new Set([...steps.map((s) => s.eventId), ...roles.keys()])];
    const events = reader.eventsByIds(ids).sort((a, b) => a.time - b.time || a.id - b.id);
    const groups = new Map<string, { first: StoredEvent; count: number }>();
    for (const e of events) {
      const key = messageKey(e.component, e.message);
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { first: e, count: 1 });
    }
    const all = [...groups.values()];
    // The fault and its causes tell the story best (trigger, cause, effect), then warnings and
    // errors, then the root's other evidence, then the rest.
    const rank = (g: { first: StoredEvent }): number => {
      const role = roles.get(g.first.id);
      if (role === 'trigger' || role === 'cause' || role === 'effect') return ROLE_ORDER.indexOf(role);
      if (severityRank(g.first.severity) >= severityRank('warn')) return 3;
      return role ? 4 : 5;
    };
    const chosen = [...all].sort((a, b) => rank(a) - rank(b) || a.first.time - b.first.time || a.first.id - b.first.id).slice(0, TIMELINE_LINES);
    chosen.sort((a, b) => a.first.time - b.first.time || a.first.id - b.first.id);
    const lines: TimelineLine[] = chosen.map((g) => ({
      time: formatMicros(g.first.time),
      component: g.first.component,
      host: g.first.host ?? null,
      severity: g.first.severity,
      message: firstLine(g.first.message),
      file: g.first.source.file,
      line: g.first.source.line,
      repeats: g.count,
    }));
    out.push({ root: reportObject(root), incidents: span.incidents, events: events.length, lines, omitted: all.length - chosen.length });
  }
  return out;
}
