/**
 * The write half of an ingest into ClickHouse: a temporary SQLite store that `ktrail ingest` has
 * filled, correlated and run incident detection on (the same engine as for a SQLite store) is
 * copied into ClickHouse as one ingest run, in large JSONEachRow batches.
 *
 * - Ids are made unique in the shared store by adding, per table, the largest id it holds (over
 *   every row, visible or not): the first run into an empty store keeps SQLite's ids.
 * - The run goes whole to one shard (run modulo the number of shards, as the Distributed tables'
 *   sharding key `run` would send it), written to that shard's local tables directly.
 * - The `sources` rows are written last, in one insert (one part, so all or none): every read
 *   sees a run only through them (context.ts). A copy killed before that leaves rows nobody sees;
 *   the next ingest of the same files finds no complete source for them and copies them again as
 *   a new run.
 * - Two ingests into one store never overlap: the caller holds the store's ingest lock
 *   (ingest-lock.ts) from before it reads the stored fingerprints until the run is visible, and
 *   checks it still holds it (`beforeVisible`) before the sources rows are written. The rows of
 *   runs that never became visible are deleted by the next ingest (orphans.ts).
 */
import type Database from 'better-sqlite3';
import { fieldDuration, fieldNumber, fieldText } from '../../query/values.js';
import { parseJsonObject } from '../json-object.js';
import { ClickhouseHttp, connectionOf, type Connection } from './http.js';
import { ident } from './escape.js';
import { localName } from './schema.js';
import type { ClickhouseTarget } from './url.js';

const BATCH = 20_000;

export interface CopySummary {
  run: number;
  /** Wall seconds of the copy alone (after parsing, correlation and detection). */
  seconds: number;
  shard: number;
  events: number;
  sources: number;
  incidents: number;
}

interface Offsets {
  run: number;
  sources: number;
  events: number;
  objects: number;
  incidents: number;
}

async function offsets(http: ClickhouseHttp): Promise<Offsets> {
  const max = async (sql: string): Promise<number> => Number((await http.rows<{ m: number }>(sql))[0]?.m ?? 0);
  return {
    run: Math.max(await max('SELECT max(run) AS m FROM events'), await max('SELECT max(run) AS m FROM sources')),
    sources: await max('SELECT max(id) AS m FROM sources'),
    events: await max('SELECT max(id) AS m FROM events'),
    objects: await max('SELECT max(id) AS m FROM objects'),
    incidents: await max('SELECT max(id) AS m FROM incidents'),
  };
}

/** The fields of an event as the parallel arrays the query compiler reads (schema.ts). */
export function fieldArrays(json: string | null): Record<string, string[] | number[]> {
  const fields = parseJsonObject(json) ?? {};
  const out = { field_keys: [] as string[], field_texts: [] as string[], number_keys: [] as string[], number_values: [] as number[], duration_keys: [] as string[], duration_values: [] as number[] };
  for (const [k, v] of Object.entries(fields)) {
    const t = fieldText(v);
    if (t !== undefined) {
      out.field_keys.push(k);
      out.field_texts.push(t);
    }
    const n = fieldNumber(v);
    if (n !== undefined) {
      out.number_keys.push(k);
      out.number_values.push(n);
    }
    const d = fieldDuration(v);
    if (d !== undefined) {
      out.duration_keys.push(k);
      out.duration_values.push(d);
    }
  }
  return out;
}

/** Incident details with their cause chain's incident ids moved by the offset. */
function shiftDetails(details: string | null, by: number): string | null {
  const d = parseJsonObject(details);
  if (!d || !Array.isArray(d.causeChain) || by === 0) return details;
  for (const step of d.causeChain as Record<string, unknown>[]) {
    if (step && typeof step.incidentId === 'number') step.incidentId += by;
  }
  return JSON.stringify(d);
}

/** Streams `sql`'s rows from SQLite through `map` into `table`, BATCH rows per insert. */
async function pipe<R>(db: Database.Database, sql: string, http: ClickhouseHttp, table: string, map: (r: R) => object): Promise<number> {
  let batch: object[] = [];
  let n = 0;
  for (const row of db.prepare(sql).iterate() as IterableIterator<R>) {
    batch.push(map(row));
    if (batch.length >= BATCH) {
      await http.insert(table, batch);
      n += batch.length;
      batch = [];
    }
  }
  await http.insert(table, batch);
  return n + batch.length;
}

type Row = Record<string, unknown>;

export async function copyToClickhouse(
  db: Database.Database,
  target: ClickhouseTarget,
  shards: readonly Connection[],
  /** Runs after every other row is written and before the run is made visible; throws to keep it invisible. */
  beforeVisible: () => Promise<void> = async () => {},
): Promise<CopySummary> {
  const started = Date.now();
  const reader = new ClickhouseHttp({ ...shards[0]!, httpUrl: target.httpUrl });
  const off = await offsets(reader).finally(() => reader.close());
  const run = off.run + 1;
  const shard = run % shards.length;
  const http = new ClickhouseHttp(shards[shard]!);
  const t = (name: string): string => `${ident(target.database)}.${ident(localName(name, target.cluster))}`;
  // Every row keeps the Kubernetes cluster the temporary store gave it (its source's).
  const tag = { run };
  try {
    const events = await pipe<Row>(
      db,
      `SELECT id, cluster, time, component, host, severity, verbosity, caller, message, fields, format, source_format, source_id, line,
              end_line, time_inferred, envelope_time, raw, truncated FROM events`,
      http,
      t('events'),
      (r) => ({ ...tag, ...r, id: (r.id as number) + off.events, source_id: (r.source_id as number) + off.sources, ...fieldArrays(r.fields as string | null) }),
    );
    await pipe<Row>(
      db,
      'SELECT e.cluster, r.event_id, e.time, r.ord, r.kind, r.namespace, r.name, r.uid, r.via, r.key FROM event_refs r JOIN events e ON e.id = r.event_id',
      http,
      t('event_refs'),
      (r) => ({ ...tag, ...r, event_id: (r.event_id as number) + off.events }),
    );
    await pipe<Row>(db, 'SELECT id, cluster, uid, kind, namespace, name, first_seen, last_seen, deleted FROM objects', http, t('objects'), (r) => ({
      ...tag,
      ...r,
      id: (r.id as number) + off.objects,
    }));
    await pipe<Row>(
      db,
      'SELECT e.cluster, eo.event_id, eo.object_id, e.time, eo.via, eo.confidence FROM event_objects eo JOIN events e ON e.id = eo.event_id',
      http,
      t('event_objects'),
      (r) => ({ ...tag, ...r, event_id: (r.event_id as number) + off.events, object_id: (r.object_id as number) + off.objects }),
    );
    await pipe<Row>(db, 'SELECT o.cluster, w.owner_id, w.owned_id, w.via, w.confidence FROM owners w JOIN objects o ON o.id = w.owner_id', http, t('owners'), (r) => ({
      ...tag,
      ...r,
      owner_id: (r.owner_id as number) + off.objects,
      owned_id: (r.owned_id as number) + off.objects,
    }));
    const incidents = await pipe<Row>(
      db,
      // An incident is detected from one cluster's events; where detection left its cluster empty,
      // its evidence's cluster is the incident's.
      `SELECT id, coalesce(nullif(cluster, ''), (SELECT e.cluster FROM incident_evidence ie JOIN events e ON e.id = ie.event_id
              WHERE ie.incident_id = incidents.id LIMIT 1), '') AS cluster,
              kind, severity, start_time, end_time, root_object_id, summary, details FROM incidents`,
      http,
      t('incidents'),
      (r) => ({
        ...tag,
        ...r,
        id: (r.id as number) + off.incidents,
        root_object_id: r.root_object_id === null ? null : (r.root_object_id as number) + off.objects,
        details: shiftDetails(r.details as string | null, off.incidents),
      }),
    );
    await pipe<Row>(db, 'SELECT e.cluster, ie.incident_id, ie.event_id, ie.role FROM incident_evidence ie JOIN events e ON e.id = ie.event_id', http, t('incident_evidence'), (r) => ({
      ...tag,
      ...r,
      incident_id: (r.incident_id as number) + off.incidents,
      event_id: (r.event_id as number) + off.events,
    }));
    await beforeVisible();
    // Last, in one insert: this makes the run visible.
    const sources = db
      .prepare('SELECT id, path, display, cluster, size, mtime, fingerprint, envelope, stats, ingested_at FROM sources WHERE complete = 1')
      .all() as Row[];
    await http.insert(
      t('sources'),
      sources.map((r) => ({ ...tag, ...r, id: (r.id as number) + off.sources, fingerprint: r.fingerprint ?? '', stats: r.stats ?? 'null', ingested_at: r.ingested_at ?? 0 })),
    );
    return { run, shard, events, sources: sources.length, incidents, seconds: (Date.now() - started) / 1000 };
  } finally {
    await http.close();
  }
}

/** (cluster, path, fingerprint) of every source stored: the same file in the same cluster is skipped. */
export async function storedFingerprints(target: ClickhouseTarget): Promise<Set<string>> {
  const http = new ClickhouseHttp(connectionOf(target));
  try {
    const rows = await http.rows<{ cluster: string; path: string; fingerprint: string }>(
      `SELECT cluster, path, fingerprint FROM sources WHERE fingerprint != ''`,
    );
    return new Set(rows.map((r) => fingerprintKey(r.cluster, r.path, r.fingerprint)));
  } finally {
    await http.close();
  }
}

export function fingerprintKey(cluster: string, path: string, fingerprint: string): string {
  return `${cluster}\u0000${path}\u0000${fingerprint}`;
}
