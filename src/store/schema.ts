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

export type Migration = (db: Database.Database) => void;

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

    CREATE TABLE incident_evidence (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      event_id INTEGER NOT NULL REFERENCES events(id),
      role TEXT NOT NULL,
      PRIMARY KEY (incident_id, event_id, role)
    ) WITHOUT ROWID;
    CREATE INDEX incident_evidence_event ON incident_evidence(event_id);

    CREATE TABLE incident_objects (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      object_id INTEGER NOT NULL REFERENCES objects(id),
      role TEXT NOT NULL,
      PRIMARY KEY (incident_id, object_id, role)
    ) WITHOUT ROWID;
    CREATE INDEX incident_objects_object ON incident_objects(object_id);

    -- Word search over messages. External content: the text lives once, in events. The writer
    -- adds each batch to the index with one INSERT ... SELECT in the batch's transaction (about
    -- three times faster than a per-row trigger, measured); the triggers below keep deletes and
    -- updates in step.
    CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='id');
    CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
    END;
    CREATE TRIGGER events_fts_update AFTER UPDATE OF message ON events BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.id, old.message);
      INSERT INTO events_fts(rowid, message) VALUES (new.id, new.message);
    END;
  `);
};

/** Every schema step, in order. Append only: never edit a step that has shipped. */
export const MIGRATIONS: readonly Migration[] = [v1];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

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
