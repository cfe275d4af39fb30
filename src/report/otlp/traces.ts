/**
 * Each root object's timeline as an OpenTelemetry trace in OTLP/JSON (the body an OTLP/HTTP
 * collector takes at /v1/traces, and what Jaeger and Tempo import):
 *
 * - one trace per root object: a workload object (Deployment, StatefulSet, DaemonSet, Job,
 *   CronJob, ReplicaSet, Pod) that no other workload object owns, so a Deployment with its
 *   ReplicaSets and Pods is one trace and a standalone or static Pod is one of its own;
 * - a span per object of the trace (the root's span, ReplicaSet spans below it, Pod spans below
 *   those), covering its first to its last event;
 * - below each Pod's span, a span per phase (phases.ts: scheduling, image pull, container
 *   running, crash back-off...), with an error status when the phase failed;
 * - every event of the timeline as a span event on the deepest span it belongs to, with its
 *   component, severity, host, source file and line, fields and raw line as attributes.
 *
 * Trace and span ids are derived from the object's UID (its kind/namespace/name when it has
 * none) with SHA-256: exporting the same logs twice gives the same ids, so a re-import replaces
 * rather than duplicates.
 */
import { createHash } from 'node:crypto';
import { describeObject } from '../../correlate/resolve-ref.js';
import type { KEvent } from '../../model/event.js';
import type { KtrailStore, OwnerEdgeRow, StoredEvent, StoredObject, Timeline } from '../../store/store.js';
import { timelineChunks } from '../timelines.js';
import { podPhases } from './phases.js';

/** Kinds that own pods, directly or not: the objects a trace is built around. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'ReplicationController', 'Pod'];

/** Span events kept per span (Jaeger and Tempo slow down on huge spans); the rest are counted as dropped. */
export const MAX_EVENTS_PER_SPAN = 1000;
/** Timeline events read per trace. */
const MAX_EVENTS_PER_TRACE = 50_000;
const MAX_FIELDS = 24;
const MAX_RAW = 4000;

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpSpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 1;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: OtlpSpanEvent[];
  droppedEventsCount: number;
  status: { code: 0 | 1 | 2; message?: string };
}
export interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(Math.trunc(value)) } });

/** Epoch microseconds to the decimal nanoseconds OTLP/JSON carries (a string: int64 exceeds 2^53). */
export function nanos(micros: number): string {
  return (BigInt(Math.trunc(micros)) * 1000n).toString();
}

function hexId(seed: string, bytes: number): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, bytes * 2);
  // An all-zero id is invalid in OTLP; a SHA-256 prefix is never that in practice, but be exact.
  return /^0+$/.test(hex) ? '1'.padStart(bytes * 2, '0') : hex;
}

function identity(o: Pick<StoredObject, 'uid' | 'kind' | 'namespace' | 'name'>): string {
  return o.uid ?? describeObject(o);
}

export function traceIdFor(o: Pick<StoredObject, 'uid' | 'kind' | 'namespace' | 'name'>): string {
  return hexId(`ktrail trace\u0000${identity(o)}`, 16);
}

export function spanIdFor(traceSeed: string, key: string): string {
  return hexId(`ktrail span\u0000${traceSeed}\u0000${key}`, 8);
}

/** The root objects: workload objects no other workload object owns, in first-seen order. */
export function traceRoots(store: KtrailStore): StoredObject[] {
  return store.objects.roots(WORKLOAD_KINDS);
}

/** Semantic-convention attributes of a Kubernetes object (k8s.pod.name, k8s.deployment.uid...). */
function objectAttributes(o: StoredObject): KeyValue[] {
  const attrs: KeyValue[] = [str('k8s.object.kind', o.kind), str('ktrail.object', describeObject(o))];
  if (o.namespace) attrs.push(str('k8s.namespace.name', o.namespace));
  const key = o.kind.toLowerCase();
  if (o.name) attrs.push(str(`k8s.${key}.name`, o.name));
  if (o.uid) attrs.push(str(`k8s.${key}.uid`, o.uid));
  return attrs;
}

function eventName(e: KEvent): string {
  const first = e.message.split('\n', 1)[0] ?? '';
  return first.length > 200 ? first.slice(0, 199) + '…' : first || '(empty)';
}

function spanEvent(e: KEvent): OtlpSpanEvent {
  const attrs: KeyValue[] = [str('ktrail.component', e.component), str('ktrail.severity', e.severity)];
  if (e.host) attrs.push(str('host.name', e.host));
  attrs.push(str('ktrail.source.file', e.source.file), int('ktrail.source.line', e.source.line), str('ktrail.source.format', e.source.format));
  let n = 0;
  for (const [k, v] of Object.entries(e.fields)) {
    if (v === undefined || v === null || n++ >= MAX_FIELDS) continue;
    attrs.push(str(`ktrail.field.${k}`, typeof v === 'string' ? v : JSON.stringify(v)));
  }
  attrs.push(str('ktrail.raw', e.raw.length > MAX_RAW ? e.raw.slice(0, MAX_RAW - 1) + '…' : e.raw));
  return { timeUnixNano: nanos(e.time), name: eventName(e), attributes: attrs };
}

function withEvents(span: Omit<OtlpSpan, 'events' | 'droppedEventsCount'>, events: readonly KEvent[]): OtlpSpan {
  const kept = events.slice(0, MAX_EVENTS_PER_SPAN);
  return { ...span, events: kept.map(spanEvent), droppedEventsCount: events.length - kept.length };
}

/**
 * One trace: its spans, parents before children. `events` holds (at least) the timeline's
 * events by id; `edges`, (at least) the owner edges among its objects: both are read once for
 * many traces.
 */
function traceSpans(timeline: Timeline, events: ReadonlyMap<number, StoredEvent>, edges: readonly OwnerEdgeRow[]): OtlpSpan[] {
  const root = timeline.root;
  const objects = timeline.objects;
  const depth = new Map(objects.map((o) => [o.id, o.depth]));
  const parentOf = new Map<number, number>();
  for (const r of edges) {
    if (!depth.has(r.ownerId) || !depth.has(r.ownedId)) continue;
    // The owner closest to the root wins when an object has two owners in the trace (the lower
    // id between two as close: the same answer whatever order the store returns edges in).
    const current = parentOf.get(r.ownedId);
    const d = depth.get(r.ownerId)!;
    const cd = current === undefined ? 0 : depth.get(current)!;
    if (current === undefined || d < cd || (d === cd && r.ownerId < current)) parentOf.set(r.ownedId, r.ownerId);
  }

  // Each event goes to the deepest object of the trace it is linked to.
  const eventsOf = new Map<number, StoredEvent[]>();
  for (const step of timeline.steps) {
    const e = events.get(step.eventId);
    if (!e) continue;
    let best = step.links[0]!.objectId;
    for (const l of step.links) {
      const d = depth.get(l.objectId) ?? 0;
      const bd = depth.get(best) ?? 0;
      if (d > bd || (d === bd && l.objectId < best)) best = l.objectId;
    }
    let list = eventsOf.get(best);
    if (!list) eventsOf.set(best, (list = []));
    list.push(e);
  }

  // An object's span covers its own events and its children's.
  const range = new Map<number, { start: number; end: number }>();
  const widen = (id: number, start: number, end: number): void => {
    const r = range.get(id);
    range.set(id, r ? { start: Math.min(r.start, start), end: Math.max(r.end, end) } : { start, end });
  };
  for (const o of [...objects].sort((a, b) => b.depth - a.depth)) {
    const own = eventsOf.get(o.id);
    if (own?.length) widen(o.id, own[0]!.time, own[own.length - 1]!.time);
    const r = range.get(o.id);
    const parent = parentOf.get(o.id);
    if (r && parent !== undefined) widen(parent, r.start, r.end);
  }

  const traceSeed = identity(root);
  const traceId = traceIdFor(root);
  const byId = new Map(objects.map((o) => [o.id, o]));
  const objectSpanId = (o: StoredObject): string => spanIdFor(traceSeed, `object\u0000${identity(o)}`);
  const spans: OtlpSpan[] = [];
  for (const o of objects) {
    const r = range.get(o.id);
    if (!r) continue;
    const key = identity(o);
    const spanId = objectSpanId(o);
    // Every object below the root has an owner in the trace (that is how it got in); the root
    // stands in should the owner have no span.
    const parent = o.id === root.id ? undefined : (byId.get(parentOf.get(o.id) ?? -1) ?? root);
    const parentSpanId = parent ? objectSpanId(parent) : undefined;
    const own = eventsOf.get(o.id) ?? [];
    const base = {
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name: describeObject(o),
      kind: 1 as const,
      startTimeUnixNano: nanos(r.start),
      endTimeUnixNano: nanos(r.end),
      attributes: objectAttributes(o),
      status: { code: 0 as const },
    };
    if (o.kind !== 'Pod') {
      spans.push(withEvents(base, own));
      continue;
    }
    const phases = podPhases(own);
    const failed = phases.filter((p) => p.failed);
    spans.push({
      ...withEvents(base, []),
      status: failed.length ? { code: 2, message: `${failed[0]!.phase} failed: ${failed[0]!.reason ?? ''}`.trim() } : { code: 0 },
    });
    phases.forEach((p, i) => {
      const phaseEvents = p.events.map((j) => own[j]!);
      spans.push(
        withEvents(
          {
            traceId,
            spanId: spanIdFor(traceSeed, `phase\u0000${key}\u0000${i}\u0000${p.phase}`),
            parentSpanId: spanId,
            name: p.phase,
            kind: 1,
            startTimeUnixNano: nanos(p.start),
            endTimeUnixNano: nanos(Math.max(p.end, p.start)),
            attributes: [str('ktrail.phase', p.phase), ...objectAttributes(o)],
            status: p.failed ? { code: 2, message: p.reason ?? `${p.phase} failed` } : { code: 0 },
          },
          phaseEvents,
        ),
      );
    });
  }
  return spans;
}

/** One root object's trace, as it appears in OtlpTraces.resourceSpans. */
export type OtlpResourceSpans = OtlpTraces['resourceSpans'][number];

/**
 * Every root object's trace, a chunk of roots at a time (its timelines, their events and their
 * owner edges in a few reads), so a writer can stream them: a fleet store's traces as one
 * document pass what one string holds.
 */
export function* otlpResourceSpans(store: KtrailStore, version: string): Generator<OtlpResourceSpans> {
  for (const chunk of timelineChunks(store, traceRoots(store), { limit: MAX_EVENTS_PER_TRACE })) {
    const events = new Map(store.events.byIds([...new Set(chunk.flatMap((t) => t.steps.map((s) => s.eventId)))]).map((e) => [e.id, e]));
    const edges = store.objects.ownerEdgesAmong([...new Set(chunk.flatMap((t) => t.objects.map((o) => o.id)))]);
    for (const timeline of chunk) {
      yield {
        resource: { attributes: [str('service.name', 'kubernetes'), ...objectAttributes(timeline.root)] },
        scopeSpans: [{ scope: { name: 'ktrail', version }, spans: traceSpans(timeline, events, edges) }],
      };
    }
  }
}

/** The whole document in memory (for tests and small stores; `ktrail export otlp` streams). */
export function buildOtlpTraces(store: KtrailStore, version: string): OtlpTraces {
  return { resourceSpans: [...otlpResourceSpans(store, version)] };
}

/**
 * The OTLP/JSON document, written a trace at a time: the same bytes as
 * `JSON.stringify(buildOtlpTraces(store, version)) + '\n'`. Returns the traces and spans written.
 */
export async function writeOtlpTraces(
  store: KtrailStore,
  version: string,
  write: (text: string) => Promise<void>,
  // Written in pieces of about this many characters: few writes, memory bounded by a piece.
  pieceSize = 1 << 20,
): Promise<{ traces: number; spans: number }> {
  let traces = 0;
  let spans = 0;
  let text = '{"resourceSpans":[';
  for (const rs of otlpResourceSpans(store, version)) {
    text += (traces === 0 ? '' : ',') + JSON.stringify(rs);
    traces++;
    spans += rs.scopeSpans[0]!.spans.length;
    if (text.length > pieceSize) {
      await write(text);
      text = '';
    }
  }
  await write(text + ']}\n');
  return { traces, spans };
}
