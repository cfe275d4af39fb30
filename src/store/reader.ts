/**
 * Read helpers for the TUI and the CLI. Lists are virtualized: a view asks for the page of rows
 * just after (or before) a position, a position being the (time, id) of an event, so reading
 * cost follows what is visible and never the store's size (no OFFSET). Filters are compiled
 * queries (src/query/compile-sql.ts).
 */
import type Database from 'better-sqlite3';
import { SEVERITIES, type KEvent, type ObjectRef, type PayloadFormat, type RefVia, type TimeInferred } from '../model/event.js';
import type { SqlFilter } from '../query/compile-sql.js';
import type { Store } from './connection.js';

/** Where an event sits in the (time, id) order. */
export interface Position {
  time: number;
  id: number;
}

/** An event read back from the store: the KEvent, with its id (also its seq) and its source row. */
export interface StoredEvent extends KEvent {
  id: number;
  sourceId: number;
}

export interface PageOptions {
  filter?: SqlFilter;
  /** Events strictly after this position (ascending). */
  after?: Position;
  /** Events strictly before this position: the `limit` closest ones, still returned ascending. */
  before?: Position;
  limit: number;
}

export interface HistogramBucket {
  /** Epoch microseconds, inclusive. */
  start: number;
  /** Epoch microseconds, exclusive. */
  end: number;
  /** Event counts by severity rank: [debug, info, warn, error, fatal]. */
  counts: [number, number, number, number, number];
}

export interface HistogramOptions {
  from: number;
  /** Exclusive. */
  to: number;
  buckets: number;
  filter?: SqlFilter;
}

export interface LinkedObject {
  id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  via: string;
  confidence: number;
}

export interface SourceRow {
  id: number;
  path: string;
  display: string;
  size: number | null;
  mtime: number | null;
  fingerprint: string | null;
  envelope: string | null;
  complete: boolean;
  stats: unknown;
}

interface EventRow {
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
}

interface RefRow {
  event_id: number;
  kind: string;
  namespace: string | null;
  name: string | null;
  uid: string | null;
  via: string;
  key: string | null;
}

const EVENT_COLUMNS =
  'events.id, events.time, events.component, events.host, events.severity, events.verbosity, events.caller, ' +
  'events.message, events.fields, events.format, events.source_format, events.source_id, events.line, ' +
  'events.end_line, events.time_inferred, events.envelope_time, events.raw, events.truncated';

const NO_FILTER: SqlFilter = { where: '1', params: [] };

function toRef(r: RefRow): ObjectRef {
  const ref: ObjectRef = { kind: r.kind, via: r.via as RefVia };
  if (r.namespace !== null) ref.namespace = r.namespace;
  if (r.name !== null) ref.name = r.name;
  if (r.uid !== null) ref.uid = r.uid;
  if (r.key !== null) ref.key = r.key;
  return ref;
}

/**
 * FTS5 query text from what a user typed: every word becomes a quoted phrase (so operators and
 * punctuation in the input are never FTS syntax), a trailing * keeps a prefix search.
 */
export function ftsQuery(words: string): string {
  return words
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => {
      const prefix = w.endsWith('*');
      const body = prefix ? w.slice(0, -1) : w;
      return `"${body.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
    })
    .join(' ');
}

export class StoreReader {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private displays = new Map<number, { display: string; envelope: string | null }>();

  constructor(store: Store) {
    this.db = store.db;
  }

  /** Prepared statements, cached by text (filters repeat as the user scrolls). */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size >= 200) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
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

  private toEvents(rows: EventRow[]): StoredEvent[] {
    const refs = this.refsFor(rows.map((r) => r.id));
    return rows.map((r) => {
      const src = this.sourceOf(r.source_id);
      const e: StoredEvent = {
        id: r.id,
        seq: r.id,
        sourceId: r.source_id,
        time: r.time,
        component: r.component as KEvent['component'],
        severity: SEVERITIES[r.severity] ?? 'info',
        message: r.message,
        fields: r.fields === null ? {} : (JSON.parse(r.fields) as Record<string, unknown>),
        objects: refs.get(r.id) ?? [],
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
    });
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
  count(filter: SqlFilter = NO_FILTER): number {
    return this.stmt(`SELECT count(*) FROM events WHERE ${filter.where}`).pluck().get(...filter.params) as number;
  }

  /** How many (filtered) events come before a position: where a scrollbar's thumb goes. */
  countBefore(position: Position, filter: SqlFilter = NO_FILTER): number {
    return this.stmt(`SELECT count(*) FROM events WHERE (events.time, events.id) < (?, ?) AND ${filter.where}`)
      .pluck()
      .get(position.time, position.id, ...filter.params) as number;
  }

  /**
   * A page of events in (time, id) order: the first `limit` after `after` (from the start when
   * absent), or the last `limit` before `before` (pass END for the last page).
   */
  page(opts: PageOptions): StoredEvent[] {
    const filter = opts.filter ?? NO_FILTER;
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
  eventsByIds(ids: readonly number[]): StoredEvent[] {
    const byId = new Map<number, StoredEvent>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = this.stmt(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE events.id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(ids.slice(i, i + 5000))) as EventRow[];
      for (const e of this.toEvents(rows)) byId.set(e.id, e);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Ids of all (filtered) events in (time, id) order; for tests and exports of modest size. */
  ids(filter: SqlFilter = NO_FILTER): number[] {
    return this.stmt(`SELECT events.id FROM events WHERE ${filter.where} ORDER BY events.time, events.id`)
      .pluck()
      .all(...filter.params) as number[];
  }

  /** First and last event time, optionally filtered; undefined when nothing matches. */
  timeRange(filter: SqlFilter = NO_FILTER): { from: number; to: number } | undefined {
    const row = this.stmt(`SELECT min(events.time) AS lo, max(events.time) AS hi FROM events WHERE ${filter.where}`).get(
      ...filter.params,
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
    const filter = opts.filter ?? NO_FILTER;
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

  /** The object references of an event, as the parsers found them. */
  refsOf(eventId: number): ObjectRef[] {
    return this.refsFor([eventId]).get(eventId) ?? [];
  }

  /** The objects the correlator linked an event to (empty before correlation). */
  objectsOf(eventId: number): LinkedObject[] {
    return this.stmt(
      `SELECT o.id, o.uid, o.kind, o.namespace, o.name, eo.via, eo.confidence
       FROM event_objects eo JOIN objects o ON o.id = eo.object_id
       WHERE eo.event_id = ? ORDER BY eo.confidence DESC, o.id`,
    ).all(eventId) as LinkedObject[];
  }

  /**
   * Word search over messages with the FTS index (every word must appear; "word*" is a prefix),
   * in (time, id) order. Line filters (|= "text") are substring matches over message and raw
   * and do not use this index.
   */
  searchMessages(words: string, opts: { limit: number; filter?: SqlFilter; after?: Position }): StoredEvent[] {
    const match = ftsQuery(words);
    if (match === '') return [];
    const filter = opts.filter ?? NO_FILTER;
    const after = opts.after ?? START;
    const rows = this.stmt(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE events.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)
         AND (events.time, events.id) > (?, ?) AND ${filter.where}
       ORDER BY events.time, events.id LIMIT ?`,
    ).all(match, after.time, after.id, ...filter.params, Math.max(0, Math.floor(opts.limit))) as EventRow[];
    return this.toEvents(rows);
  }

  sources(): SourceRow[] {
    const rows = this.stmt(
      `SELECT id, path, display, size, mtime, fingerprint, envelope, complete, stats FROM sources ORDER BY id`,
    ).all() as (Omit<SourceRow, 'complete' | 'stats'> & { complete: number; stats: string | null })[];
    return rows.map((r) => ({ ...r, complete: r.complete === 1, stats: r.stats === null ? null : JSON.parse(r.stats) }));
  }
}

/** Before every event, and after every event: the ends of the (time, id) order. */
export const START: Position = { time: Number.MIN_SAFE_INTEGER, id: 0 };
export const END: Position = { time: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
