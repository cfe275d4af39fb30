/**
 * The store as the incident rules read it: events selected by SQL, with their parsed fields and
 * the objects the linker (src/correlate/link.ts) tied them to; objects by UID or name within
 * their lifetime; the owner graph. Statements are prepared once and small lookups are cached, so
 * that a rule can ask per event without a query plan each time.
 *
 * A view sees one cluster (detection runs once per cluster): events, signals and objects found by
 * UID, name or kind are that cluster's; what is reached from an event or an object (its links,
 * owners, owned objects, linked events) is in its cluster already.
 */
import type Database from 'better-sqlite3';
import type { CorrelationRefRow } from './correlation.js';
import type { Facts } from '../signals/index.js';
import { ClusterScope } from './cluster-scope.js';
import { eachSignalledEvent, parseFacts, signalFacts, signalledEvents, type RawSignalledEvent } from './signals.js';
import { EVENT_COLUMNS, toEventRow, type EventRow, type RawEventRow } from './event-row.js';
import { releaseGarbage } from '../util/release-garbage.js';

export type { EventRow };

/** An event with a signal it states (src/signals/) and the facts the line gives. */
export interface SignalledEvent extends EventRow {
  signal: string;
  facts: Facts;
}

/** A signalled event without its message, fields and location (eachLeanSignalled). */
export type LeanSignalledEvent = Pick<SignalledEvent, 'id' | 'time' | 'component' | 'host' | 'signal' | 'facts'>;

export interface ObjectRow {
  id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  deleted: number | null;
}

/** A reference exactly as the parser gave it (event_refs): the linker's row without its event. */
export type RefRow = Pick<CorrelationRefRow, 'kind' | 'namespace' | 'name' | 'uid' | 'via' | 'key'>;

export interface LinkRow extends ObjectRow {
  via: string;
  confidence: number;
}

/**
 * The components whose lines tell an object's story: all but CoreDNS, whose query log links each
 * lookup to the pod that asked (evidence for DNS incidents, which read it themselves, and noise
 * for every other).
 */
export const STORY_COMPONENTS: readonly string[] = [
  'kubelet',
  'kube-apiserver',
  'audit',
  'event',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'etcd',
  'other',
];

/** How far outside an object's sightings a same-named reference still means it (as link.ts). */
const LIFETIME_SLACK = 5 * 60 * 1_000_000;

const OBJECT_COLUMNS =
  'o.id, o.uid, o.kind, o.namespace, o.name, o.first_seen AS firstSeen, o.last_seen AS lastSeen, o.deleted';


function toSignalledEvent({ facts, signal, ...r }: RawSignalledEvent): SignalledEvent {
  return { ...toEventRow(r), signal, facts: parseFacts(facts) };
}

/** "kind/namespace/name" (or "kind/name"), the way incidents name objects in text. */
export function describeRef(o: { kind: string; namespace?: string | null; name?: string | null; uid?: string | null }): string {
  const name = o.name ?? o.uid ?? '?';
  return o.namespace ? `${o.kind.toLowerCase()}/${o.namespace}/${name}` : `${o.kind.toLowerCase()}/${name}`;
}

/**
 * An object's events at a least confidence in a window [from, to], in time order, optionally of
 * `components` components (that many placeholders). Parameters: the object id, the confidence,
 * from, to, then the components. The window is tested in the links' covering index (schema v8:
 * a link holds its event's time), so a busy object's events outside it are never read.
 * `columns`: what each row gives (the event's whole row by default; `l.event_id` for its id alone).
 */
export function eventsAboutSql(components: number, columns: string = EVENT_COLUMNS): string {
  const only = components > 0 ? ` AND e.component IN (${Array.from({ length: components }, () => '?').join(', ')})` : '';
  return `SELECT ${columns} FROM event_objects l JOIN events e ON e.id = l.event_id
    WHERE l.object_id = ? AND l.confidence >= ? AND l.time BETWEEN ? AND ?${only} ORDER BY l.time, l.event_id`;
}

export class StoreView {
  private readonly linkCache = new Map<number, LinkRow[]>();
  private readonly objectCache = new Map<number, ObjectRow | undefined>();
  private readonly aboutIn = new Map<string, Database.Statement>();
  /** hasKind's answers, by kind in lower case. */
  private readonly kinds = new Map<string, boolean>();
  /** mayBeOwned's bytes, read on first use. */
  private ownedBytes: Uint8Array | undefined;
  private readonly stmts;

  constructor(
    readonly db: Database.Database,
    readonly minConfidence = 0.5,
    private readonly scope: ClusterScope = ClusterScope.ALL,
    /** The signal names there are: a rule asking for another fails at once (absent: no check). */
    private readonly knownSignals?: ReadonlySet<string>,
  ) {
    const inScope = scope.on('o');
    this.stmts = {
      event: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ?`),
      links: db.prepare(
        `SELECT ${OBJECT_COLUMNS}, l.via, l.confidence FROM event_objects l JOIN objects o ON o.id = l.object_id
         WHERE l.event_id = ? ORDER BY l.confidence DESC, o.id`,
      ),
      // writer()'s first emitter link, its id only: a point read of event_objects' key.
      writerId: db.prepare(`SELECT object_id FROM event_objects WHERE event_id = ? AND via = 'emitter' ORDER BY confidence DESC, object_id LIMIT 1`).pluck(),
      object: db.prepare(`SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.id = ?`),
      byUid: db.prepare(`SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.uid = ? AND ${inScope} ORDER BY o.id LIMIT 1`),
      byName: db.prepare(
        `SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.kind = ? COLLATE NOCASE AND o.name = ?
         AND (? IS NULL OR o.namespace = ? OR o.namespace IS NULL) AND ${inScope} ORDER BY o.first_seen, o.id`,
      ),
      prefixed: db.prepare(
        `SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.kind = ? COLLATE NOCASE AND o.namespace IS ? AND o.name >= ? AND o.name < ? AND ${inScope}`,
      ),
      anyOfKind: db.prepare(`SELECT 1 FROM objects o WHERE o.kind = ? COLLATE NOCASE AND ${inScope} LIMIT 1`),
      ofKind: db.prepare(`SELECT ${OBJECT_COLUMNS} FROM objects o WHERE o.kind = ? COLLATE NOCASE AND ${inScope} ORDER BY o.first_seen, o.id`),
      about: db.prepare(eventsAboutSql(0)),
      owners: db.prepare(
        `SELECT ${OBJECT_COLUMNS} FROM owners w JOIN objects o ON o.id = w.owner_id WHERE w.owned_id = ? ORDER BY w.confidence DESC, o.id`,
      ),
      ownerVia: db.prepare('SELECT via FROM owners WHERE owned_id = ? AND owner_id = ?'),
      ownedIds: db.prepare('SELECT DISTINCT owned_id FROM owners').pluck(),
      owned: db.prepare(
        `SELECT ${OBJECT_COLUMNS} FROM owners w JOIN objects o ON o.id = w.owned_id WHERE w.owner_id = ? ORDER BY o.first_seen, o.id`,
      ),
      refs: db.prepare('SELECT kind, namespace, name, uid, via, key FROM event_refs WHERE event_id = ? ORDER BY ord'),
      display: db.prepare('SELECT display FROM sources WHERE id = ?'),
      objectCount: db.prepare(`SELECT count(*) AS n FROM objects o WHERE ${inScope}`),
    };
  }

  /**
   * Events matching a WHERE clause over `events e`, in (time, id) order. The rules' clauses name a
   * component, host or time: the cluster is only checked (see ClusterScope.check), so that the
   * planner picks their index instead of walking the whole cluster's events.
   */
  events(where: string, params: readonly unknown[] = [], limit?: number): EventRow[] {
    const tail = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
    const sql = `SELECT ${EVENT_COLUMNS} FROM events e WHERE (${where}) AND ${this.scope.on('e')} ORDER BY e.time, e.id${tail}`;
    const rows = this.db.prepare(sql).all(...params, this.scope.params) as RawEventRow[];
    return rows.map(toEventRow);
  }

  /**
   * Events that state any of these signals (src/signals/), optionally within [from, to], in (time,
   * id) order. Needs computeSignals (src/store/signals.ts), which detectIncidents runs first.
   */
  /** The time of the last event in the store (0 for an empty store): where the logs end. */
  lastEventTime(): number {
    const sql = `SELECT max(time) AS t FROM events e WHERE ${this.scope.on('e')}`;
    return (this.db.prepare(sql).get(this.scope.params) as { t: number | null }).t ?? 0;
  }

  signalled(names: readonly string[], from?: number, to?: number): SignalledEvent[] {
    return signalledEvents(this.db, names, from, to, this.scope, this.knownSignals).map(toSignalledEvent);
  }

  /** signalled(names) streamed: for a rule that keeps only a little of each row. */
  *eachSignalled(names: readonly string[]): Generator<SignalledEvent> {
    let read = 0;
    for (const r of eachSignalledEvent(this.db, names, this.scope, this.knownSignals)) {
      // A rule reading 125k signals (and resolving each one's pod) leaves garbage at that rate.
      if ((++read & 0xfff) === 0) releaseGarbage();
      yield toSignalledEvent(r);
    }
  }

  /** eachSignalled's rows without message, fields and location: for a rule that holds many. */
  *eachLeanSignalled(names: readonly string[]): Generator<LeanSignalledEvent> {
    for (const r of eachSignalledEvent(this.db, names, this.scope, this.knownSignals, true)) yield { ...r, facts: parseFacts(r.facts) };
  }

  /** Only the id, time and facts of the events that state a signal (for the very frequent ones), streamed. */
  signalFacts(name: string): Iterable<{ id: number; time: number; facts: Facts }> {
    return signalFacts(this.db, name, this.scope, this.knownSignals);
  }

  event(id: number): EventRow | undefined {
    const r = this.stmts.event.get(id) as RawEventRow | undefined;
    return r ? toEventRow(r) : undefined;
  }

  /** Every link of an event, emitter included, surest first (cached: rules ask per event). */
  private allLinks(eventId: number): LinkRow[] {
    let list = this.linkCache.get(eventId);
    if (!list) {
      // Bounded memory on huge stores: rules ask about an event a few times in a row, not much
      // later, and a cached list is ~700 bytes (200k of them held 140 MB on a 5M-event store).
      if (this.linkCache.size > 20_000) this.linkCache.clear();
      list = this.stmts.links.all(eventId) as LinkRow[];
      this.linkCache.set(eventId, list);
    }
    return list;
  }

  /** The objects an event is about (links of at least minConfidence, not the emitter), surest first. */
  links(eventId: number): LinkRow[] {
    return this.allLinks(eventId).filter((l) => l.confidence >= this.minConfidence && l.via !== 'emitter');
  }

  /** The pod whose container wrote the event (the linker's `emitter` link), when known. */
  writer(eventId: number): ObjectRow | undefined {
    return this.allLinks(eventId).find((l) => l.via === 'emitter');
  }

  /**
   * writer(eventId)?.id without reading and caching the event's links: for a rule that asks it of
   * every line of a long run (42k CoreDNS errors at scale 20 held 150 MB of cached links).
   */
  writerId(eventId: number): number | undefined {
    return this.stmts.writerId.get(eventId) as number | undefined;
  }

  object(id: number): ObjectRow | undefined {
    if (!this.objectCache.has(id)) this.objectCache.set(id, this.stmts.object.get(id) as ObjectRow | undefined);
    return this.objectCache.get(id);
  }

  objectByUid(uid: string): ObjectRow | undefined {
    return this.stmts.byUid.get(uid, this.scope.params) as ObjectRow | undefined;
  }

  objectsNamed(kind: string, namespace: string | null | undefined, name: string): ObjectRow[] {
    const ns = namespace ?? null;
    return this.stmts.byName.all(kind, name, ns, ns, this.scope.params) as ObjectRow[];
  }

  /**
   * Objects of a kind whose name is `prefix` + `separator` + anything. The Events recorded about an
   * object are named `<object name>.<hex>` (which is how the apiserver's and audit's lines about
   * those Events lead back to the object); a Service's EndpointSlices `<service>-<suffix>`.
   */
  objectsNamedAfter(kind: string, namespace: string | null, prefix: string, separator: '.' | '-' = '.'): ObjectRow[] {
    if (!this.hasKind(kind)) return [];
    // [prefix + sep, prefix + the character after sep) is exactly "starts with prefix + sep".
    const next = String.fromCharCode(separator.charCodeAt(0) + 1);
    return this.stmts.prefixed.all(kind, namespace, `${prefix}${separator}`, `${prefix}${next}`, this.scope.params) as ObjectRow[];
  }

  /**
   * Whether the view holds any object of a kind (asked once per kind). A pod rule asks per pod for
   * the Events named after it, and a store with no Event objects (the linker makes one only from
   * a UID, such as an Event document's) answered each with an empty range: 6 s of the crash-loop
   * rule on a 5M-event store.
   */
  private hasKind(kind: string): boolean {
    const key = kind.toLowerCase();
    let has = this.kinds.get(key);
    if (has === undefined) {
      has = this.stmts.anyOfKind.get(kind, this.scope.params) !== undefined;
      this.kinds.set(key, has);
    }
    return has;
  }

  objectsOfKind(kind: string): ObjectRow[] {
    return this.stmts.ofKind.all(kind, this.scope.params) as ObjectRow[];
  }

  /**
   * The stored object a reference means at a time: by UID, else the same-named object whose
   * lifetime (with slack) holds the time, preferring one with a UID, else the nearest in time.
   */
  resolve(ref: { kind: string; namespace?: string | null; name?: string | null; uid?: string | null }, time: number): ObjectRow | undefined {
    if (ref.uid) {
      const o = this.objectByUid(ref.uid);
      if (o) return o;
    }
    if (!ref.name) return undefined;
    const named = this.objectsNamed(ref.kind, ref.namespace, ref.name);
    if (named.length === 0) return undefined;
    const holds = named.filter(
      (o) => time >= (o.firstSeen ?? time) - LIFETIME_SLACK && time <= (o.deleted ?? o.lastSeen ?? time) + LIFETIME_SLACK,
    );
    const pool = holds.length ? holds : named;
    const withUid = pool.filter((o) => o.uid);
    const best = withUid.length ? withUid : pool;
    let nearest = best[0]!;
    let dist = Infinity;
    for (const o of best) {
      const d = time < (o.firstSeen ?? time) ? (o.firstSeen ?? time) - time : Math.max(0, time - (o.lastSeen ?? time));
      if (d < dist) {
        dist = d;
        nearest = o;
      }
    }
    return nearest;
  }

  /**
   * The object of a kind an event is about: among its links, the one the hint names (or the only
   * one of that kind); else the hint resolved by UID or name. Emitter links never count: the pod
   * that wrote a line is not what the line is about.
   */
  objectOf(e: EventRow, kind: string, hint?: { namespace?: string | null; name?: string | null; uid?: string | null }): ObjectRow | undefined {
    const linked = this.links(e.id).filter((l) => l.kind.toLowerCase() === kind.toLowerCase());
    if (hint?.uid) {
      const byUid = linked.find((l) => l.uid === hint.uid);
      if (byUid) return byUid;
    }
    if (hint?.name) {
      const byName = linked.find((l) => l.name === hint.name && (!hint.namespace || !l.namespace || l.namespace === hint.namespace));
      if (byName) return byName;
    } else if (!hint?.uid && linked.length === 1) {
      return linked[0];
    }
    return hint ? this.resolve({ kind, ...hint }, e.time) : undefined;
  }

  /**
   * Events linked to an object (at least minConfidence, never as emitter) within [from, to],
   * optionally only from some components (a pod's DNS lookups are linked to it too, and are
   * thousands of lines that say nothing about its crash). The window is tested in the links'
   * index (eventsAboutSql).
   */
  eventsAbout(objectId: number, from: number, to: number, components?: readonly string[]): EventRow[] {
    if (!components) return (this.stmts.about.all(objectId, this.minConfidence, from, to) as RawEventRow[]).map(toEventRow);
    const rows = this.aboutStatement(components, false).all(objectId, this.minConfidence, from, to, ...components) as RawEventRow[];
    return rows.map(toEventRow);
  }

  /**
   * eventsAbout's ids alone, in its order: for evidence, which needs nothing else. Each event's row
   * is still read (for its component), but none is made into an object with its fields parsed:
   * the crash-loop rule's pod stories took 18 s of a 5M-event store's detection as whole rows.
   */
  eventIdsAbout(objectId: number, from: number, to: number, components: readonly string[]): number[] {
    return this.aboutStatement(components, true).all(objectId, this.minConfidence, from, to, ...components) as number[];
  }

  private aboutStatement(components: readonly string[], idsOnly: boolean): Database.Statement {
    const key = `${idsOnly ? 'ids' : 'rows'}:${components.join(',')}`;
    let stmt = this.aboutIn.get(key);
    if (!stmt) {
      stmt = idsOnly ? this.db.prepare(eventsAboutSql(components.length, 'l.event_id')).pluck() : this.db.prepare(eventsAboutSql(components.length));
      this.aboutIn.set(key, stmt);
    }
    return stmt;
  }

  owners(objectId: number): ObjectRow[] {
    if (!this.mayBeOwned(objectId)) return [];
    return this.stmts.owners.all(objectId) as ObjectRow[];
  }

  /**
   * Whether an object is owned by anything, from one read of the owner edges: a byte per object
   * id (ids are dense), 1 where an edge names it as owned. The pod rules ask every failing pod's
   * owners, and a store whose pods have none answered each with an empty lookup: 4.8 s of the
   * crash-loop rule on the 5M-event bench input (625k pods, 97 owner edges).
   */
  private mayBeOwned(objectId: number): boolean {
    if (!this.ownedBytes) {
      const ids = this.stmts.ownedIds.all() as number[];
      this.ownedBytes = new Uint8Array(ids.reduce((max, id) => Math.max(max, id), 0) + 1);
      for (const id of ids) this.ownedBytes[id] = 1;
    }
    return this.ownedBytes[objectId] === 1;
  }

  /** How an owner edge was made (created-by, scaled-by, ownerReferences... or name-pattern, a guess). */
  ownerVia(ownedId: number, ownerId: number): string | undefined {
    return (this.stmts.ownerVia.get(ownedId, ownerId) as { via: string } | undefined)?.via;
  }

  owned(objectId: number): ObjectRow[] {
    return this.stmts.owned.all(objectId) as ObjectRow[];
  }

  /**
   * The controlling owner chain upwards (Pod -> ReplicaSet -> Deployment), the object excluded.
   * `owners`: the object's own owners, when the caller has read them already (owners(objectId)).
   */
  ownerChain(objectId: number, owners?: readonly ObjectRow[]): ObjectRow[] {
    const chain: ObjectRow[] = [];
    const seen = new Set([objectId]);
    let current = objectId;
    for (let depth = 0; depth < 8; depth++) {
      const up = (depth === 0 && owners ? owners : this.owners(current)).find((o) => !seen.has(o.id));
      if (!up) break;
      chain.push(up);
      seen.add(up.id);
      current = up.id;
    }
    return chain;
  }

  /** The references the parser found in an event (before any linking). */
  refs(eventId: number): RefRow[] {
    return this.stmts.refs.all(eventId) as RefRow[];
  }

  sourceDisplay(sourceId: number): string {
    const r = this.stmts.display.get(sourceId) as { display: string } | undefined;
    return r?.display ?? '?';
  }

  hasObjects(): boolean {
    return (this.stmts.objectCount.get(this.scope.params) as { n: number }).n > 0;
  }
}
