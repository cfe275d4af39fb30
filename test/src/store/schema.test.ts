import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/store/connection.js';
import { migrate, MIGRATIONS, schemaVersion, SCHEMA_VERSION, StoreVersionError, type Migration } from '../../../src/store/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'ktrail-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a new store has the current schema, WAL and synchronous=NORMAL', () => {
  const store = openStore(join(dir, 'new.db'));
  try {
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('synchronous', { simple: true }), 1); // NORMAL
    const tables = (
      store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'events_fts_%' ORDER BY name`).pluck().all() as string[]
    );
    assert.deepEqual(tables, [
      'event_objects',
      'event_refs',
      'events',
      'incident_evidence',
      'incident_objects',
      'incidents',
      'meta',
      'objects',
      'owners',
      'sources',
    ]);
    const indexes = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`).pluck().all();
    for (const name of ['events_time', 'events_component_time', 'events_host_time', 'events_severity_time', 'event_refs_uid', 'event_refs_kind_ns_name', 'event_objects_object_time']) {
      assert.ok(indexes.includes(name), `index ${name}`);
    }
  } finally {
    store.close();
  }
});

test('reopening a current store changes nothing', () => {
  const file = join(dir, 'reopen.db');
  openStore(file).close();
  const store = openStore(file);
  assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
  store.close();
});

test('an older database is migrated step by step in one transaction', () => {
  const db = new Database(':memory:');
  const next: Migration = (d) => d.exec(`CREATE TABLE extra (x INTEGER); ALTER TABLE sources ADD COLUMN note TEXT`);
  migrate(db, MIGRATIONS.slice(0, 1));
  assert.equal(schemaVersion(db), 1);
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'objects_name'`).get(), undefined);
  migrate(db, [...MIGRATIONS, next]);
  assert.equal(schemaVersion(db), MIGRATIONS.length + 1);
  assert.ok(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'objects_name_kind_seen'`).get(), 'the name index (v2, and v7 its successor)');
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'objects_name'`).get(), undefined, 'v7 replaced it');
  assert.ok(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'extra'`).get());
  db.close();
});

test('a v6 store opens as v7: its objects kept, their name indexes ending in first_seen', () => {
  const file = join(dir, 'v6.db');
  const db = new Database(file);
  migrate(db, MIGRATIONS.slice(0, 6));
  db.exec(`INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES (1, 'u-1', 'Pod', 'default', 'web-1', 5), (2, 'u-2', 'Pod', 'default', 'web-1', 3)`);
  db.close();
  const store = openStore(file);
  try {
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    const indexes = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'objects' AND name LIKE 'objects_%name%' ORDER BY name`).pluck().all();
    assert.deepEqual(indexes, ['objects_kind_ns_name_seen', 'objects_name_kind_seen']);
    assert.deepEqual(store.objects.byName('pod', 'default', 'web-1', 1).map((o) => o.id), [1]);
    assert.deepEqual(store.objects.countByName(null, 'default', 'web-1'), { count: 2, firstSeen: 3, lastSeen: 5 });
  } finally {
    store.close();
  }
});

test('a v4 store (word index built, no statistics) opens as the current schema: its events kept, the word index gone, statistics written', () => {
  const file = join(dir, 'v4.db');
  const db = new Database(file);
  migrate(db, MIGRATIONS.slice(0, 4));
  db.exec(`INSERT INTO sources (id, path, display, complete) VALUES (1, '/a', 'a.log', 1);
           INSERT INTO events (id, time, component, severity, message, format, source_id, line, end_line, raw, cluster)
           VALUES (1, 1, 'etcd', 2, 'first words', 'klog', 1, 1, 1, 'r1', ''), (2, 2, 'etcd', 2, 'second words', 'klog', 1, 2, 2, 'r2', 'b');
           INSERT INTO events_fts(rowid, message) SELECT id, message FROM events;`);
  db.close();
  const store = openStore(file);
  try {
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.deepEqual(store.db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE 'events_fts%'`).all(), []);
    assert.equal(store.db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'events_cluster_time'`).pluck().get(), '2 1 1');
    // Deleting events no longer goes through the dropped index's triggers.
    store.db.prepare(`DELETE FROM events WHERE id = 1`).run();
    assert.deepEqual(store.db.prepare(`SELECT message FROM events`).pluck().all(), ['second words']);
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    store.close();
  }
});

test('a failing migration leaves the database at its old version, untouched', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  const half: Migration = (d) => {
    d.exec(`CREATE TABLE half (x INTEGER)`);
    throw new Error('step failed');
  };
  assert.throws(() => migrate(db, [...MIGRATIONS, half]), /step failed/);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal(db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'half'`).get(), undefined);
  db.close();
});

test('a newer database is refused with a clear message', () => {
  const file = join(dir, 'newer.db');
  openStore(file).close();
  const db = new Database(file);
  db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
  db.close();
  assert.throws(
    () => openStore(file),
    (err: unknown) =>
      err instanceof StoreVersionError &&
      err.message === `${file}: the database has schema version 99, newer than this ktrail understands (${SCHEMA_VERSION}); upgrade ktrail, or point --db at another file`,
  );
});

test('a database that is not ktrail\'s is refused, not written to', () => {
  const file = join(dir, 'foreign.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE accounts (id INTEGER)`);
  db.close();
  assert.throws(() => openStore(file), /not a ktrail database \(it has a table "accounts"/);
  const again = new Database(file);
  assert.equal(again.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'meta'`).get(), undefined);
  again.close();
});

test('a read-only open refuses an older schema instead of migrating it', () => {
  const file = join(dir, 'old.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '0')`);
  db.close();
  assert.throws(() => openStore(file, { readonly: true }), new RegExp(`schema version 0, this ktrail reads version ${SCHEMA_VERSION} \\(open it once for writing`));
});

/** A store file at an older schema version, with one source and the given events and rows. */
function olderStore(version: number, events: string, more = ''): string {
  const file = join(dir, `v${version}.db`);
  const db = new Database(file);
  migrate(db, MIGRATIONS.slice(0, version));
  db.exec(`INSERT INTO sources (id, path, display, complete) VALUES (1, '/a', 'a.log', 1);
           INSERT INTO events (id, time, component, severity, message, format, source_id, line, end_line, raw)
             VALUES ${events};
           ${more}`);
  db.close();
  return file;
}

test('version 3: a store written before the cluster label reads as cluster \'\'; objects are unique per cluster and UID', () => {
  const file = olderStore(2, `(1, 5, 'kubelet', 1, 'm', 'klog', 1, 1, 1, 'm')`, `INSERT INTO objects (id, uid, kind) VALUES (1, 'u', 'Pod');`);
  const store = openStore(file);
  try {
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.deepEqual(store.sources.list().map((s) => s.cluster), ['']);
    assert.deepEqual(store.events.page({ limit: 5 }).map((e) => e.cluster), ['']);
    assert.deepEqual(store.inCluster('').events.ids(), [1]);
    assert.deepEqual(store.objects.byUid('u').map((o) => o.cluster), ['']);
    store.db.exec(`INSERT INTO objects (id, cluster, uid, kind) VALUES (2, 'other', 'u', 'Pod')`);
    assert.throws(() => store.db.exec(`INSERT INTO objects (id, cluster, uid, kind) VALUES (3, 'other', 'u', 'Pod')`), /UNIQUE/);
  } finally {
    store.close();
  }
});


test("a v7 store opens as v8: its links take their events' times, and an object's links are read from the index alone", () => {
  const file = join(dir, 'v7.db');
  const db = new Database(file);
  migrate(db, MIGRATIONS.slice(0, 7));
  // Ids out of time order, so that a wrong fill (the id, or one event's time for all) shows.
  db.exec(`INSERT INTO sources (id, path, display, complete) VALUES (1, '/a', 'a.log', 1);
           INSERT INTO events (id, time, component, severity, message, format, source_id, line, end_line, raw)
           VALUES (1, 300, 'kubelet', 2, 'late', 'klog', 1, 1, 1, 'r1'), (2, 100, 'kubelet', 2, 'early', 'klog', 1, 2, 2, 'r2'),
                  (3, 200, 'kubelet', 2, 'middle', 'klog', 1, 3, 3, 'r3');
           INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES (1, 'u-1', 'Pod', 'default', 'web-1', 100);
           INSERT INTO event_objects VALUES (1, 1, 'uid', 1), (2, 1, 'uid', 1), (3, 1, 'name', 0.9);`);
  db.close();
  const store = openStore(file);
  try {
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.deepEqual(store.db.prepare('SELECT event_id, time FROM event_objects ORDER BY event_id').raw().all(), [[1, 300], [2, 100], [3, 200]]);
    const indexes = store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_objects'`).pluck().all();
    assert.deepEqual(indexes, ['event_objects_object_time'], 'the old object index is replaced (the key needs none)');
    const t = store.objects.timeline(store.objects.byId(1)!);
    assert.deepEqual(t.steps.map((s) => [s.eventId, s.time]), [[2, 100], [3, 200], [1, 300]]);
  } finally {
    store.close();
  }
});
