/**
 * ktrail's tables in ClickHouse. The same tables as the SQLite store (src/store/schema.ts), with
 * what a shared, many-cluster store needs:
 * - `cluster` on every row (one store holds many Kubernetes clusters; every read names one or
 *   all) and `run`, the ingest that wrote the row: a run becomes visible only when its `sources`
 *   rows exist, and those are written last (see copy.ts), so a killed ingest leaves nothing
 *   half-visible.
 * - MergeTree tables ordered for the hot questions: events by (cluster, time, id); links by
 *   (cluster, object_id) with the event's time beside them (an object's timeline needs no join);
 *   objects by (cluster, uid); incidents by (cluster, start_time). Big tables are partitioned by
 *   day of event time, so retention drops whole partitions.
 * - Event fields are also kept as parallel arrays (keys, texts, numbers, durations), computed by
 *   the same JavaScript the query predicate uses (src/query/values.ts): 18.16 has no JSON
 *   functions that read one top-level key reliably, and the arrays make `| took > 100ms` exact
 *   on every release.
 *
 * Only SQL that runs on 18.16 and on current releases: no DateTime64 (times are Int64 epoch
 * microseconds, as in SQLite), no LowCardinality, no Nullable columns in sort keys, no query
 * parameters. TTL needs 19.6 or later (`?ttl=DAYS`; refused with a message on older servers).
 *
 * With a ClickHouse cluster (`?cluster=NAME`), each table is `<name>_local` on every shard host
 * (created over HTTP on each host, so no ZooKeeper is needed) and `<name>` is a Distributed table
 * over them, sharded by run: an ingest run, and so every source, stays on one shard.
 */
import { ident, lit } from './escape.js';

export interface TableDef {
  name: string;
  columns: [string, string][];
  orderBy: string;
  /** Partition expression (by day), when the table grows with the events. */
  partitionBy?: string;
  /** The time column that TTL counts from. */
  ttlColumn?: string;
}

const dayOf = (col: string): string => `toDate(toDateTime(intDiv(greatest(${col}, 0), 1000000)))`;

const base: [string, string][] = [
  ['cluster', 'String'],
  ['run', 'UInt64'],
];

export const TABLES: readonly TableDef[] = [
  {
    name: 'sources',
    columns: [
      ...base,
      ['id', 'Int64'],
      ['path', 'String'],
      ['display', 'String'],
      ['size', 'Nullable(Int64)'],
      ['mtime', 'Nullable(Int64)'],
      ['fingerprint', 'String'],
      ['envelope', 'Nullable(String)'],
      ['stats', 'String'],
      ['ingested_at', 'Int64'],
    ],
    orderBy: '(cluster, id)',
  },
  {
    name: 'events',
    columns: [
      ...base,
      ['id', 'Int64'],
      ['time', 'Int64'],
      ['component', 'String'],
      ['host', 'Nullable(String)'],
      ['severity', 'UInt8'],
      ['verbosity', 'Nullable(Int64)'],
      ['caller', 'Nullable(String)'],
      ['message', 'String'],
      ['fields', 'Nullable(String)'],
      ['field_keys', 'Array(String)'],
      ['field_texts', 'Array(String)'],
      ['number_keys', 'Array(String)'],
      ['number_values', 'Array(Float64)'],
      ['duration_keys', 'Array(String)'],
      ['duration_values', 'Array(Float64)'],
      ['format', 'String'],
      ['source_format', 'Nullable(String)'],
      ['source_id', 'Int64'],
      ['line', 'Int64'],
      ['end_line', 'Int64'],
      ['time_inferred', 'Nullable(String)'],
      ['envelope_time', 'Nullable(Int64)'],
      ['raw', 'String'],
      ['truncated', 'UInt8'],
    ],
    orderBy: '(cluster, time, id)',
    partitionBy: dayOf('time'),
    ttlColumn: 'time',
  },
  {
    name: 'event_refs',
    columns: [
      ...base,
      ['event_id', 'Int64'],
      ['time', 'Int64'],
      ['ord', 'UInt32'],
      ['kind', 'String'],
      ['namespace', 'Nullable(String)'],
      ['name', 'Nullable(String)'],
      ['uid', 'Nullable(String)'],
      ['via', 'String'],
      ['key', 'Nullable(String)'],
    ],
    orderBy: '(cluster, event_id, ord)',
    partitionBy: dayOf('time'),
    ttlColumn: 'time',
  },
  {
    name: 'objects',
    columns: [
      ...base,
      ['id', 'Int64'],
      ['uid', 'Nullable(String)'],
      ['kind', 'String'],
      ['namespace', 'Nullable(String)'],
      ['name', 'Nullable(String)'],
      ['first_seen', 'Nullable(Int64)'],
      ['last_seen', 'Nullable(Int64)'],
      ['deleted', 'Nullable(Int64)'],
    ],
    orderBy: "(cluster, ifNull(uid, ''), id)",
  },
  {
    name: 'event_objects',
    columns: [
      ...base,
      ['event_id', 'Int64'],
      ['object_id', 'Int64'],
      ['time', 'Int64'],
      ['via', 'String'],
      ['confidence', 'Float64'],
    ],
    orderBy: '(cluster, object_id, time, event_id)',
    partitionBy: dayOf('time'),
    ttlColumn: 'time',
  },
  {
    name: 'owners',
    columns: [...base, ['owner_id', 'Int64'], ['owned_id', 'Int64'], ['via', 'String'], ['confidence', 'Float64']],
    orderBy: '(cluster, owner_id, owned_id)',
  },
  {
    name: 'incidents',
    columns: [
      ...base,
      ['id', 'Int64'],
      ['kind', 'String'],
      ['severity', 'UInt8'],
      ['start_time', 'Int64'],
      ['end_time', 'Int64'],
      ['root_object_id', 'Nullable(Int64)'],
      ['summary', 'String'],
      ['details', 'Nullable(String)'],
    ],
    orderBy: '(cluster, start_time, id)',
    partitionBy: dayOf('start_time'),
    ttlColumn: 'start_time',
  },
  {
    name: 'incident_evidence',
    columns: [...base, ['incident_id', 'Int64'], ['event_id', 'Int64'], ['role', 'String']],
    orderBy: '(cluster, incident_id, event_id)',
  },
];

export function table(name: string): TableDef {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

export interface DdlOptions {
  database: string;
  /** ClickHouse cluster name: local tables plus Distributed ones. */
  cluster?: string;
  ttlDays?: number;
}

/** The local (MergeTree) table's name: `<name>_local` on a cluster, else `<name>`. */
export function localName(name: string, cluster: string | undefined): string {
  return cluster ? `${name}_local` : name;
}

function columnsSql(t: TableDef): string {
  return t.columns.map(([n, type]) => `${ident(n)} ${type}`).join(', ');
}

/** CREATE TABLE for the MergeTree table that holds the rows (on every shard host with a cluster). */
export function createLocal(t: TableDef, o: DdlOptions): string {
  const name = `${ident(o.database)}.${ident(localName(t.name, o.cluster))}`;
  const partition = t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : '';
  const ttl = o.ttlDays && t.ttlColumn ? ` TTL ${dayOf(t.ttlColumn)} + toIntervalDay(${lit(o.ttlDays)})` : '';
  return `CREATE TABLE IF NOT EXISTS ${name} (${columnsSql(t)}) ENGINE = MergeTree()${partition} ORDER BY ${t.orderBy}${ttl}`;
}

/** CREATE TABLE for the Distributed table over the shards' local tables, sharded by run. */
export function createDistributed(t: TableDef, o: DdlOptions & { cluster: string }): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${ident(o.database)}.${ident(t.name)} (${columnsSql(t)}) ` +
    `ENGINE = Distributed(${ident(o.cluster)}, ${ident(o.database)}, ${ident(localName(t.name, o.cluster))}, run)`
  );
}
