/**
 * The SQLite backend's event queries (EventQueries in store.ts). Lists are virtualized: a view
 * asks for the page of rows just after (or before) a position, a position being the (time, id)
 * of an event, so reading cost follows what is visible and never the store's size (no OFFSET).
 * Filters are compiled queries (src/query/compile-sql.ts).
 */
import type Database from 'better-sqlite3';
import { SEVERITIES, type KEvent, type ObjectRef, type PayloadFormat, type RefVia, type TimeInferred } from '../model/event.js';
import type { SqlFilter } from '../query/compile-sql.js';
import type { CorrelationRefRow } from './correlation.js';
import { ClusterScope } from './cluster-scope.js';
import { StatementCache } from './statements.js';
import type {
  ByIdsOptions,
  EventLocation,
  ComponentBucketCount,
  ComponentSeverityCount,
  EventQueries,
  HistogramBucket,
  HistogramOptions,
  PageOptions,
  Position,
  StoredEvent,
} from './store.js';

export type { HistogramBucket, HistogramOptions, PageOptions, Position, StoredEvent } from './store.js';

/** An events row as both backends read it (the ClickHouse backend too: clickhouse/events.ts). */
export interface EventRow {
  id: number;
  time: number;
  component: string;
  host: string | null;
  severity: number;
  verbosity: number | null;
  caller: string | null;
  message: string;
  fields: string | null;
  format: string;
  source_format: string | null;
  source_id: number;
  line: number;
  end_line: number;
  time_inferred: string | null;
  envelope_time: number | null;
  raw: string;
  truncated: number;
  cluster: string;
}

export type RefRow = Pick<CorrelationRefRow, 'event_id' | 'kind' | 'namespace' | 'name' | 'uid' | 'via' | 'key'>;

const EVENT_COLUMNS =
  'events.id, events.time, events.component, events.host, events.severity, events.verbosity, events.caller, ' +
  'events.message, events.fields, events.format, events.source_format, events.source_id, events.line, ' +
  'events.end_line, events.time_inferred, events.envelope_time, events.raw, events.truncated, events.cluster';

export function toRef(r: RefRow): ObjectRef {
  const ref: ObjectRef = { kind: r.kind, via: r.via as RefVia };
  if (r.namespace !== null) ref.namespace = r.namespace;
  if (r.name !== null) ref.name = r.name;
  if (r.uid !== null) ref.uid = r.uid;
  if (r.key !== null) ref.key = r.key;
  return ref;
}

/** A StoredEvent from its row, its source's display name and envelope, and its references. */
export function eventFromRow(r: EventRow, src: { display: string; envelope: string | null }, objects: ObjectRef[]): StoredEvent {
  const e: StoredEvent = {
    id: r.id,
    seq: r.id,
    sourceId: r.source_id,
    cluster: r.cluster,
    time: r.time,
    component: r.component as KEvent['component'],
    severity: SEVERITIES[r.severity] ?? 'info',
    message: r.message,
    fields: r.fields === null ? {} : (JSON.parse(r.fields) as Record<string, unknown>),
    objects,
    source: {
      file: src.display,
      line: r.line,
      endLine: r.end_line,
      format: r.source_format ?? `${src.envelope ?? 'none'}/${r.format}`,
    },
    raw: r.raw,
    format: r.format as PayloadFormat,
  };
  if (r.time_inferred !== null) e.timeInferred = r.time_inferred as TimeInferred;
  if (r.envelope_time !== null) e.envelopeTime = r.envelope_time;
  if (r.host !== null) e.host = r.host;
  if (r.verbosity !== null) e.verbosity = r.verbosity;
  if (r.caller !== null) e.caller = r.caller;
  if (r.truncated) e.truncated = true;
  return e;
}

export class StoreReader implements EventQueries {
  private readonly stmt: (sql: string) => Database.Statement;
  private displays = new Map<number, { display: string; envelope: string | null }>();

  /**
   * `scope`: the cluster every read is limited to (cluster-scope.ts); each query's filter goes
   * through scope.filter, and the queries without one use scope.on and scope.params.
   */
  private readonly db: Database.Database;

  constructor(
    store: { db: Database.Database },
    private readonly scope: ClusterScope = ClusterScope.ALL,
  ) {
    this.db = store.db;
    // Filters repeat as the user scrolls: statements are cached by text.
    const cache = new StatementCache(store.db);
    this.stmt = (sql) => cache.get(sql);
  }

  private sourceOf(id: number): { display: string; envelope: string | null } {
    let s = this.displays.get(id);
    if (!s) {
      const rows = this.stmt(`SELECT id, display, envelope FROM sources`).all() as {
        id: number;
        display: string;
        envelope: string | null;
      }[];
      this.displays = new Map(rows.map((r) => [r.id, { display: r.display, envelope: r.envelope }]));
      s = this.displays.get(id) ?? { display: '?', envelope: null };
    }
    return s;
  }

  private toEvents(rows: EventRow[], withRefs = true): StoredEvent[] {
    const refs = withRefs ? this.refsFor(rows.map((r) => r.id)) : new Map<number, ObjectRef[]>();
    return rows.map((r) => eventFromRow(r, this.sourceOf(r.source_id), refs.get(r.id) ?? []));
  }

  private refsFor(ids: number[]): Map<number, ObjectRef[]> {
    const out = new Map<number, ObjectRef[]>();
    if (ids.length === 0) return out;
    const rows = this.stmt(
      `SELECT event_id, kind, namespace, name, uid, via, key FROM event_refs
       WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, ord`,
    ).all(JSON.stringify(ids)) as RefRow[];
    for (const r of rows) {
      let list = out.get(r.event_id);
      if (!list) out.set(r.event_id, (list = []));
      list.push(toRef(r));
    }
    return out;
  }

  /** Number of events, optionally filtered. */
  count(filter?: SqlFilter): number {
    const f = this.scope.filter(filter);
    return this.stmt(`SELECT count(*) FROM events WHERE ${f.where}`).pluck().get(...f.params) as number;
  }

  /** How many (filtered) events come before a position: where a scrollbar's thumb goes. */
  countBefore(position: Position, filter?: SqlFilter): number {
    const f = this.scope.filter(filter);
    return this.stmt(`SELECT count(*) FROM events WHERE (events.time, events.id) < (?, ?) AND ${f.where}`)
      .pluck()
      .get(position.time, position.id, ...f.params) as number;
  }

  /**
   * A page of events in (time, id) order: the first `limit` after `after` (from the start when
   * absent), or the last `limit` before `before` (pass END for the last page).
   */
  page(opts: PageOptions): StoredEvent[] {
    const filter = this.scope.filter(opts.filter);
    const limit = Math.max(0, Math.floor(opts.limit));
    if (opts.before) {
      const rows = this.stmt(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE (events.time, events.id) < (?, ?) AND ${filter.where}
         ORDER BY events.time DESC, events.id DESC LIMIT ?`,
      ).all(opts.before.time, opts.before.id, ...filter.params, limit) as EventRow[];
      return this.toEvents(rows.reverse());
    }
    const after = opts.after ?? START;
    const rows = this.stmt(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE (events.time, events.id) > (?, ?) AND ${filter.where}
       ORDER BY events.time, events.id LIMIT ?`,
    ).all(after.time, after.id, ...filter.params, limit) as EventRow[];
    return this.toEvents(rows);
  }

  /** Events by id, in the order asked (unknown ids are left out). */
  byIds(ids: readonly number[], opts: ByIdsOptions = {}): StoredEvent[] {
    const byId = new Map<number, StoredEvent>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = this.stmt(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE events.id IN (SELECT value FROM json_each(?)) AND ${this.scope.on('events')}`,
      ).all(JSON.stringify(ids.slice(i, i + 5000)), this.scope.params) as EventRow[];
      for (const e of this.toEvents(rows, opts.refs !== false)) byId.set(e.id, e);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Ids of all (filtered) events in (time, id) order; for tests and exports of modest size. */
  ids(filter?: SqlFilter): number[] {
    const f = this.scope.filter(filter);
    return this.stmt(`SELECT events.id FROM events WHERE ${f.where} ORDER BY events.time, events.id`)
      .pluck()
      .all(...f.params) as number[];
  }

  /** First and last event time, optionally filtered; undefined when nothing matches. */
  timeRange(filter?: SqlFilter): { from: number; to: number } | undefined {
    const f = this.scope.filter(filter);
    const row = this.stmt(`SELECT min(events.time) AS lo, max(events.time) AS hi FROM events WHERE ${f.where}`).get(
      ...f.params,
    ) as { lo: number | null; hi: number | null };
    return row.lo === null || row.hi === null ? undefined : { from: row.lo, to: row.hi };
  }

  /** Counts by severity in `buckets` equal slices of [from, to). */
  histogram(opts: HistogramOptions): HistogramBucket[] {
    const buckets = Math.max(1, Math.floor(opts.buckets));
    const width = Math.max(1, Math.ceil((opts.to - opts.from) / buckets));
    // better-sqlite3 binds numbers as REAL: the division is a real one, truncated by the CAST
    // (exact: times stay far below 2^53).
    const out: HistogramBucket[] = [];
    for (let i = 0; i < buckets; i++) {
      out.push({ start: opts.from + i * width, end: Math.min(opts.to, opts.from + (i + 1) * width), counts: [0, 0, 0, 0, 0] });
    }
    if (opts.to <= opts.from) return out;
    if (!opts.filter) {
      // Without a filter, one count per severity and slice over the (severity, time) index: it
      // reads only index entries and is about fifteen times faster on a million events than the
      // grouped scan below (which handles any filter).
      const count = this.stmt(
        `SELECT count(*) FROM events WHERE severity = ? AND time >= ? AND time < ? AND ${this.scope.on('events')}`,
      ).pluck();
      for (const bucket of out) {
        if (bucket.start >= bucket.end) continue;
        for (let s = 0; s < SEVERITIES.length; s++) {
          bucket.counts[s as 0] = count.get(s, bucket.start, bucket.end, this.scope.params) as number;
        }
      }
      return out;
    }
    const filter = this.scope.filter(opts.filter);
    const rows = this.stmt(
      `SELECT CAST((events.time - ?) / ? AS INTEGER) AS b, events.severity AS s, count(*) AS n FROM events
       WHERE events.time >= ? AND events.time < ? AND ${filter.where} GROUP BY b, s`,
    ).all(opts.from, width, opts.from, opts.to, ...filter.params) as { b: number; s: number; n: number }[];
    for (const r of rows) {
      const bucket = out[r.b];
      if (bucket && r.s >= 0 && r.s <= 4) bucket.counts[r.s as 0 | 1 | 2 | 3 | 4] += r.n;
    }
    return out;
  }

  countsByComponent(): ComponentSeverityCount[] {
    return this.stmt(
      `SELECT component, severity, count(*) AS events FROM events WHERE ${this.scope.on('events')} GROUP BY component, severity`,
    ).all(this.scope.params) as ComponentSeverityCount[];
  }

  countsByComponentBucket(from: number, width: number, buckets: number, warnRank: number): ComponentBucketCount[] {
    const rows = this.stmt(
      `SELECT component, MIN(CAST((time - ?) / ? AS INTEGER), ?) AS bucket, severity >= ? AS warn, count(*) AS events
       FROM events WHERE time >= ? AND ${this.scope.on('events')} GROUP BY component, bucket, warn`,
    ).all(from, width, buckets - 1, warnRank, from, this.scope.params) as (Omit<ComponentBucketCount, 'warn'> & { warn: number })[];
    return rows.map((r) => ({ ...r, warn: r.warn === 1 }));
  }

  idsAtLeast(minSeverity: number, limit: number): number[] {
    return this.stmt(`SELECT id FROM events WHERE severity >= ? AND time > 0 AND ${this.scope.on('events')} ORDER BY time, id LIMIT ?`)
      .pluck()
      .all(minSeverity, limit, this.scope.params) as number[];
  }

  sampleIds(step: number, limit: number): number[] {
    return this.stmt(`SELECT id FROM events WHERE time > 0 AND (id % ?) = 0 AND ${this.scope.on('events')} ORDER BY time, id LIMIT ?`)
      .pluck()
      .all(Math.max(1, Math.floor(step)), limit, this.scope.params) as number[];
  }

  *locations(): Generator<EventLocation> {
    yield* this.stmt(
      `SELECT e.id, s.display AS file, e.line, e.end_line AS endLine, e.component FROM events e
       JOIN sources s ON s.id = e.source_id WHERE ${this.scope.on('e')} ORDER BY s.display, e.line`,
    ).iterate(this.scope.params) as IterableIterator<EventLocation>;
  }

  *rawOfSources(suffixes: readonly string[]): Generator<{ id: number; file: string; raw: string }> {
    const names = JSON.stringify(suffixes);
    yield* this.stmt(
      `SELECT e.id, s.display AS file, e.raw FROM events e JOIN sources s ON s.id = e.source_id
       WHERE EXISTS (SELECT 1 FROM json_each(?) j WHERE substr(s.display, -length(j.value)) = j.value)
         AND ${this.scope.on('e')}`,
    ).iterate(names, this.scope.params) as IterableIterator<{ id: number; file: string; raw: string }>;
  }

  newestId(): number {
    const sql = `SELECT max(id) FROM events WHERE ${this.scope.on('events')}`;
    return (this.stmt(sql).pluck().get(this.scope.params) as number | null) ?? 0;
  }
}

/** Before every event, and after every event: the ends of the (time, id) order. */
export const START: Position = { time: Number.MIN_SAFE_INTEGER, id: 0 };
export const END: Position = { time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
