/**
 * The correlator's side of the store (src/correlate/link.ts and its passes: owners, DNS clients,
 * links inferred by time): the reads that feed them and one write that replaces every derived
 * table at once. The correlator decides what links to what; this module only knows where rows
 * live. CorrelationStore is the interface a second backend implements; SqliteCorrelation is
 * SQLite's.
 *
 * Clusters: the correlator links each cluster on its own (inCluster limits every read to one
 * cluster), so no object, link or owner edge spans two; rebuild replaces all clusters at once.
 */
import type Database from 'better-sqlite3';
import type { ObjectIdentity } from './object-identity.js';
import { ClusterScope, clustersWithEvents } from './cluster-scope.js';
import { BulkInsert, type Column } from './bulk-insert.js';
import { setCorrelationPending } from './schema.js';
import { startPhase, timePhase } from '../util/phase-timing.js';

/** An event's reference (event_refs) with what the linker needs of its event. */
export interface CorrelationRefRow {
  event_id: number;
  time: number;
  component: string;
  severity: number;
  kind: string;
  namespace: string | null;
  name: string | null;
  uid: string | null;
  via: string;
  key: string | null;
}

/**
 * How the references with one UID named it (kind, namespace, name: one row per distinct naming),
 * with the position of the first such reference and the times of the first and last: what the
 * linker needs of a UID to make its object, read as a few rows per object instead of one per ref.
 */
export interface UidSighting {
  uid: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  /** Where the first reference is in (event id, position) order, as one number (uidSightingsSql). */
  pos: number;
  first: number;
  last: number;
}

/** A reference of an event that may say who owns what, with the event's text. */
export interface OwnershipRefRow {
  event_id: number;
  time: number;
  message: string;
  fields: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  uid: string | null;
  key: string | null;
  via: string;
}

/** An audit event that states a pod's IPs (podIPs: JSON text), with the pod it names. */
export interface PodIpRow {
  id: number;
  time: number;
  ips: string | null;
  namespace: string | null;
  name: string | null;
  uid: string | null;
}

/** A CoreDNS query-log or errors-plugin line, with the fields that pair them. */
export interface DnsRow {
  id: number;
  time: number;
  source_id: number;
  client: string | null;
  qname: string | null;
  qtype: string | null;
  plugin: string | null;
}

/** An object as the correlator writes it. */
export interface ObjectWrite extends ObjectIdentity {
  first: number;
  last: number;
  deleted: number | null;
}

/** An event whose fields carry a containerID (any JSON value: the linker checks it). */
export interface ContainerIdRow {
  eventId: number;
  time: number;
  containerId: unknown;
}

export interface CorrelationWriter {
  insertObject(o: ObjectWrite): void;
  /** Names, namespaces and lifetimes widen as linking goes on: written again at the end. */
  updateObject(o: ObjectWrite): void;
  /**
   * A link, with its event's time (kept beside it, so an object's links are read in time order
   * from the index alone); a second link of the same event and object is ignored.
   */
  insertLink(eventId: number, time: number, objectId: number, via: string, confidence: number): void;
  /** An owner edge; an existing edge is replaced only by a surer one. */
  upsertOwner(ownerId: number, ownedId: number, via: string, confidence: number): void;
}

export interface CorrelationStore {
  /** The clusters with events, in name order. */
  clusters(): string[];
  /** Links and incidents are written for every event stored: clears the pending flag (schema.ts correlationPending). */
  finished(): void;
  /** The same reads limited to one cluster's events and objects (rebuild is not limited). */
  inCluster(cluster: string): CorrelationStore;
  /** Events whose fields carry a containerID, with its value. */
  containerIds(): Iterable<ContainerIdRow>;
  /**
   * Every UID's namings (UidSighting), in the order of their first references. Streamed, like
   * containerIds: the linker writes nothing while it reads them (1.25M rows read whole on a
   * 5M-event store were ~300 MB at once). Read each to its end before writing.
   */
  uidSightings(): Iterable<UidSighting>;
  /** Every reference, in (event id, position) order, streamed a page of events at a time. */
  refsInEventOrder(): Iterable<CorrelationRefRow>;
  /**
   * Events with ownerReferences, or naming a controller as their object, in (time, id) order: each
   * as all its references, in their order, with the event's message and fields.
   */
  ownershipEvents(): Iterable<OwnershipRefRow[]>;
  podIpStatements(): PodIpRow[];
  /**
   * CoreDNS lines with a client or from the errors plugin, in (time, id) order (so each source's
   * in its own time order), streamed a page at a time.
   */
  dnsLines(): Iterable<DnsRow>;
  /** Warnings and errors of etcd and the apiserver that name no object, in time order. */
  objectlessFailures(): { id: number; time: number }[];
  /** Requests that failed server side (audit, code >= 500), with their surely linked objects. */
  failedRequestObjects(minConfidence: number): { time: number; objectId: number }[];
  /**
   * Deletes objects, links, owners and incidents, then runs `fill` to write them again, all in
   * one transaction: readers see the old correlation or the new one, never half.
   */
  rebuild<T>(fill: (w: CorrelationWriter) => T): T;
}

/*
 * The two streamed reads (refsInEventOrder, dnsLines) take their rows as arrays (raw) and make
 * the objects here: better-sqlite3 builds a row object property by property, which cost twice the
 * CPU of the whole read (2.3 against 1.3 s for 635k refs).
 */
type RefTuple = [number, number, string, number, string, string | null, string | null, string | null, string, string | null];
type DnsTuple = [number, number, number, string | null, string | null, string | null, string | null];

type OwnershipTuple = [number, number, string, string | null, string, string | null, string | null, string | null, string | null, string];

/** Ownership events per statement of ownershipEvents. */
const OWNERSHIP_CHUNK = 1000;

/**
 * Event ids per page of refsInEventOrder: a page holds their refs (a few per event). Small pages
 * die young: 20k-event pages lived long enough to be promoted to V8's old space, whose garbage
 * then grew to hundreds of MB before a full collection (the 1M-event bench prefix: the link's
 * peak RSS 701 MB; 500k: 466 -> 338 MB with 2k pages, and less CPU).
 */
const REFS_PAGE_EVENTS = 2_000;
const DNS_PAGE = 10_000;

/**
 * One page of refsInEventOrder: the refs of the events with ids in (?, ?], with their events.
 * CROSS JOIN keeps events the outer table: a page is a range of its rowid read in order, each
 * event's refs one look-up in event_refs' primary key (a small tree). The other way round, a
 * look-up in events' tree per ref, cost three times the CPU (3.2 against 0.9 s for 635k refs).
 * NOT INDEXED (the rowid still serves) keeps the cluster condition from driving the query, as it
 * did when the planner was left to it: every event of the cluster, all their refs sorted, for
 * each page (quadratic: 536 s for 5M events). A store of several clusters is read whole once per
 * cluster, as the linker's reads always were.
 */
export function refsPageSql(scope: ClusterScope): string {
  return `SELECT e.id AS event_id, e.time, e.component, e.severity, r.kind, r.namespace, r.name, r.uid, r.via, r.key
       FROM events e NOT INDEXED CROSS JOIN event_refs r ON r.event_id = e.id
       WHERE e.id > ? AND e.id <= ? AND ${scope.on('e')}
       ORDER BY e.id, r.ord`;
}

/**
 * uidSightings: the refs with a UID grouped by how they name it, so that SQLite, not a row per
 * reference in JavaScript, does the counting. The first reference's position is event id * 2^20 +
 * its position in the event (capped there: no line carries a million references), a number exact
 * in JavaScript up to 8.5 billion events. Events outer, as in refsPageSql: a scan of events and a
 * look-up per event in event_refs cost 0.65-0.7 s of CPU on the scale-20 store, the other way
 * round 0.9-0.95 s.
 */
export function uidSightingsSql(scope: ClusterScope): string {
  return `SELECT r.uid, r.kind, r.namespace, r.name, min(r.event_id * 1048576 + min(r.ord, 1048575)) AS pos,
              min(e.time) AS first, max(e.time) AS last
       FROM events e NOT INDEXED CROSS JOIN event_refs r ON r.event_id = e.id
       WHERE r.uid IS NOT NULL AND ${scope.on('e')}
       GROUP BY r.uid, r.kind, r.namespace, r.name ORDER BY pos`;
}

export class SqliteCorrelation implements CorrelationStore {
  constructor(
    private readonly db: Database.Database,
    private readonly scope: ClusterScope = ClusterScope.ALL,
    /**
     * During rebuild: the links queued and not yet written (see failedRequestObjects). Shared with
     * the per-cluster views (inCluster), which the linker reads through while the whole store's
     * rebuild writes.
     */
    private readonly queued: { links?: BulkInsert<LinkRow> } = {},
  ) {}

  finished(): void {
    setCorrelationPending(this.db, false);
  }

  clusters(): string[] {
    return clustersWithEvents(this.db);
  }

  inCluster(cluster: string): SqliteCorrelation {
    return new SqliteCorrelation(this.db, new ClusterScope(cluster), this.queued);
  }

  containerIds(): Iterable<ContainerIdRow> {
    return this.db
      .prepare(
        `SELECT e.id AS eventId, e.time, json_extract(e.fields, '$.containerID') AS containerId FROM events e
         WHERE e.fields LIKE '%"containerID"%' AND ${this.scope.on('e')}`,
      )
      .iterate(this.scope.params) as Iterable<ContainerIdRow>;
  }

  uidSightings(): Iterable<UidSighting> {
    return this.db.prepare(uidSightingsSql(this.scope)).iterate(this.scope.params) as Iterable<UidSighting>;
  }

  /**
   * A page at a time: better-sqlite3 cannot write on a connection while a statement iterates on
   * it, and the linker writes as it goes. Each page is a range of event ids (refsPageSql), up to
   * the largest id when the scan began: the linker writes no events.
   */
  *refsInEventOrder(): Generator<CorrelationRefRow> {
    const page = this.db.prepare(refsPageSql(this.scope)).raw();
    const last = (this.db.prepare('SELECT max(id) FROM events').pluck().get() as number | null) ?? 0;
    for (let after = 0; after < last; after += REFS_PAGE_EVENTS) {
      for (const a of page.all(after, after + REFS_PAGE_EVENTS, this.scope.params) as RefTuple[]) {
        yield { event_id: a[0], time: a[1], component: a[2], severity: a[3], kind: a[4], namespace: a[5], name: a[6], uid: a[7], via: a[8], key: a[9] };
      }
    }
  }

  *ownershipEvents(): Generator<OwnershipRefRow[]> {
    const ids = this.db
      .prepare(
        `SELECT r.event_id FROM event_refs r CROSS JOIN events e ON e.id = r.event_id
         WHERE (r.key = 'ownerReferences'
            OR (r.kind IN ('ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController', 'Deployment')
                AND r.key IN ('object', 'involvedObject', 'regarding')))
           AND ${this.scope.on('e')}
         ORDER BY e.time, r.event_id, r.ord`,
      )
      .pluck()
      .all(this.scope.params) as number[];
    // The refs of OWNERSHIP_CHUNK events a statement, in the ids' order: a statement per event
    // was 22 us each, a sixth of linking on the store bench (62,500 of them at 500k events).
    const refs = this.db
      .prepare(
        `SELECT r.event_id, e.time, e.message, e.fields, r.kind, r.namespace, r.name, r.uid, r.key, r.via
         FROM json_each(?) j CROSS JOIN events e ON e.id = j.value CROSS JOIN event_refs r ON r.event_id = e.id
         ORDER BY j.key, r.ord`,
      )
      .raw();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += OWNERSHIP_CHUNK) {
      let group: OwnershipRefRow[] = [];
      for (const a of refs.all(JSON.stringify(unique.slice(i, i + OWNERSHIP_CHUNK))) as OwnershipTuple[]) {
        if (group.length && group[0]!.event_id !== a[0]) {
          yield group;
          group = [];
        }
        group.push({ event_id: a[0], time: a[1], message: a[2], fields: a[3], kind: a[4], namespace: a[5], name: a[6], uid: a[7], key: a[8], via: a[9] });
      }
      if (group.length) yield group;
    }
  }

  podIpStatements(): PodIpRow[] {
    return this.db
      .prepare(
        `SELECT e.id, e.time, json_extract(e.fields, '$.podIPs') AS ips, r.namespace, r.name, r.uid
         FROM events e JOIN event_refs r ON r.event_id = e.id AND r.key = 'objectRef' AND r.kind = 'Pod'
         WHERE e.component = 'audit' AND e.fields LIKE '%"podIPs"%' AND ${this.scope.on('e')} ORDER BY e.time, e.id`,
      )
      .all(this.scope.params) as PodIpRow[];
  }

  /**
   * Pages along events_component_time from the last (time, id) read: a range of that index in
   * its order, no sort. All at once (ordered by source) it held every CoreDNS line of the store
   * (600k rows at scale 60: the linker's largest allocation) and sorted them in memory.
   */
  *dnsLines(): Generator<DnsRow> {
    const page = this.db
      .prepare(
      `SELECT id, time, source_id, json_extract(fields, '$.client') AS client, json_extract(fields, '$.qname') AS qname,
              json_extract(fields, '$.qtype') AS qtype, json_extract(fields, '$.plugin') AS plugin
       FROM events WHERE component = 'coredns' AND time >= ? AND (time > ? OR id > ?)
         AND (fields LIKE '%"client"%' OR fields LIKE '%"plugin":"errors"%') AND ${this.scope.on('events')}
       ORDER BY time, id LIMIT ${DNS_PAGE}`,
      )
      .raw();
    let time = Number.MIN_SAFE_INTEGER;
    let id = 0;
    for (;;) {
      const rows = page.all(time, time, id, this.scope.params) as DnsTuple[];
      for (const a of rows) yield { id: a[0], time: a[1], source_id: a[2], client: a[3], qname: a[4], qtype: a[5], plugin: a[6] };
      if (rows.length < DNS_PAGE) return;
      [id, time] = rows[rows.length - 1]!;
    }
  }

  objectlessFailures(): { id: number; time: number }[] {
    return this.db
      .prepare(
        `SELECT e.id, e.time FROM events e
         WHERE e.component IN ('etcd', 'kube-apiserver') AND e.severity >= 2
           AND NOT EXISTS (SELECT 1 FROM event_refs r WHERE r.event_id = e.id AND r.key IS NOT 'emitter')
           AND ${this.scope.on('e')}
         ORDER BY e.time, e.id`,
      )
      .all(this.scope.params) as { id: number; time: number }[];
  }

  failedRequestObjects(minConfidence: number): { time: number; objectId: number }[] {
    // It reads links: those the rebuild has queued must be in the table first.
    this.queued.links?.flush();
    return this.db
      .prepare(
        `SELECT e.time, eo.object_id AS objectId FROM events e JOIN event_objects eo ON eo.event_id = e.id
         WHERE e.component = 'audit' AND CAST(json_extract(e.fields, '$.code') AS INTEGER) >= 500
           AND eo.confidence >= ? AND ${this.scope.on('e')} ORDER BY e.time`,
      )
      .all(minConfidence, this.scope.params) as { time: number; objectId: number }[];
  }

  rebuild<T>(fill: (w: CorrelationWriter) => T): T {
    const db = this.db;
    // Foreign keys unchecked for the pass, as in a bulk ingest (schema.ts beginBulkIngest): the
    // linker writes only ids it made (objects) or read (events). Checked, clearing the previous
    // pass went row by row (SQLite's truncation of a whole table needs them off), each row's
    // parents and children looked up: 52 s of the 5M-event store's correlation run again (5.6M
    // links, 1.25M objects), 0.8 s unchecked; and every link written paid two parent look-ups.
    // The pragma is a no-op inside a transaction, hence around it.
    const checked = db.pragma('foreign_keys', { simple: true }) === 1;
    if (checked) db.pragma('foreign_keys = OFF');
    try {
      return this.rebuildUnchecked(fill);
    } finally {
      if (checked) db.pragma('foreign_keys = ON');
    }
  }

  private rebuildUnchecked<T>(fill: (w: CorrelationWriter) => T): T {
    const db = this.db;
    // The commit writes every page the pass changed: timed as a phase of its own (KTRAIL_PHASES).
    let committed: (() => void) | undefined;
    const out = db.transaction(() => {
      timePhase('link: clear', () => {
        db.exec('DELETE FROM incident_objects; DELETE FROM incident_evidence; DELETE FROM incidents;');
        db.exec('DELETE FROM event_objects; DELETE FROM owners; DELETE FROM objects;');
      });
      // The links' and the objects' secondary indexes are built once, after the last row: sorting
      // once costs far less than a B-tree insertion per row (each object went into four at random
      // places: 14.6 s for the 5M-event store's 1.25M objects). Nothing reads them during the pass
      // (the linker looks up its own index); the unique one checks every object when it is built
      // again. In this transaction, so no reader sees the tables without them.
      const rebuilt = REBUILT_TABLES.map((table) => ({ table, indexes: secondaryIndexes(db, table) }));
      for (const { indexes } of rebuilt) for (const { name } of indexes) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
      // One row a statement: objects through BulkInsert (100 rows a statement) took about 14 times
      // the profile samples on the store bench's 125k objects (not looked into further).
      const insertObject = db.prepare(
        'INSERT INTO objects (id, cluster, uid, kind, namespace, name, first_seen, last_seen, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const updateObject = db.prepare('UPDATE objects SET namespace = ?, name = ?, first_seen = ?, last_seen = ?, deleted = ? WHERE id = ?');
      // The linker writes every object again at the end; most (every UID object: the scan widens
      // only name-only ones) are as first written, and an UPDATE each was a fifth of the pass on
      // stores of many objects. What was written is kept to write only what changed.
      const written = new WrittenObjects();
      // OR IGNORE: a later pass (container IDs, DNS clients) may name an object a ref already linked.
      const links = new BulkInsert(db, 'event_objects', LINK_COLUMNS, { verb: 'INSERT OR IGNORE' });
      this.queued.links = links;
      const upsertOwner = db.prepare(
        `INSERT INTO owners (owner_id, owned_id, via, confidence) VALUES (?, ?, ?, ?)
         ON CONFLICT (owner_id, owned_id) DO UPDATE SET via = excluded.via, confidence = excluded.confidence
         WHERE excluded.confidence > owners.confidence`,
      );
      let result: T;
      try {
        result = fill({
          insertObject: (o) => {
            insertObject.run(o.id, o.cluster, o.uid, o.kind, o.namespace, o.name, o.first, o.last, o.deleted);
            written.set(o);
          },
          updateObject: (o) => {
            if (written.changed(o)) updateObject.run(o.namespace, o.name, o.first, o.last, o.deleted, o.id);
          },
          insertLink: (eventId, time, objectId, via, confidence) => links.add([eventId, time, objectId, via, confidence]),
          upsertOwner: (ownerId, ownedId, via, confidence) => void upsertOwner.run(ownerId, ownedId, via, confidence),
        });
      } finally {
        this.queued.links = undefined;
      }
      links.flush();
      for (const { table, indexes } of rebuilt) {
        timePhase(`link: ${table} indexes`, () => {
          for (const { sql } of indexes) db.exec(sql);
        });
      }
      committed = startPhase('link: commit');
      return result;
    })();
    committed?.();
    return out;
  }
}

/** The tables whose secondary indexes a correlation pass drops and makes again once it has written them. */
const REBUILT_TABLES = ['event_objects', 'objects'] as const;

/**
 * A table's secondary indexes as the schema made them (their CREATE statements, from
 * sqlite_schema), so that a pass can drop them and make them again exactly, whatever migration
 * last changed them: no list of them to keep in step with the migrations. The indexes SQLite
 * makes for keys itself have no statement and stay.
 */
function secondaryIndexes(db: Database.Database, table: string): { name: string; sql: string }[] {
  return db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`)
    .all(table) as { name: string; sql: string }[];
}

type LinkRow = readonly [eventId: number, time: number, objectId: number, via: string, confidence: number];

const LINK_COLUMNS: readonly Column<LinkRow>[] = [
  ['event_id', (l) => l[0]],
  ['time', (l) => l[1]],
  ['object_id', (l) => l[2]],
  ['via', (l) => l[3]],
  ['confidence', (l) => l[4]],
];

/**
 * What each object was written with, to write it again only if it changed: columns indexed by
 * object id (ids are dense), times unboxed in double arrays and the strings the objects' own. An
 * object and a map entry per object was ~130 bytes each, 1.25M objects on a 5M-event store.
 */
class WrittenObjects {
  private readonly namespace: (string | null)[] = [];
  private readonly name: (string | null)[] = [];
  private readonly first: number[] = [];
  private readonly last: number[] = [];
  /** NaN for not deleted, so the array holds only doubles. */
  private readonly deleted: number[] = [];

  set(o: ObjectWrite): void {
    this.namespace[o.id] = o.namespace;
    this.name[o.id] = o.name;
    this.first[o.id] = o.first;
    this.last[o.id] = o.last;
    this.deleted[o.id] = o.deleted ?? Number.NaN;
  }

  changed(o: ObjectWrite): boolean {
    const id = o.id;
    if (!(id in this.first)) return true;
    const deleted = this.deleted[id]!;
    return (
      this.namespace[id] !== o.namespace ||
      this.name[id] !== o.name ||
      this.first[id] !== o.first ||
      this.last[id] !== o.last ||
      (Number.isNaN(deleted) ? o.deleted !== null : deleted !== o.deleted)
    );
  }
}

