/**
 * The ClickHouse backend's event queries (EventQueries in store.ts), the sibling of
 * src/store/reader.ts: the same questions over the same (time, id) order, with keyset paging and
 * filters compiled from the query AST (compile.ts).
 */
import type { ObjectRef } from '../../model/event.js';
import type { SqlFilter } from '../../query/compile-sql.js';
import { eventFromRow, toRef, type EventRow, type RefRow } from '../reader.js';
import type { ByIdsOptions, ComponentBucketCount, ComponentSeverityCount, EventLocation, EventQueries } from '../store.js';
import type { HistogramBucket, HistogramOptions, PageOptions, Position, StoredEvent } from '../store.js';
import { whereOf } from './compile.js';
import type { ChContext } from './context.js';
import { inSlices, lit, litList } from './escape.js';

const COLUMNS =
  'id, cluster, time, component, host, severity, verbosity, caller, message, fields, format, source_format, source_id, line, end_line, time_inferred, envelope_time, raw, truncated';

/** (time, id) strictly after / before a position, without tuple comparison (portable SQL). */
const after = (p: Position): string => `(time > ${lit(p.time)} OR (time = ${lit(p.time)} AND id > ${lit(p.id)}))`;
const before = (p: Position): string => `(time < ${lit(p.time)} OR (time = ${lit(p.time)} AND id < ${lit(p.id)}))`;

export class ChEvents implements EventQueries {
  private displays = new Map<number, { display: string; envelope: string | null }>();

  constructor(private readonly ctx: ChContext) {}

  private where(filter?: SqlFilter, ...more: string[]): string {
    return [this.ctx.scope('events'), whereOf(filter), ...more].join(' AND ');
  }

  private select(where: string, tail: string): EventRow[] {
    return this.ctx.rows<EventRow>(`SELECT ${COLUMNS} FROM events WHERE ${where} ${tail}`);
  }

  private sourceOf(id: number): { display: string; envelope: string | null } {
    let s = this.displays.get(id);
    if (!s) {
      const rows = this.ctx.rows<{ id: number; display: string; envelope: string | null }>(
        `SELECT id, display, envelope FROM sources WHERE ${this.ctx.sourcesScope()}`,
      );
      this.displays = new Map(rows.map((r) => [r.id, { display: r.display, envelope: r.envelope }]));
      s = this.displays.get(id) ?? { display: '?', envelope: null };
    }
    return s;
  }

  private refsFor(ids: number[]): Map<number, ObjectRef[]> {
    const out = new Map<number, ObjectRef[]>();
    if (ids.length === 0) return out;
    const rows = inSlices(ids).flatMap((slice) =>
      this.ctx.rows<RefRow>(`SELECT event_id, kind, namespace, name, uid, via, key FROM event_refs WHERE event_id IN ${litList(slice)} ORDER BY event_id, ord`),
    );
    for (const r of rows) {
      const list = out.get(r.event_id);
      if (list) list.push(toRef(r));
      else out.set(r.event_id, [toRef(r)]);
    }
    return out;
  }

  private toEvents(rows: EventRow[], withRefs = true): StoredEvent[] {
    const refs = withRefs ? this.refsFor(rows.map((r) => r.id)) : new Map<number, ObjectRef[]>();
    return rows.map((r) => eventFromRow(r, this.sourceOf(r.source_id), refs.get(r.id) ?? []));
  }

  count(filter?: SqlFilter): number {
    return this.ctx.value<number>(`SELECT count() FROM events WHERE ${this.where(filter)}`) ?? 0;
  }

  countBefore(position: Position, filter?: SqlFilter): number {
    return this.ctx.value<number>(`SELECT count() FROM events WHERE ${this.where(filter, before(position))}`) ?? 0;
  }

  page(opts: PageOptions): StoredEvent[] {
    const limit = Math.max(0, Math.floor(opts.limit));
    if (opts.before) {
      const rows = this.select(this.where(opts.filter, before(opts.before)), `ORDER BY time DESC, id DESC LIMIT ${limit}`);
      return this.toEvents(rows.reverse());
    }
    const where = opts.after ? this.where(opts.filter, after(opts.after)) : this.where(opts.filter);
    return this.toEvents(this.select(where, `ORDER BY time, id LIMIT ${limit}`));
  }

  byIds(ids: readonly number[], opts: ByIdsOptions = {}): StoredEvent[] {
    const byId = new Map<number, StoredEvent>();
    for (const slice of inSlices(ids)) {
      const rows = this.select(this.where(undefined, `id IN ${litList(slice)}`), '');
      for (const e of this.toEvents(rows, opts.refs !== false)) byId.set(e.id, e);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  ids(filter?: SqlFilter): number[] {
    return this.ctx.rows<{ id: number }>(`SELECT id FROM events WHERE ${this.where(filter)} ORDER BY time, id`).map((r) => r.id);
  }

  timeRange(filter?: SqlFilter): { from: number; to: number } | undefined {
    const row = this.ctx.rows<{ n: number; lo: number; hi: number }>(
      `SELECT count() AS n, min(time) AS lo, max(time) AS hi FROM events WHERE ${this.where(filter)}`,
    )[0];
    return !row || row.n === 0 ? undefined : { from: row.lo, to: row.hi };
  }

  histogram(opts: HistogramOptions): HistogramBucket[] {
    const n = Math.max(1, Math.floor(opts.buckets));
    const width = Math.max(1, Math.ceil((opts.to - opts.from) / n));
    const counts = Array.from({ length: n }, (): HistogramBucket['counts'] => [0, 0, 0, 0, 0]);
    if (opts.to > opts.from) {
      const rows = this.ctx.rows<{ b: number; s: number; n: number }>(
        `SELECT intDiv(time - ${lit(opts.from)}, ${lit(width)}) AS b, severity AS s, count() AS n FROM events
         WHERE ${this.where(opts.filter, `time >= ${lit(opts.from)}`, `time < ${lit(opts.to)}`)} GROUP BY b, s`,
      );
      for (const { b, s, n: events } of rows) if (counts[b] && s >= 0 && s <= 4) counts[b][s as 0] += events;
    }
    return counts.map((c, i) => ({ start: opts.from + i * width, end: Math.min(opts.to, opts.from + (i + 1) * width), counts: c }));
  }

  countsByComponent(): ComponentSeverityCount[] {
    return this.ctx.rows<ComponentSeverityCount>(
      `SELECT component, severity, count() AS events FROM events WHERE ${this.where()} GROUP BY component, severity`,
    );
  }

  countsByComponentBucket(from: number, width: number, buckets: number, warnRank: number): ComponentBucketCount[] {
    const rows = this.ctx.rows<Omit<ComponentBucketCount, 'warn'> & { warn: number }>(
      `SELECT component, least(intDiv(time - ${lit(from)}, ${lit(width)}), ${lit(buckets - 1)}) AS bucket,
              severity >= ${lit(warnRank)} AS warn, count() AS events
       FROM events WHERE ${this.where(undefined, `time >= ${lit(from)}`)} GROUP BY component, bucket, warn`,
    );
    return rows.map((r) => ({ ...r, warn: r.warn === 1 }));
  }

  idsAtLeast(minSeverity: number, limit: number): number[] {
    return this.ctx
      .rows<{ id: number }>(`SELECT id FROM events WHERE ${this.where(undefined, `severity >= ${lit(minSeverity)}`, 'time > 0')} ORDER BY time, id LIMIT ${lit(Math.floor(limit))}`)
      .map((r) => r.id);
  }

  sampleIds(step: number, limit: number): number[] {
    const s = Math.max(1, Math.floor(step));
    return this.ctx
      .rows<{ id: number }>(`SELECT id FROM events WHERE ${this.where(undefined, 'time > 0', `id % ${lit(s)} = 0`)} ORDER BY time, id LIMIT ${lit(Math.floor(limit))}`)
      .map((r) => r.id);
  }

  newestId(): number {
    return this.ctx.value<number>(`SELECT max(id) FROM events WHERE ${this.where()}`) ?? 0;
  }

  *locations(): Generator<EventLocation> {
    const rows = this.ctx.rows<Omit<EventLocation, 'file'> & { source_id: number }>(
      `SELECT id, source_id, line, end_line AS endLine, component FROM events WHERE ${this.where()}`,
    );
    const located = rows.map(({ source_id, ...r }) => ({ ...r, file: this.sourceOf(source_id).display }));
    located.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    yield* located;
  }

  *rawOfSources(suffixes: readonly string[]): Generator<{ id: number; file: string; raw: string }> {
    const sources = this.ctx
      .rows<{ id: number; display: string }>(`SELECT id, display FROM sources WHERE ${this.ctx.sourcesScope()}`)
      .filter((s) => suffixes.some((x) => s.display.endsWith(x)));
    if (sources.length === 0) return;
    const names = new Map(sources.map((s) => [s.id, s.display]));
    for (const slice of inSlices([...names.keys()])) {
      const rows = this.ctx.rows<{ id: number; source_id: number; raw: string }>(
        `SELECT id, source_id, raw FROM events WHERE ${this.where(undefined, `source_id IN ${litList(slice)}`)}`,
      );
      for (const r of rows) yield { id: r.id, file: names.get(r.source_id)!, raw: r.raw };
    }
  }
}
