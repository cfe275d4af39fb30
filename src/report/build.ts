/**
 * Builds the CI report (types.ts) from a store whose incidents have been detected: incidents
 * with their root objects and first evidence lines, the expectations judged, event counts per
 * component, and a short timeline excerpt for each incident's root object.
 */
import { COMPONENTS, SEVERITIES, severityRank, type Severity } from '../model/event.js';
import { describeObject } from '../correlate/resolve-ref.js';
import { evidenceRoleRank, type IncidentRecord, type KtrailStore, type StoredEvent, type Timeline } from '../store/store.js';
import { timelineChunks } from './timelines.js';
import { formatMicros } from '../util/time.js';
import { evidenceFields } from '../output/evidence-fields.js';
import { SkewCollector, type SkewReport } from '../correlate/skew.js';
import { compileSql } from '../query/compile-sql.js';
import { parseQuery } from '../query/parser.js';
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

export interface BuildOptions {
  failOn: FailOn;
  expectations?: Expectations;
  input: CiReport['input'];
  version: string;
}

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

function evidenceFor(store: KtrailStore, incidentId: number): EvidenceLine[] {
  const rows = store.incidents.evidence(incidentId, EVIDENCE_LINES);
  const events = new Map(store.events.byIds(rows.map((r) => r.eventId)).map((e) => [e.id, e]));
  return rows.flatMap((r) => {
    const e = events.get(r.eventId);
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
        facts: evidenceFields(e),
      },
    ];
  });
}

/** Incidents by severity (most severe first), then start, then id: the order every output uses. */
function byImportance(a: ReportIncident, b: ReportIncident): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.startUs - b.startUs || a.id - b.id;
}

export function buildCiReport(store: KtrailStore, opts: BuildOptions): CiReport {
  const rows = store.incidents.list();

  const incidents: ReportIncident[] = rows.map((r) => {
    const details = r.details;
    const root: ReportObject = details.root
      ? reportObject(details.root, details.root.label)
      : r.root
        ? reportObject(r.root)
        : { kind: 'Unknown', namespace: null, name: null, uid: null, label: 'unknown' };
    const evidence = evidenceFor(store, r.id);
    return {
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      start: formatMicros(r.start),
      end: formatMicros(r.end),
      startUs: r.start,
      endUs: r.end,
      root,
      summary: r.summary,
      components: details.components,
      counts: details.counts,
      status: 'below-threshold',
      acceptedBy: null,
      evidence,
      evidenceTotal: details.counts?.evidenceTotal ?? evidence.length,
      causeChain: details.causeChain.map((s) => ({
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
    (filter) => store.events.count(filter),
  );
  const threshold = opts.failOn === 'none' ? Infinity : severityRank(opts.failOn);
  for (const inc of incidents) {
    const rule = acceptedBy.get(inc.id);
    if (rule !== undefined) {
      inc.status = 'accepted';
      inc.acceptedBy = rule;
    } else if (severityRank(inc.severity) >= threshold) inc.status = 'failing';
  }

  const timelines = buildExcerpts(store, rows, incidents);
  incidents.sort(byImportance);

  const failing = incidents.filter((i) => i.status === 'failing').length;
  const unmet = results.require.filter((r) => !r.met).length;
  const fail = failing > 0 || unmet > 0;
  const incidentsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const i of incidents) incidentsBySeverity[i.severity]++;

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ktrail', version: opts.version },
    input: { ...opts.input, sources: store.sources.list().length },
    range: timeRange(store),
    failOn: opts.failOn,
    result: fail ? 'fail' : 'pass',
    exitCode: fail ? 1 : 0,
    totals: {
      events: store.events.count(),
      incidents: incidents.length,
      failing,
      accepted: incidents.filter((i) => i.status === 'accepted').length,
      belowThreshold: incidents.filter((i) => i.status === 'below-threshold').length,
      requirementsMet: results.require.length - unmet,
      requirementsUnmet: unmet,
    },
    incidentsBySeverity,
    incidents,
    components: componentCounts(store, incidents),
    clockSkew: clockSkewOf(store),
    expectations: results,
    timelines,
  };
}

/**
 * The lines that can end a causal pair (skew.ts reads only these, and checks each itself), a page
 * at a time. Written in the query language, so that every store compiles it to its own SQL (a
 * filter of SQLite SQL cannot run on ClickHouse).
 */
const SKEW_LINES = `| (component = "kube-scheduler" and message = "Successfully bound pod to node")
  or (component = "kubelet" and (message = "SyncLoop ADD" or message =~ "(?s)SyncLoop \\(ADD, .*"))
  or (component = "audit" and verb = "patch")`;

function clockSkewOf(store: KtrailStore): SkewReport {
  const skew = new SkewCollector();
  const filter = compileSql(parseQuery(SKEW_LINES));
  let after: { time: number; id: number } | undefined;
  for (;;) {
    const page = store.events.page({ filter, after, limit: 5_000 });
    for (const e of page) skew.add(e);
    if (page.length < 5_000) break;
    const last = page[page.length - 1]!;
    after = { time: last.time, id: last.id };
  }
  return skew.report();
}

/** First and last event time, leaving out events with no time at all (time 0). */
function timeRange(store: KtrailStore): CiReport['range'] {
  const r = store.events.timeRange({ where: 'events.time > 0', params: [] });
  return r ? { from: formatMicros(r.from), to: formatMicros(r.to) } : null;
}

function componentCounts(store: KtrailStore, incidents: readonly ReportIncident[]): ComponentCounts[] {
  const rows = store.events.countsByComponent();
  const by = new Map<string, ComponentCounts>();
  for (const r of rows) {
    let c = by.get(r.component);
    if (!c) {
      c = { component: r.component, events: 0, bySeverity: { debug: 0, info: 0, warn: 0, error: 0, fatal: 0 }, incidents: 0 };
      by.set(r.component, c);
    }
    c.events += r.events;
    c.bySeverity[severityOf(r.severity)] += r.events;
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
function buildExcerpts(store: KtrailStore, rows: readonly IncidentRecord[], incidents: readonly ReportIncident[]): TimelineExcerpt[] {
  const roots = new Map<number, { incidents: number[]; from: number; to: number }>();
  // In report order (most severe first), so that excerpts follow the incidents table.
  const order = [...incidents].sort(byImportance).map((i) => rows.find((r) => r.id === i.id)!);
  for (const r of order) {
    if (r.rootObjectId === null) continue;
    const entry = roots.get(r.rootObjectId) ?? { incidents: [], from: r.start, to: r.end };
    entry.incidents.push(r.id);
    entry.from = Math.min(entry.from, r.start);
    entry.to = Math.max(entry.to, r.end);
    roots.set(r.rootObjectId, entry);
  }
  // Every root's timeline through the batched read, a chunk of roots at a time (report/timelines.ts).
  const stored = new Map(rows.flatMap((r) => (r.root ? [[r.root.id, r.root] as const] : [])));
  const found = [...roots.keys()].flatMap((id) => {
    const root = stored.get(id) ?? store.objects.byId(id);
    return root ? [root] : [];
  });
  const out: TimelineExcerpt[] = [];
  for (const chunk of timelineChunks(store, found)) for (const timeline of chunk) out.push(excerpt(store, timeline, roots.get(timeline.root.id)!));
  return out;
}

/** One root's excerpt: its timeline in the window of its incidents, with their evidence. */
function excerpt(store: KtrailStore, timeline: Timeline, span: { incidents: number[]; from: number; to: number }): TimelineExcerpt {
  const root = timeline.root;
  const from = span.from - TIMELINE_LEAD_US;
  const steps = timeline.steps.filter((s) => s.time >= from && s.time <= span.to).slice(0, TIMELINE_SCAN);
  // The incidents' own evidence joins the root's timeline: a Service's failing pods, a node's
  // evicted pods are linked to those objects, not to the root, and are the story.
  const roles = store.incidents.evidenceOfAll(span.incidents, TIMELINE_SCAN);
  const ids = [...new Set([...steps.map((s) => s.eventId), ...roles.keys()])];
  const events = store.events.byIds(ids).sort((a, b) => a.time - b.time || a.id - b.id);
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
    if (role === 'trigger' || role === 'cause' || role === 'effect') return evidenceRoleRank(role);
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
  return { root: reportObject(root), incidents: span.incidents, events: events.length, lines, omitted: all.length - chosen.length };
}
