/**
 * The ClickHouse backend's object queries (ObjectQueries in store.ts), the sibling of
 * src/store/objects.ts. No correlated subqueries and no joins (18.16 has the first not at all and
 * the second only in limited forms): each answer is a few keyed reads put together here. Links
 * carry their event's time (copy.ts), so a timeline reads no events at all.
 */
import { assembleTimeline, assembleTimelines, type TimelineLinkRow, type TimelineReads } from '../timeline.js';
import type { EventLink, LinkedObject, NameMatchCount, ObjectQueries, OwnerEdgeRow, StoredObject, Timeline } from '../store.js';
import type { ChContext } from './context.js';
import { inSlices, lit, litList } from './escape.js';

const COLUMNS = 'id, cluster, uid, kind, namespace, name, first_seen, last_seen, deleted';
// SQLite sorts NULL first in ascending order; ClickHouse last unless told.
const OLDEST_FIRST = 'ORDER BY first_seen NULLS FIRST, id';

/** As in SQLite: no kind means this namespace; no namespace (with a kind) means any. */
function nameTest(kind: string | null, namespace: string | null, name: string): string {
  const tests = [`name = ${lit(name)}`];
  if (kind !== null) tests.push(`lower(kind) = lower(${lit(kind)})`);
  if (kind === null || namespace !== null) tests.push(`namespace = ${lit(namespace)}`);
  return tests.join(' AND ');
}

/** SQLite's `ORDER BY first_seen` (NULL first), ties by id. */
function oldestFirst(a: StoredObject, b: StoredObject): number {
  return (a.first_seen ?? -Infinity) - (b.first_seen ?? -Infinity) || a.id - b.id;
}

/** (time, event id) order of link rows read in several slices. */
function byTime(a: TimelineLinkRow, b: TimelineLinkRow): number {
  return a.time - b.time || a.eventId - b.eventId;
}

export class ChObjects implements ObjectQueries {
  private readonly timelineReads: TimelineReads;

  constructor(private readonly ctx: ChContext) {
    this.timelineReads = {
      // A level of every timeline asked for in two reads (edges, then their objects).
      owned: (ownerIds) => {
        const edges = inSlices(ownerIds).flatMap((slice) =>
          this.ctx.rows<{ owner_id: number; owned_id: number; via: string }>(
            `SELECT owner_id, owned_id, via FROM owners WHERE ${this.ctx.scope()} AND owner_id IN ${litList(slice)}`,
          ),
        );
        const objects = this.byIdList([...new Set(edges.map((e) => e.owned_id))]);
        const out = new Map<number, (StoredObject & { ownerVia: string })[]>(ownerIds.map((id) => [id, []]));
        for (const e of edges) {
          const o = objects.get(e.owned_id);
          if (o) out.get(e.owner_id)?.push({ ...o, ownerVia: e.via });
        }
        for (const list of out.values()) list.sort(oldestFirst);
        return out;
      },
      links: (ids, minConfidence, limit) => {
        const slices = inSlices(ids);
        const rows = slices.flatMap((slice) =>
          this.ctx.rows<TimelineLinkRow>(
            `SELECT event_id AS eventId, time, object_id AS objectId, via, confidence FROM event_objects
             WHERE ${this.ctx.scope()} AND object_id IN ${litList(slice)} AND (confidence >= ${lit(minConfidence)} OR via = 'emitter')
             ORDER BY time, event_id LIMIT ${lit(Math.floor(limit))}`,
          ),
        );
        return slices.length === 1 ? rows : rows.sort(byTime).slice(0, Math.floor(limit));
      },
    };
  }

  private where(test: string, tail = ''): StoredObject[] {
    return this.ctx.rows<StoredObject>(`SELECT ${COLUMNS} FROM objects WHERE ${this.ctx.scope()} AND ${test} ${tail}`);
  }

  private byIdList(ids: readonly number[]): Map<number, StoredObject> {
    return new Map(inSlices(ids).flatMap((slice) => this.where(`id IN ${litList(slice)}`)).map((o) => [o.id, o]));
  }

  count(): number {
    return this.ctx.value<number>(`SELECT count() FROM objects WHERE ${this.ctx.scope()}`) ?? 0;
  }

  byId(id: number): StoredObject | undefined {
    return this.where(`id = ${lit(id)}`)[0];
  }

  byUid(uid: string): StoredObject[] {
    return this.where(`uid = ${lit(uid)}`, OLDEST_FIRST);
  }

  byName(kind: string | null, namespace: string | null, name: string, newest?: number): StoredObject[] {
    const test = nameTest(kind, namespace, name);
    if (newest === undefined) return this.where(test, OLDEST_FIRST);
    return this.where(test, `ORDER BY first_seen DESC NULLS LAST, id DESC LIMIT ${lit(newest)}`).reverse();
  }

  countByName(kind: string | null, namespace: string | null, name: string): NameMatchCount {
    // min/max skip NULLs, as in SQLite; ClickHouse gives the type's default (0) when every value
    // is NULL, hence the count of known ones.
    const [row] = this.ctx.rows<{ count: number | string; known: number | string; firstSeen: number | null; lastSeen: number | null }>(
      `SELECT count() AS count, count(first_seen) AS known, min(first_seen) AS firstSeen, max(first_seen) AS lastSeen
       FROM objects WHERE ${this.ctx.scope()} AND ${nameTest(kind, namespace, name)}`,
    );
    const known = Number(row?.known ?? 0) > 0;
    return { count: Number(row?.count ?? 0), firstSeen: known ? Number(row!.firstSeen) : null, lastSeen: known ? Number(row!.lastSeen) : null };
  }

  timeline(root: StoredObject, opts: { limit?: number; minConfidence?: number } = {}): Timeline {
    return assembleTimeline(this.timelineReads, root, opts);
  }

  timelines(roots: readonly StoredObject[], opts: { limit?: number; minConfidence?: number } = {}): Timeline[] {
    return assembleTimelines(this.timelineReads, roots, opts);
  }

  /** The owner of `id` by its strongest edge (ties: the lowest id, as in SQLite). */
  private strongestOwner(id: number): number | undefined {
    return this.ctx.rows<{ owner_id: number }>(
      `SELECT owner_id FROM owners WHERE ${this.ctx.scope()} AND owned_id = ${lit(id)} ORDER BY confidence DESC, owner_id LIMIT 1`,
    )[0]?.owner_id;
  }

  ownerChain(id: number): StoredObject[] {
    const chain: number[] = [];
    const visited = new Set([id]);
    // At most 8 levels, and never a level twice: bad data may hold a cycle. The owners' rows come
    // in one read at the end, not one per level.
    let next = this.strongestOwner(id);
    while (next !== undefined && !visited.has(next) && chain.length < 8) {
      visited.add(next);
      chain.push(next);
      next = this.strongestOwner(next);
    }
    const objects = this.byIdList(chain);
    // As before: the chain stops at an owner that is not stored.
    const stored = chain.findIndex((o) => !objects.has(o));
    return (stored < 0 ? chain : chain.slice(0, stored)).map((o) => objects.get(o)!);
  }

  ownerEdgesAmong(ids: readonly number[]): OwnerEdgeRow[] {
    // Read by the owned side in slices; the owner side is tested here, as a list of all the ids
    // could pass what one query's text holds.
    const among = new Set(ids);
    return inSlices(ids).flatMap((slice) =>
      this.ctx
        .rows<OwnerEdgeRow>(
          `SELECT owner_id AS ownerId, owned_id AS ownedId, via, confidence FROM owners
           WHERE ${this.ctx.scope()} AND owned_id IN ${litList(slice)}`,
        )
        .filter((e) => among.has(e.ownerId)),
    );
  }

  roots(kinds: readonly string[]): StoredObject[] {
    const list = litList(kinds);
    return this.where(
      `kind IN ${list}
       AND id NOT IN (SELECT owned_id FROM owners WHERE owner_id IN (SELECT id FROM objects WHERE kind IN ${list}))
       AND id IN (SELECT object_id FROM event_objects)`,
      OLDEST_FIRST,
    );
  }

  linksOf(eventId: number): LinkedObject[] {
    return this.linksOfEvents([eventId]).get(eventId) ?? [];
  }

  linksOfEvents(ids: readonly number[]): Map<number, LinkedObject[]> {
    const out = new Map<number, LinkedObject[]>();
    if (ids.length === 0) return out;
    const links = inSlices(ids).flatMap((slice) =>
      this.ctx.rows<{ event_id: number; object_id: number; via: string; confidence: number }>(
        `SELECT event_id, object_id, via, confidence FROM event_objects WHERE ${this.ctx.scope()} AND event_id IN ${litList(slice)}
         ORDER BY event_id, confidence DESC, object_id`,
      ),
    );
    const objects = this.byIdList([...new Set(links.map((l) => l.object_id))]);
    for (const l of links) {
      const o = objects.get(l.object_id);
      if (!o) continue;
      let list = out.get(l.event_id);
      if (!list) out.set(l.event_id, (list = []));
      list.push({ id: o.id, cluster: o.cluster, uid: o.uid, kind: o.kind, namespace: o.namespace, name: o.name, via: l.via, confidence: l.confidence });
    }
    return out;
  }

  *allLinks(minConfidence: number): Generator<EventLink> {
    const links = this.ctx.rows<{ eventId: number; time: number; object_id: number }>(
      `SELECT event_id AS eventId, time, object_id FROM event_objects WHERE ${this.ctx.scope()} AND confidence >= ${lit(minConfidence)}`,
    );
    const objects = this.byIdList([...new Set(links.map((l) => l.object_id))]);
    for (const l of links) {
      const o = objects.get(l.object_id);
      if (o) yield { eventId: l.eventId, time: l.time, cluster: o.cluster, uid: o.uid, kind: o.kind, namespace: o.namespace, name: o.name };
    }
  }

  uids(): string[] {
    return this.ctx.rows<{ uid: string }>(`SELECT uid FROM objects WHERE ${this.ctx.scope()} AND uid IS NOT NULL`).map((r) => r.uid);
  }
}
