/**
 * The store's schema, versioned. `meta` holds the schema version; MIGRATIONS is the ordered list of
 * steps, migration i taking a database from version i to version i+1. Opening an older database
 * runs the missing steps in one transaction (all or nothing); a newer one is refused, because an
 * old ktrail cannot know what a newer schema means.
 *
 * Conventions every reader and writer relies on:
 * - events.id is the event's order: the merged arrival order of one ingest run, later runs
 *   appended after (see writer.ts). Anything that lists events orders by (time, id).
 * - times are INTEGER epoch microseconds UTC; severity is INTEGER 0..4 (debug..fatal, the index
 *   in SEVERITIES).
 * - fields and details are JSON text; fields is NULL when an event has none.
 * - event_refs are the references exactly as the parsers gave them; objects/event_objects/owners
 *   are the correlator's resolved view and may be empty (queries use event_refs so that they work
 *   before correlation).
 */
import type Database from 'better-sqlite3';
import { clustersWithEvents } from './cluster-scope.js';
import { StoreVersionError } from './errors.js';

export type Migration = (db: Database.Database) => void;

/**
 * An incident's links to the events that are its evidence or to the objects it involves: the two
 * tables have one shape, a row per (incident, target, role), indexed to look up by target.
 */
function incidentLinks(table: string, target: 'event' | 'object', targetTable: string): string {
  return `
    CREATE TABLE ${table} (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      ${target}_id INTEGER NOT NULL REFERENCES ${targetTable}(id),
      role TEXT NOT NULL,
      PRIMARY KEY (incident_id, ${target}_id, role)
    ) WITHOUT ROWID;
    CREATE INDEX ${table}_${target} ON ${table}(${target}_id);`;
}

/** Version 1: the first schema. */
const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,            -- resolved absolute path, or '-' for stdin
      display TEXT NOT NULL,         -- the name events carry in source.file
      size INTEGER,
      mtime INTEGER,                 -- epoch milliseconds
      fingerprint TEXT,              -- sha256 of size + first and last 64 KiB
      envelope TEXT,
      stats TEXT,                    -- SourceStats as JSON, set on completion
      complete INTEGER NOT NULL DEFAULT 0,
      ingested_at INTEGER            -- epoch milliseconds of beginSource
    );
    CREATE INDEX sources_path ON sources(path);

    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      time INTEGER NOT NULL,
      component TEXT NOT NULL,
      host TEXT,
      severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 4),
      verbosity INTEGER,
      caller TEXT,
      message TEXT NOT NULL,
      fields TEXT,
      format TEXT NOT NULL,          -- payload format (klog, etcd-zap...)
      source_format TEXT,            -- envelope/payload as the event carried it (cri/klog)
      source_id INTEGER NOT NULL REFERENCES sources(id),
      line INTEGER NOT NULL,
      end_line INTEGER NOT NULL,
      time_inferred TEXT,
      envelope_time INTEGER,
      raw TEXT NOT NULL,
      truncated INTEGER NOT NULL DEFAULT 0
    );
    -- A secondary index holds the rowid after its columns, so (time) serves ORDER BY time, id.
    CREATE INDEX events_time ON events(time);
    CREATE INDEX events_component_time ON events(component, time);
    CREATE INDEX events_host_time ON events(host, time);
    CREATE INDEX events_severity_time ON events(severity, time);
    -- Deleting a half-ingested source, and going from a file line to its event.
    CREATE INDEX events_source_line ON events(source_id, line);

    -- Clustered by event (WITHOUT ROWID): an event's refs sit together and need no extra index.
    CREATE TABLE event_refs (
      event_id INTEGER NOT NULL REFERENCES events(id),
      ord INTEGER NOT NULL,          -- position in the event's objects array
      kind TEXT NOT NULL,
      namespace TEXT,
      name TEXT,
      uid TEXT,
      via TEXT NOT NULL,
      key TEXT,
      PRIMARY KEY (event_id, ord)
    ) WITHOUT ROWID;
    CREATE INDEX event_refs_uid ON event_refs(uid) WHERE uid IS NOT NULL;
    -- Kinds compare without case ("pod/default/web-1" in a query), so the index folds them too.
    CREATE INDEX event_refs_kind_ns_name ON event_refs(kind COLLATE NOCASE, namespace, name);

    CREATE TABLE objects (
      id INTEGER PRIMARY KEY,
      uid TEXT,
      kind TEXT NOT NULL,
      namespace TEXT,
      name TEXT,
      first_seen INTEGER,
      last_seen INTEGER,
      deleted INTEGER                -- time of deletion when seen, else NULL
    );
    CREATE INDEX objects_uid ON objects(uid) WHERE uid IS NOT NULL;
    CREATE INDEX objects_kind_ns_name ON objects(kind COLLATE NOCASE, namespace, name);

    CREATE TABLE event_objects (
      event_id INTEGER NOT NULL REFERENCES events(id),
      object_id INTEGER NOT NULL REFERENCES objects(id),
      via TEXT NOT NULL,             -- how the link was made (uid, name, container-id, owner...)
      confidence REAL NOT NULL,
      PRIMARY KEY (event_id, object_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_objects_object ON event_objects(object_id, event_id);

    CREATE TABLE owners (
      owner_id INTEGER NOT NULL REFERENCES objects(id),
      owned_id INTEGER NOT NULL REFERENCES objects(id),
      via TEXT NOT NULL,
      confidence REAL NOT NULL,
      PRIMARY KEY (owner_id, owned_id)
    ) WITHOUT ROWID;
    CREATE INDEX owners_owned ON owners(owned_id);

    CREATE TABLE incidents (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 4),
      start_time INTEGER NOT NULL,   -- "start"/"end" would need quoting everywhere
      end_time INTEGER NOT NULL,
      root_object_id INTEGER REFERENCES objects(id),
      summary TEXT NOT NULL,
      details TEXT
    );
    CREATE INDEX incidents_start ON incidents(start_time);
${incidentLinks('incident_evidence', 'event', 'events')}
${incidentLinks('incident_objects', 'object', 'objects')}

    -- Word search over messages. External content: the text lives once, in events. The writer
    -- adds each batch to the index with one INSERT ... SELECT in the batch's transaction (about
    -- three times faster than a per-row trigger, measured); the triggers below keep deletes and
    -- updates in step. During a bulk ingest (meta.bulk_ingest) rows are not indexed yet, and
    -- telling FTS5 to delete a row it never saw corrupts it: the triggers stand aside, and the
    -- rebuild that ends the bulk ingest makes the index match the table again.
    CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='id');
    CREATE TRIGGER events_fts_delete AFTER DELETE ON events
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_ingest') BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
    END;
    CREATE TRIGGER events_fts_update AFTER UPDATE OF message ON events
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_ingest') BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
      INSERT INTO events_fts(rowid, message) VALUES (new.id, new.message);
    END;
  `);
};

/**
 * The current secondary indexes of events and event_refs, the ones an ingest maintains row by
 * row. A migration that changes one of these indexes must update this list too.
 */
export const INGEST_INDEXES: Readonly<Record<string, string>> = {
  events_time: 'events(time)',
  events_component_time: 'events(component, time)',
  events_host_time: 'events(host, time)',
  events_severity_time: 'events(severity, time)',
  events_source_line: 'events(source_id, line)',
  events_cluster_time: 'events(cluster, time)',
  event_refs_uid: 'event_refs(uid) WHERE uid IS NOT NULL',
  event_refs_kind_ns_name: 'event_refs(kind COLLATE NOCASE, namespace, name)',
};

/*
 * Bulk ingest. An ingest into an empty store (the usual case: one fresh cache database per set
 * of inputs) drops the ingest indexes and builds them once at the end: sorting once costs far
 * less than millions of B-tree insertions (1M events, 4 KiB pages: 23 s of CPU with every index
 * kept row by row, 16 s in bulk: 9 s of inserts, 7 s of index and word index builds; measured). The `bulk_ingest` flag in meta is set in the
 * transaction that drops the indexes and cleared once they are all built again, so a bulk
 * ingest killed in between leaves a flag that the next open (openStore) acts on. The last
 * transaction also writes the planner's statistics (writeStatistics).
 */

/*
 * Correlation pending. Links, owners and incidents are derived from the events, after an ingest
 * has stored them (cli/open-store.ts correlate). An ingest stopped in between (Ctrl-C, a kill,
 * the OOM killer at millions of events) left a store whose sources were complete and whose
 * incidents were missing or stale: readers answered "no incidents found", and the next ingest of
 * the same, unchanged inputs skipped them all and did not correlate again, so the store stayed
 * wrong. The flag is set in the transaction that begins a source for a writer whose ingest
 * correlates (WriterOptions.correlates) and cleared when correlation has written everything; a
 * store that holds it is refused by readers, naming the ingest that completes it, and is
 * correlated again by that ingest even when it reads nothing new.
 */

/** The store's flags: a meta row whose presence is the flag (bulk_ingest, correlation_pending). */
type MetaFlag = 'bulk_ingest' | 'correlation_pending';

function hasFlag(db: Database.Database, flag: MetaFlag): boolean {
  return db.prepare(`SELECT 1 FROM meta WHERE key = ?`).get(flag) !== undefined;
}

function setFlag(db: Database.Database, flag: MetaFlag, on: boolean): void {
  if (on) db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')`).run(flag);
  else db.prepare(`DELETE FROM meta WHERE key = ?`).run(flag);
}

export function correlationPending(db: Database.Database): boolean {
  return hasFlag(db, 'correlation_pending');
}

export function setCorrelationPending(db: Database.Database, pending: boolean): void {
  setFlag(db, 'correlation_pending', pending);
}

export function bulkIngestPending(db: Database.Database): boolean {
  return hasFlag(db, 'bulk_ingest');
}

/**
 * Enters bulk mode (in one transaction), with foreign keys unchecked until finishBulkIngest: the
 * writer makes every reference's event id and every event's source id itself (ids it has just
 * inserted, under the store's write lock), and checking them cost a B-tree lookup per event and
 * per reference, about a fifth of the insert's CPU (200k events, measured). The pragma is per
 * connection and a no-op inside a transaction, hence before it; a new connection checks again.
 */
export function beginBulkIngest(db: Database.Database): void {
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    setFlag(db, 'bulk_ingest', true);
    for (const name of Object.keys(INGEST_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  }).immediate();
}

/**
 * Leaves bulk mode: builds the missing ingest indexes, one transaction each, then clears the flag.
 * One transaction per index bounds the write-ahead log by the largest index instead of all of
 * them (about 800 MB at 5M events); a run killed between two leaves the flag, and the next open
 * builds the ones still missing.
 */
export function finishBulkIngest(db: Database.Database): void {
  for (const [name, on] of Object.entries(INGEST_INDEXES)) {
    db.transaction(() => db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`)).immediate();
  }
  db.transaction(() => {
    writeStatistics(db);
    setFlag(db, 'bulk_ingest', false);
  }).immediate();
  db.pragma('foreign_keys = ON');
}

/**
 * Writes the planner's statistics for the cluster column (sqlite_stat1 rows, no table scan).
 * Without statistics SQLite takes `cluster = ?` for selective (ten rows) and reads a whole
 * cluster through the (cluster, time) index, when most stores hold one cluster and the condition
 * selects every row: per-cluster reads then walk every event (the correlation went quadratic on
 * it). The row says what the column really selects, the events over the clusters that have any,
 * and SQLite takes the index of the read's other condition (a component, an id range).
 *
 * Only this index gets a row: a full ANALYZE reads every index (1.6 s of CPU at 1M events,
 * measured; a sampled one, analysis_limit, sees 2,000 equal clusters and reports 2,000 rows per
 * cluster, which is the mistake again), and the other columns' defaults already plan right. A
 * bulk ingest ends with it, and the step that brought older stores to v5. It need not be exact:
 * a later ingest that adds rows leaves it as it was, still of the right order.
 */
export function writeStatistics(db: Database.Database): void {
  // Ids are dense within a run: two seeks of the primary key instead of count(*)'s whole scan.
  const events = db.prepare(`SELECT coalesce(max(id) - min(id) + 1, 0) FROM events`).pluck().get() as number;
  if (events === 0) return;
  const clusters = Math.max(1, clustersWithEvents(db).length);
  // Creates sqlite_stat1 when the store has none yet (it analyzes no index of ours).
  db.exec('ANALYZE sqlite_schema');
  db.prepare(`DELETE FROM sqlite_stat1 WHERE idx = 'events_cluster_time'`).run();
  // "rows, rows per cluster, rows per (cluster, time)": the index's entries and how many share a prefix.
  db.prepare(`INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('events', 'events_cluster_time', ?)`).run(
    `${events} ${Math.ceil(events / clusters)} 1`,
  );
  // Makes this connection's planner read the new row (others read it when they open).
  db.exec('ANALYZE sqlite_schema');
}

/**
 * Version 2: objects by name alone. `trace ns/name` and a kind/name without namespace look an
 * object up by its name; with only the (kind, namespace, name) index that scanned every object of
 * the kind (290 ms on a store of 1.25M pods; a few ms with this index).
 */
const v2: Migration = (db) => {
  db.exec('CREATE INDEX objects_name ON objects(name)');
};

/**
 * Version 3: the cluster label. One store holds several clusters without mixing them: sources,
 * events, objects and incidents carry the cluster they belong to (`ktrail ingest --cluster`).
 * A store written before has every row in cluster '' (no name): it reads as it did, and a
 * re-ingest under a name adds that cluster beside it (sources are per cluster and path).
 * - events: (cluster, time) serves every read limited to one cluster in time order; (time) stays
 *   for reads over all clusters, which would otherwise sort.
 * - objects: one per (cluster, uid): the same UID in two clusters is two objects (a copied
 *   cluster, a restored etcd). (uid) alone stays for a UID looked up over all clusters.
 * - sources: (path, cluster) for the re-ingest check, which is per cluster.
 * - incidents: listed per cluster in start order.
 * event_refs, event_objects, owners and the incident link tables carry no label: their events,
 * objects and incidents do.
 */
const v3: Migration = (db) => {
  db.exec(`
    ALTER TABLE sources ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
    ALTER TABLE objects ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
    ALTER TABLE incidents ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
    DROP INDEX sources_path;
    CREATE INDEX sources_path_cluster ON sources(path, cluster);
    CREATE INDEX IF NOT EXISTS events_cluster_time ON events(cluster, time);
    CREATE UNIQUE INDEX objects_cluster_uid ON objects(cluster, uid) WHERE uid IS NOT NULL;
    CREATE INDEX incidents_cluster_start ON incidents(cluster, start_time);
  `);
};

/**
 * Version 4: the word index is built by the first search (word-index.ts), so it may be pending
 * (meta.words_pending) long after an ingest. Telling FTS5 to delete a row it never indexed fails
 * as a corrupt index, so the triggers that keep it in step stand aside while it is pending, as
 * they did during a bulk ingest; the build that ends the wait makes it match the table again.
 */
const v4: Migration = (db) => {
  const guard = `WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key IN ('bulk_ingest', 'words_pending'))`;
  db.exec(`
    DROP TRIGGER events_fts_delete;
    DROP TRIGGER events_fts_update;
    CREATE TRIGGER events_fts_delete AFTER DELETE ON events
    ${guard} BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
    END;
    CREATE TRIGGER events_fts_update AFTER UPDATE OF message ON events
    ${guard} BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
      INSERT INTO events_fts(rowid, message) VALUES (new.id, new.message);
    END;
  `);
};

/**
 * Version 5: the planner's statistics (writeStatistics), which a bulk ingest now writes at its
 * end. A store written before has none; with them queries need no hint to keep SQLite off the
 * (cluster, time) index (cluster-scope.ts).
 */
const v5: Migration = (db) => writeStatistics(db);

/**
 * Version 6: no word index. events_fts (FTS5 over messages, v1) had no user: no command or view
 * searched by word (`ktrail query` line filters are substring matches over message and raw, a
 * different meaning from FTS5's tokens), yet it cost every ingest (a tenth of a first ingest's
 * CPU while it was built then; 333 s for the first search of a 5M-event store once it was made
 * lazy), a trigger on every delete of events, and a flag checked on every batch. Its table,
 * triggers and pending flag go; a word operator would be a query-language feature with its own
 * index, over both backends.
 */
const v6: Migration = (db) => {
  db.exec(`
    DROP TRIGGER IF EXISTS events_fts_delete;
    DROP TRIGGER IF EXISTS events_fts_update;
    DROP TABLE IF EXISTS events_fts;
    DELETE FROM meta WHERE key = 'words_pending';
  `);
};

/**
 * Version 7: objects by name, newest first, from the indexes alone. `trace pod/NS/NAME` shows the
 * newest ten of the objects a name matched, with their count and span of first sightings; with
 * first_seen in the index those are a count over index entries and ten row reads, where before
 * every matching row was read and sorted (12,887 pods named default/web-9 in the 5M-event store:
 * 0.1-0.45 s of scattered reads). The name index gains kind, so that `kind/name` with no
 * namespace (and the kind test a two-part `ns/name` makes first) is decided in the index too.
 */
const v7: Migration = (db) => {
  db.exec(`
    DROP INDEX objects_kind_ns_name;
    CREATE INDEX objects_kind_ns_name_seen ON objects(kind COLLATE NOCASE, namespace, name, first_seen);
    DROP INDEX objects_name;
    CREATE INDEX objects_name_kind_seen ON objects(name, kind COLLATE NOCASE, namespace, first_seen);
  `);
};

/**
 * Version 8: a link carries its event's time, and the object index covers what the readers of an
 * object's links ask. Those reads (trace's timeline, the rules' events about an object in a
 * window) went from each link to its event_objects row (via, confidence) and its events row
 * (time, to order and to test the window): two random page reads a link. On the scale-20 store,
 * the timeline of a pod with 1,995 links took 123 ms, of which the index itself 1.5 ms; from the
 * covering index, ordered and cut by time there, 6 ms, and a window of a busy object reads only
 * the events inside it. The cost: 33 MB of index against 9 MB on that store (971k links), and the
 * linker writes the time it already has. The time is the event's, copied: events' times never
 * change once stored.
 */
const v8: Migration = (db) => {
  db.exec(`
    ALTER TABLE event_objects ADD COLUMN time INTEGER;
    UPDATE event_objects SET time = (SELECT e.time FROM events e WHERE e.id = event_objects.event_id);
    DROP INDEX IF EXISTS event_objects_object;
    CREATE INDEX event_objects_object_time ON event_objects(object_id, time, event_id, confidence, via);
  `);
};

/** Every schema step, in order. Append only: never edit a step that has shipped. */
export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8];

export const SCHEMA_VERSION = MIGRATIONS.length;

export { StoreVersionError };

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** The schema version recorded in the database (0 for an empty database). */
export function schemaVersion(db: Database.Database): number {
  if (!hasTable(db, 'meta')) return 0;
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/**
 * Brings the database to the newest schema. `migrations` is a parameter so that tests can check
 * the mechanism with steps of their own. Throws StoreVersionError for a database written by a
 * newer ktrail, or for a database that has tables but is not ktrail's.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, label = db.name): void {
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreVersionError(
      `${label}: the database has schema version ${current}, newer than this ktrail understands (${latest}); ` +
        `upgrade ktrail, or point --db at another file`,
    );
  }
  if (current === latest) return;
  if (current === 0) {
    const foreign = db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'meta' LIMIT 1`)
      .get() as { name: string } | undefined;
    if (foreign) {
      throw new StoreVersionError(
        `${label}: not a ktrail database (it has a table "${foreign.name}" and no schema version); ` +
          `point --db at another file`,
      );
    }
  }
  // IMMEDIATE: take the write lock before reading anything, so that two processes opening the
  // same old database cannot both run the steps.
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const from = schemaVersion(db);
    for (let v = from; v < latest; v++) migrations[v]!(db);
    db.prepare(`INSERT INTO meta(key, value) VALUES ('schema_version', ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(latest));
  }).immediate();
}
