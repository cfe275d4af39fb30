/**
 * Kubernetes Events as kubectl prints them, pasted into an issue or saved to a file:
 *
 * - `kubectl get events` / `kubectl events` (1.26+): `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`,
 *   `NAMESPACE` first with -A, `-o wide` adding SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME; `-w`
 *   streams rows under one header. `kubectl events` writes repeats as `4m (x5 over 10m)`.
 * - `kubectl describe pod|node|...`: the `Events:` section (`Type  Reason  Age  From  Message`)
 *   about the object the description names (`Name:`, `Namespace:`, and the kind from its shape).
 *
 * Each row becomes the Event it shows, written as a one-line JSON Event for the Event payload
 * parser (parsers/payload/k8s-event.ts, the one place that knows what an Event means); the row
 * itself stays the event's raw text. kubectl prints ages, not times: a row's time is the
 * reference time (the file's modification time, or now for a pipe) minus its age.
 */
import type { EnvelopeContext, EnvelopeParser, EnvelopeReader, EnvelopeRecord, Line, SourceHints } from '../types.js';
import { isClusterScopedKind, kindFromResource } from '../payload/k8s-kinds.js';
import { bareRecord, lineRecord, mergeHints, metaRecord } from './records.js';

// This envelope's name, added to EnvelopeName (parsers/types.ts, EnvelopeNames).
declare module '../types.js' {
  interface EnvelopeNames {
    'kubectl-events': true;
  }
}

const TABLE_HEADER = /^(NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+/;
const DESCRIBE_EVENTS_HEADER = /^(\s+)Type\s+Reason\s+Age\s+From\s+Message\s*$/;
const TYPES = new Set(['Normal', 'Warning']);
const UNIT_US: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6, y: 365 * 86_400e6 };

/** kubectl's short duration ("4m22s", "3d1h", "45s"); undefined for `<unknown>`, `<invalid>`. */
export function parseAge(text: string): number | undefined {
  if (!/^(?:\d+[smhdy])+$/.test(text)) return undefined;
  let us = 0;
  for (const m of text.matchAll(/(\d+)([smhdy])/g)) us += Number(m[1]) * UNIT_US[m[2]!]!;
  return us;
}

/** `4m (x5 over 10m)`: the age and the count of a repeated event. */
function ageAndCount(text: string): { age?: number; count?: number } {
  const m = /^(\S+)(?:\s+\(x(\d+) over (\S+)\))?$/.exec(text.trim());
  if (!m) return {};
  const out: { age?: number; count?: number } = {};
  const age = parseAge(m[1]!);
  if (age !== undefined) out.age = age;
  if (m[2]) out.count = Number(m[2]);
  return out;
}

interface Column {
  name: string;
  start: number;
}

/** Column names and where each starts, from a header whose names are separated by 2+ spaces. */
function columnsOf(header: string): Column[] {
  const out: Column[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) out.push({ name: m[0], start: m.index });
  return out;
}

/**
 * A row cut at the header's column starts, when the row lines up with it (a table printed at
 * once); else split at runs of 2+ spaces (a `-w` row printed later, wider or narrower).
 */
function cells(row: string, columns: readonly Column[]): Record<string, string> | undefined {
  const byPosition: Record<string, string> = {};
  let aligned = true;
  columns.forEach((c, i) => {
    const end = i + 1 < columns.length ? columns[i + 1]!.start : row.length;
    // A cell starts at its column: the character before it is a space (or it is the first).
    if (c.start > 0 && c.start < row.length && row[c.start - 1] !== ' ') aligned = false;
    byPosition[c.name] = row.slice(c.start, end).trim();
  });
  if (aligned && TYPES.has(byPosition['TYPE'] ?? '')) return byPosition;
  const parts = row.trim().split(/\s{2,}|\t/);
  if (parts.length < columns.length - 1) return undefined;
  const out: Record<string, string> = {};
  // MESSAGE may hold double spaces: the cells after it are the last ones, the rest is MESSAGE.
  const msgAt = columns.findIndex((c) => c.name === 'MESSAGE');
  const after = columns.length - 1 - msgAt;
  columns.forEach((c, i) => {
    if (i < msgAt) out[c.name] = parts[i] ?? '';
    else if (i > msgAt) out[c.name] = parts[parts.length - (columns.length - i)] ?? '';
  });
  out['MESSAGE'] = parts.slice(msgAt, parts.length - after).join('  ');
  return TYPES.has(out['TYPE'] ?? '') ? out : undefined;
}

interface Row {
  namespace?: string;
  kind: string;
  name: string;
  type: string;
  reason: string;
  message: string;
  source?: string;
  count?: number;
  age?: number;
}

/** The one-line JSON Event a row stands for. */
function eventJson(r: Row, referenceTime: number): string {
  const involved: Record<string, string> = { kind: r.kind, name: r.name };
  if (r.namespace && !isClusterScopedKind(r.kind)) involved.namespace = r.namespace;
  const e: Record<string, unknown> = { kind: 'Event', involvedObject: involved, type: r.type, reason: r.reason, message: r.message };
  if (r.count !== undefined) e.count = r.count;
  if (r.source) e.source = { component: r.source };
  if (r.age !== undefined) e.lastTimestamp = new Date((referenceTime - r.age) / 1000).toISOString();
  return JSON.stringify(e);
}

/** `pod/web-1` (or `Pod/web-1`, or `node/kind-worker`). */
function objectOf(text: string): { kind: string; name: string } | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { kind: kindFromResource(text.slice(0, slash)), name: text.slice(slash + 1) };
}

function tableRow(row: string, columns: readonly Column[]): Row | undefined {
  const c = cells(row, columns);
  if (!c) return undefined;
  const obj = objectOf(c['OBJECT'] ?? '');
  if (!obj || !c['REASON']) return undefined;
  const out: Row = { ...obj, type: c['TYPE']!, reason: c['REASON'], message: c['MESSAGE'] ?? '' };
  if (c['NAMESPACE']) out.namespace = c['NAMESPACE'];
  const seen = ageAndCount(c['LAST SEEN'] ?? '');
  if (seen.age !== undefined) out.age = seen.age;
  const count = c['COUNT'] ? Number(c['COUNT']) : seen.count;
  if (count !== undefined && Number.isFinite(count)) out.count = count;
  if (c['SOURCE']) out.source = c['SOURCE'].split(',')[0]!.trim();
  return out;
}

/** What a `kubectl describe` names, from its `Name:`/`Namespace:` lines and the kind's telltale lines. */
interface Described {
  name?: string;
  namespace?: string;
  kind?: string;
}

/** Top-level keys of a description that only one kind has. */
const KIND_TELLTALES: [RegExp, string][] = [
  [/^(?:Roles|Taints|Unschedulable|Lease|System Info):/, 'Node'],
  [/^(?:Containers|Init Containers|QoS Class|Node):/, 'Pod'],
  [/^Controlled By:\s+Deployment\//, 'ReplicaSet'],
  [/^(?:StrategyType|RollingUpdateStrategy|NewReplicaSet|OldReplicaSets):/, 'Deployment'],
  [/^(?:Update Strategy):/, 'DaemonSet'],
  [/^(?:Volume Claim Templates):/, 'StatefulSet'],
  [/^(?:Endpoints|Session Affinity|TargetPort):/, 'Service'],
];

/** `idx,3,LOG_TIME,2023-08-30T04:47:01,2023-08-29T23:47:01`: the UTC time a snapshot was taken. */
const SNAPSHOT_HEADER = /^idx,\d+,LOG_TIME,(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),/;

class KubectlEventsReader implements EnvelopeReader {
  private readonly place: SourceHints;
  private columns: Column[] | undefined;
  /** In a describe's Events section: the indent of its rows. */
  private describeIndent: number | undefined;
  private describeColumns: Column[] | undefined;
  private described: Described = {};
  /**
   * The capture time of the snapshot being read, when the file is a series of timestamped
   * snapshots (`idx,N,LOG_TIME,<UTC>,<local>` before each `kubectl describe`, as capture scripts
   * write them): its rows' ages count back from it, not from the file's modification time.
   */
  private snapshotTime: number | undefined;

  constructor(private readonly ctx: EnvelopeContext) {
    this.place = mergeHints(ctx.hints, {});
  }

  private record(line: Line, row: Row): EnvelopeRecord {
    const rec = lineRecord(line, 0, undefined, this.place);
    rec.text = eventJson(row, this.snapshotTime ?? this.ctx.referenceTime);
    return rec;
  }

  push(line: Line): EnvelopeRecord[] {
    const text = line.text;
    const snapshot = SNAPSHOT_HEADER.exec(text);
    if (snapshot) {
      const ms = Date.parse(`${snapshot[1]}Z`);
      if (Number.isFinite(ms)) this.snapshotTime = ms * 1000;
      this.described = {};
      this.describeColumns = undefined;
      return [metaRecord(line, this.place)];
    }
    if (TABLE_HEADER.test(text)) {
      this.columns = columnsOf(text);
      this.describeColumns = undefined;
      return [metaRecord(line, this.place)];
    }
    const dh = DESCRIBE_EVENTS_HEADER.exec(text);
    if (dh) {
      this.describeColumns = columnsOf(text);
      this.describeIndent = dh[1]!.length;
      return [metaRecord(line, this.place)];
    }
    if (this.describeColumns) {
      if (/^\s+-{4}/.test(text)) return [metaRecord(line, this.place)];
      const row = this.describeRow(text);
      if (row) return [this.record(line, row)];
      this.describeColumns = undefined;
    }
    if (this.columns) {
      const row = tableRow(text, this.columns);
      if (row) return [this.record(line, row)];
    }
    this.noteDescription(text);
    // Any other line of a description (or between tables) is kubectl's, not a log line: set aside.
    if (this.described.name !== undefined || /^Events:/.test(text)) return [metaRecord(line, this.place)];
    return [bareRecord(line, this.place)];
  }

  /** Follows a description's header: a new `Name:` starts the next object. */
  private noteDescription(text: string): void {
    const name = /^Name:\s+(\S+)\s*$/.exec(text);
    if (name) {
      this.described = { name: name[1]! };
      return;
    }
    if (this.described.name === undefined) return;
    const ns = /^Namespace:\s+(\S+)\s*$/.exec(text);
    if (ns) this.described.namespace = ns[1]!;
    if (this.described.kind === undefined) {
      for (const [re, kind] of KIND_TELLTALES) {
        if (re.test(text)) {
          this.described.kind = kind;
          break;
        }
      }
    }
  }

  private describeRow(text: string): Row | undefined {
    const d = this.described;
    const indent = this.describeIndent ?? 2;
    if (!text.startsWith(' '.repeat(indent)) || d.name === undefined) return undefined;
    const parts = text.trim().split(/\s{2,}/);
    if (parts.length < 4 || !TYPES.has(parts[0]!)) return undefined;
    const [type, reason, age, from, ...rest] = parts as [string, string, string, string, ...string[]];
    const kind = d.kind ?? (d.namespace ? 'Pod' : 'Node');
    const row: Row = { kind, name: d.name, type, reason, message: rest.join('  '), source: from.split(',')[0]!.trim() };
    if (d.namespace) row.namespace = d.namespace;
    const seen = ageAndCount(age);
    if (seen.age !== undefined) row.age = seen.age;
    if (seen.count !== undefined) row.count = seen.count;
    return row;
  }

  end(): EnvelopeRecord[] {
    return [];
  }
}

export const kubectlEventsEnvelope: EnvelopeParser = {
  name: 'kubectl-events',
  /** Headers are strong evidence: each counts for many lines (a sample may hold one header and rows). */
  score(sample: string[]): number {
    let n = 0;
    for (const line of sample) {
      if (TABLE_HEADER.test(line) || DESCRIBE_EVENTS_HEADER.test(line)) n += 50;
      else if (/^Name:\s+\S+\s*$/.test(line)) n += 2;
    }
    return n;
  },
  create: (ctx) => new KubectlEventsReader(ctx),
};
