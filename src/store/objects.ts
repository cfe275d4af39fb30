/**
 * The SQLite backend's object queries (ObjectQueries in store.ts): objects by UID or name, an
 * object's timeline with what it owns, its owners, and the links of events to objects.
 */
import type Database from 'better-sqlite3';
import { ClusterScope } from './cluster-scope.js';
import { StatementCache } from './statements.js';
import { assembleTimeline, assembleTimelines, type TimelineLinkRow, type TimelineReads } from './timeline.js';
import type { EventLink, LinkedObject, NameMatchCount, ObjectQueries, OwnerEdgeRow, StoredObject, Timeline } from './store.js';

const COLUMNS = 'o.id, o.cluster, o.uid, o.kind, o.namespace, o.name, o.first_seen, o.last_seen, o.deleted';

/**
 * The links of a set of objects (a JSON array), at a confidence or emitters, in their events' time
 * order, at most a number: from the covering object index (schema v8) alone, so no event_objects
 * or events row is read (two random page reads a link before: 123 against 6 ms for a pod's 1,995
 * links on the scale-20 store). Parameters: the ids, the least confidence, the limit.
 */
export const TIMELINE_LINKS_SQL = `SELECT eo.event_id AS eventId, eo.time, eo.object_id AS objectId, eo.via, eo.confidence
  FROM event_objects eo
  WHERE eo.object_id IN (SELECT value FROM json_each(?))
    AND (eo.confidence >= ? OR eo.via = 'emitter')
  ORDER BY eo.time, eo.event_id LIMIT ?`;

export class SqliteObjects implements ObjectQueries {
  private readonly cache: StatementCache;
  private readonly timelineReads: TimelineReads;

  /**
   * `scope`: the cluster every read is limited to (cluster-scope.ts). Reads that start from an
   * object or an event (owned objects, links, owner chains) need no condition of their own:
   * objects only own, and events only link to, objects of their own cluster.
   */
  constructor(
    db: Database.Database,
    private readonly scope: ClusterScope = ClusterScope.ALL,
  ) {
    this.cache = new StatementCache(db);
    this.timelineReads = {
      // In process, a statement per owner costs nothing: the same read as for one timeline.
      owned: (ownerIds) => {
        const read = this.stmt(
          `SELECT ${COLUMNS}, w.via AS ownerVia FROM owners w JOIN objects o ON o.id = w.owned_id WHERE w.owner_id = ? ORDER BY o.first_seen`,
        );
        return new Map(ownerIds.map((id) => [id, read.all(id) as (StoredObject & { ownerVia: string })[]]));
      },
      links: (ids, minConfidence, limit) =>
        this.stmt(TIMELINE_LINKS_SQL).all(JSON.stringify(ids), minConfidence, limit) as TimelineLinkRow[],
    };
  }

  private stmt(sql: string): Database.Statement {
    return this.cache.get(sql);
  }

  count(): number {
    return this.stmt(`SELECT count(*) FROM objects o WHERE ${this.scope.on('o')}`).pluck().get(this.scope.params) as number;
  }

  byId(id: number): StoredObject | undefined {
    return this.stmt(`SELECT ${COLUMNS} FROM objects o WHERE o.id = ? AND ${this.scope.on('o')}`).get(id, this.scope.params) as
      | StoredObject
      | undefined;
  }

  byUid(uid: string): StoredObject[] {
    return this.stmt(`SELECT ${COLUMNS} FROM objects o WHERE o.uid = ? AND ${this.scope.on('o')} ORDER BY o.first_seen`).all(
      uid,
      this.scope.params,
    ) as StoredObject[];
  }

  byName(kind: string | null, namespace: string | null, name: string, newest?: number): StoredObject[] {
    const { index, test, params } = this.nameMatch(kind, namespace, name);
    if (newest === undefined) {
      return this.stmt(`SELECT ${COLUMNS} FROM objects o INDEXED BY ${index} WHERE ${test} ORDER BY o.first_seen, o.id`).all(
        ...params,
        this.scope.params,
      ) as StoredObject[];
    }
    // The newest from the end of the index (first_seen is its last column), put back oldest first.
    return this.stmt(
      `SELECT * FROM (SELECT ${COLUMNS} FROM objects o INDEXED BY ${index} WHERE ${test} ORDER BY o.first_seen DESC, o.id DESC LIMIT ?)
       ORDER BY first_seen, id`,
    ).all(...params, newest, this.scope.params) as StoredObject[];
  }

  countByName(kind: string | null, namespace: string | null, name: string): NameMatchCount {
    const { index, test, params } = this.nameMatch(kind, namespace, name);
    return this.stmt(
      `SELECT count(*) AS count, min(o.first_seen) AS firstSeen, max(o.first_seen) AS lastSeen FROM objects o INDEXED BY ${index} WHERE ${test}`,
    ).get(...params, this.scope.params) as NameMatchCount;
  }

  /**
   * The condition and index for each shape of name. One statement per shape rather than
   * "(? IS NULL OR namespace = ?)": that form keeps SQLite from using an index, and a store of
   * millions of pods notices. Each index ends in first_seen (schema v7), so a count and the span
   * of first sightings come from index entries alone, and the newest few are read from its end.
   */
  private nameMatch(kind: string | null, namespace: string | null, name: string): { index: string; test: string; params: (string | null)[] } {
    const inScope = this.scope.on('o');
    const scoped = (test: string, ...params: (string | null)[]) => ({ test: `${test} AND ${inScope}`, params });
    if (kind === null) return { index: 'objects_name_kind_seen', ...scoped('o.name = ? AND o.namespace = ?', name, namespace) };
    if (namespace === null) return { index: 'objects_name_kind_seen', ...scoped('o.name = ? AND o.kind = ? COLLATE NOCASE', name, kind) };
    return { index: 'objects_kind_ns_name_seen', ...scoped('o.kind = ? COLLATE NOCASE AND o.namespace = ? AND o.name = ?', kind, namespace, name) };
  }

  timeline(root: StoredObject, opts: { limit?: number; minConfidence?: number } = {}): Timeline {
    return assembleTimeline(this.timelineReads, root, opts);
  }

  timelines(roots: readonly StoredObject[], opts: { limit?: number; minConfidence?: number } = {}): Timeline[] {
    return assembleTimelines(this.timelineReads, roots, opts);
  }

  ownerChain(id: number): StoredObject[] {
    const up = this.stmt(
      `SELECT ${COLUMNS} FROM owners w JOIN objects o ON o.id = w.owner_id WHERE w.owned_id = ? ORDER BY w.confidence DESC, o.id LIMIT 1`,
    );
    const out: StoredObject[] = [];
    const seen = new Set([id]);
    // Bounded: bad data may loop.
    for (let at = id; out.length < 8; ) {
      const owner = up.get(at) as StoredObject | undefined;
      if (!owner || seen.has(owner.id)) break;
      seen.add(owner.id);
      out.push(owner);
      at = owner.id;
    }
    return out;
  }

  ownerEdgesAmong(ids: readonly number[]): OwnerEdgeRow[] {
    // The owner side is tested here, not in SQL: with both sides as IN lists SQLite searches the
    // index for every (owned, owner) pair of the two lists, 30k ids: 900M searches, two minutes.
    const among = new Set(ids);
    const rows = this.stmt(
      `SELECT owner_id AS ownerId, owned_id AS ownedId, via, confidence FROM owners
       WHERE owned_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as OwnerEdgeRow[];
    return rows.filter((e) => among.has(e.ownerId));
  }

  roots(kinds: readonly string[]): StoredObject[] {
    const list = JSON.stringify(kinds);
    return this.stmt(
      `SELECT ${COLUMNS} FROM objects o
       WHERE o.kind IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM owners w JOIN objects p ON p.id = w.owner_id
                         WHERE w.owned_id = o.id AND p.kind IN (SELECT value FROM json_each(?)))
         AND EXISTS (SELECT 1 FROM event_objects eo WHERE eo.object_id = o.id)
         AND ${this.scope.on('o')}
       ORDER BY o.first_seen, o.id`,
    ).all(list, list, this.scope.params) as StoredObject[];
  }

  *allLinks(minConfidence: number): Generator<EventLink> {
    yield* this.stmt(
      `SELECT l.event_id AS eventId, l.time, o.cluster, o.uid, o.kind, o.namespace, o.name FROM event_objects l
       JOIN objects o ON o.id = l.object_id WHERE l.confidence >= ? AND ${this.scope.on('o')}`,
    ).iterate(minConfidence, this.scope.params) as IterableIterator<EventLink>;
  }

  uids(): string[] {
    return this.stmt(`SELECT o.uid FROM objects o WHERE o.uid IS NOT NULL AND ${this.scope.on('o')}`).pluck().all(this.scope.params) as string[];
  }

  linksOf(eventId: number): LinkedObject[] {
    return this.linksOfEvents([eventId]).get(eventId) ?? [];
  }

  linksOfEvents(ids: readonly number[]): Map<number, LinkedObject[]> {
    const out = new Map<number, LinkedObject[]>();
    if (ids.length === 0) return out;
    // One query for a page of events: a query per event is slow on millions.
    const rows = this.stmt(
      `SELECT eo.event_id, o.id, o.cluster, o.uid, o.kind, o.namespace, o.name, eo.via, eo.confidence FROM event_objects eo
       JOIN objects o ON o.id = eo.object_id WHERE eo.event_id IN (SELECT value FROM json_each(?))
       ORDER BY eo.event_id, eo.confidence DESC, o.id`,
    ).all(JSON.stringify(ids)) as (LinkedObject & { event_id: number })[];
    for (const { event_id, ...link } of rows) {
      let list = out.get(event_id);
      if (!list) out.set(event_id, (list = []));
      list.push(link);
    }
    return out;
  }
}
