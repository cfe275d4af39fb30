/**
 * Which fields a one-line view shows, per kind of line. A line has more fields than a terminal row
 * holds; the ones that matter depend on what the line is: a Kubernetes Event is its reason and
 * message (its object's kind and apiVersion are bookkeeping), an HTTP line its verb, URI, status
 * and latency, an etcd slow request what took how long against what it should have, on which key.
 * This is the one table of those priorities; text output (src/output/text.ts) and the TUI's list
 * line (src/tui/format.ts) both read it. The full set stays in `-o json` and the TUI's detail pane.
 */
import type { KEvent } from '../model/event.js';

/** What the table needs of an event: the stored and the streamed event both have it. */
export type FieldedLine = Pick<KEvent, 'component' | 'message' | 'fields' | 'format'>;

export type LineKind = 'event' | 'http' | 'dns-query' | 'etcd-slow' | 'other';

interface Shown {
  /** The field read. */
  field: string;
  /** The name it is shown under (default: the field's). */
  label?: string;
  /** Characters kept of its value (default MAX_FIELD_CHARS): an Event's message is the line's point. */
  chars?: number;
  /** Turns the value into what is shown; undefined hides it. */
  pick?: (v: unknown) => string | undefined;
}

interface KindFields {
  /** Shown first, in this order, when present. */
  first: readonly Shown[];
  /** Never on the one-line view: bookkeeping that crowds out what matters (still in JSON/detail). */
  hide: readonly string[];
  /** Fields shown in all (first + the rest in the line's own order). */
  budget: number;
}

/** The default budget: four fields after the message keep a row readable on a 160-column terminal. */
export const MAX_FIELDS = 4;
export const MAX_FIELD_CHARS = 80;

/** Fields not worth repeating on a one-line view, whatever the line. */
const ALWAYS_HIDDEN = ['continuation', 'logger', 'raw', 'writer'];

/** etcd's `request` is `key:"/registry/..." range_end:...`: the key is the part that says what was slow. */
function etcdKey(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /key:"([^"]*)"/.exec(v);
  return m ? m[1] : v.trim() || undefined;
}

/**
 * The table. Budgets: an Event needs reason, message and object (3) and keeps one more; HTTP needs
 * verb, URI, status, latency (4, the default); a DNS query its type, name, rcode and duration (4);
 * an etcd slow request took, expected, key (3) plus the prefix (read-only range, txn) that says
 * what kind of request it was. None needed more than the default four.
 */
const TABLE: Record<Exclude<LineKind, 'other'>, KindFields> = {
  event: {
    first: [{ field: 'reason' }, { field: 'message', chars: 240 }, { field: 'object' }, { field: 'count' }],
    hide: ['kind', 'apiVersion', 'fieldPath', 'type'],
    budget: MAX_FIELDS,
  },
  http: {
    first: [
      { field: 'verb' },
      { field: 'URI', chars: 160 },
      { field: 'requestURI', chars: 160 },
      { field: 'resp' },
      { field: 'code' },
      { field: 'latency' },
    ],
    hide: ['auditID', 'stage', 'level', 'sourceIPs', 'srcIP', 'audit-ID', 'owners'],
    budget: MAX_FIELDS,
  },
  'dns-query': {
    first: [{ field: 'qtype' }, { field: 'qname', chars: 160 }, { field: 'rcode' }, { field: 'durationMs' }],
    hide: [],
    budget: MAX_FIELDS,
  },
  'etcd-slow': {
    first: [
      { field: 'took' },
      { field: 'expected-duration', label: 'expected' },
      { field: 'request', label: 'key', chars: 160, pick: etcdKey },
      { field: 'prefix' },
    ],
    hide: ['response'],
    budget: MAX_FIELDS,
  },
};

/** What kind of line this is, from its format and the fields its parser found. */
export function lineKind(e: FieldedLine): LineKind {
  const f = e.fields;
  if (e.format === 'k8s-event') return 'event';
  if (e.format === 'audit') return 'http';
  if (e.format === 'coredns') return f.qname !== undefined ? 'dns-query' : 'other';
  if (f.reason !== undefined && f.message !== undefined && (e.message === 'Event occurred' || f.object !== undefined)) return 'event';
  if (f.verb !== undefined && (f.URI !== undefined || f.requestURI !== undefined)) return 'http';
  if (f.took !== undefined && f['expected-duration'] !== undefined) return 'etcd-slow';
  return 'other';
}

/**
 * A value as the row shows it: a string as it is, anything else as JSON. A finite number or a
 * boolean is written as String() writes it, the same characters as JSON.stringify's (a CoreDNS
 * line's duration and size: one call into the JSON serializer per field saved).
 */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  return JSON.stringify(v) ?? String(v);
}

function shortValue(v: unknown, chars: number): string {
  const s = valueText(v);
  return s.length > chars ? s.slice(0, chars - 1) + '…' : s;
}

/** A string value the message already shows in full (so the row need not repeat it). */
export function saidInMessage(message: string, v: unknown): boolean {
  return typeof v === 'string' && v.length >= 3 && message.includes(v);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * Per kind, the fields its second pass skips: those of `first` (shown already, or deliberately
 * not), `hide` and ALWAYS_HIDDEN, as one set built once (keyFields runs once per printed line).
 */
function skippedOf(spec: KindFields): ReadonlySet<string> {
  return new Set([...spec.first.map((s) => s.field), ...spec.hide, ...ALWAYS_HIDDEN]);
}
const SKIPPED: Record<Exclude<LineKind, 'other'>, ReadonlySet<string>> = {
  event: skippedOf(TABLE.event),
  http: skippedOf(TABLE.http),
  'dns-query': skippedOf(TABLE['dns-query']),
  'etcd-slow': skippedOf(TABLE['etcd-slow']),
};

/** "k=v k=v": the fields a one-line view shows for this line, in the order that matters. */
export function keyFields(e: FieldedLine): string {
  const kind = lineKind(e);
  // Built by appending, without a closure or a set per line: this runs once per printed line.
  let out = '';
  let shown = 0;
  if (kind === 'other') {
    // for...in rather than Object.entries: no array of pairs per event.
    for (const k in e.fields) {
      const v = e.fields[k];
      if (ALWAYS_HIDDEN.includes(k) || !present(v)) continue;
      out += (shown++ === 0 ? '' : ' ') + k + '=' + shortValue(v, MAX_FIELD_CHARS);
      if (shown === MAX_FIELDS) break;
    }
    return out;
  }
  const spec = TABLE[kind];
  for (const s of spec.first) {
    if (shown === spec.budget) return out;
    const raw = e.fields[s.field];
    if (!present(raw)) continue;
    // An Event document's message is already "Reason: text": the reason again says nothing.
    if (s.field === 'reason' && typeof raw === 'string' && e.message.startsWith(raw) && e.message.startsWith(': ', raw.length)) continue;
    const v = s.pick ? s.pick(raw) : raw;
    if (v === undefined) continue;
    out += (shown++ === 0 ? '' : ' ') + (s.label ?? s.field) + '=' + shortValue(v, s.chars ?? MAX_FIELD_CHARS);
  }
  const skipped = SKIPPED[kind];
  for (const k in e.fields) {
    if (shown === spec.budget) break;
    const v = e.fields[k];
    if (skipped.has(k) || !present(v)) continue;
    out += (shown++ === 0 ? '' : ' ') + k + '=' + shortValue(v, MAX_FIELD_CHARS);
  }
  return out;
}
