/**
 * Identity and linking: turns the references the parsers found (event_refs) into objects, links
 * every event to the objects it is about (event_objects, with how and how surely), and builds the
 * owner graph (owners). Runs over the store after ingest; running it again rebuilds everything.
 *
 * Two steps:
 *  1. every UID makes its object (kind, namespace, name, lifetime) from its sightings: the refs
 *     that carry it, grouped by the store into a few rows per object (uidSightings);
 *  2. one ordered scan of every ref resolves it: by UID; else by kind/namespace/name to the UID
 *     whose lifetime holds the event's time (names are reused: a name maps to a UID only within
 *     that UID's lifetime); else to a name-only object. Container IDs seen beside a pod UID are
 *     remembered on the way, and events that name a container only are linked to its pod after.
 * Memory holds the objects, never the events: the scan streams from the store and the links go
 * back to it in bulk.
 *
 * Each cluster is linked on its own, with its own index, from reads limited to its events: a UID,
 * a name, a container ID or a pod IP in one cluster never resolves to an object of another, and
 * the same UID in two clusters is two objects. Object ids run on across clusters.
 */
import type { CorrelationRefRow, CorrelationStore, CorrelationWriter, UidSighting } from '../store/correlation.js';
import { isClusterScopedKind } from '../../parsers/payload/k8s-kinds.js';
import { inferOwners, type OwnerEdge } from './owners.js';
import { linkDnsClients, podIpIndex } from './dns-clients.js';
import { linkByTime } from './inferred.js';
import type { LinkedObj, LinkFn, ObjectLookup } from './link-types.js';
import { startPhase, timePhase } from '../util/phase-timing.js';
import { releaseDeadData, releaseGarbage, releasePhaseGarbage } from '../util/release-garbage.js';
import { Interner } from '../util/interner.js';

/** How far outside a UID's first and last sightings a same-named reference still means it. */
const LIFETIME_SLACK_MICROS = 5 * 60 * 1_000_000;

/** Confidence of each way of linking; the evaluation counts links of at least 0.5. */
export const CONFIDENCE = {
  uid: 1,
  name: 0.95, // kind/namespace/name within the UID's lifetime
  nameOnly: 0.9, // no UID known for that name anywhere: the name is the identity
  containerId: 0.9,
  nameNearest: 0.6, // outside every lifetime of that name: the nearest UID in time
  emitter: 0.4, // the pod whose container wrote the line: its writer, not what it is about
  emitterSelf: 0.9, // ...except where the writer reports on itself (see selfReport)
} as const;

export interface LinkSummary {
  objects: number;
  links: number;
  owners: number;
  byVia: Record<string, number>;
}

type RefRow = CorrelationRefRow;

function nameKey(kind: string, namespace: string | null, name: string): string {
  return `${kind.toLowerCase()}\u0000${isClusterScopedKind(kind) ? '' : (namespace ?? '')}\u0000${name}`;
}

/** A nameKey without its namespace: kind and name. Names hold no NUL, so the name is after the last. */
function kindNameKey(key: string): string {
  return `${key.slice(0, key.indexOf('\u0000'))}\u0000${key.slice(key.lastIndexOf('\u0000') + 1)}`;
}

/** Container IDs as the kubelet, containerd and kind's file names write them, to their hex. */
export function normalizeContainerId(text: string): string | undefined {
  const m = /(?:^|:\/\/)([0-9a-f]{12,64})$/.exec(text.trim());
  return m ? m[1] : undefined;
}

/**
 * The objects of one cluster as the linker makes them: columns by position (id - firstId), not an
 * object per object. At 1.25M objects (the 5M-event bench input) an object each, with its boxed
 * times, was ~260 bytes with its UID's map entry, and the index peaked the linker's steps.
 */
export class ObjectIndex implements ObjectLookup {
  constructor(
    /** The cluster every object of this index belongs to. */
    readonly cluster = '',
    /** The id of the first object made (ids are unique across the store's clusters). */
    private readonly firstId = 1,
  ) {}

  private readonly uids: (string | null)[] = [];
  private readonly kinds: string[] = [];
  private readonly namespaces: (string | null)[] = [];
  private readonly names: (string | null)[] = [];
  /** Lifetimes (microseconds): arrays of numbers only, which V8 holds unboxed. */
  private readonly firsts: number[] = [];
  private readonly lasts: number[] = [];

  private readonly idOfUid = new Map<string, number>();
  /** UID objects by nameKey, oldest first. */
  private readonly byName = new Map<string, number[]>();
  /**
   * byName's lists again by kind and name alone, in byName's order: what a reference without
   * namespace may mean (uniqueAcrossNamespaces), found without a walk over every name.
   */
  private readonly byKindName = new Map<string, number[][]>();
  /** Name-only objects (no UID ever seen for the name), by nameKey. */
  private readonly nameOnly = new Map<string, number>();

  /**
   * One copy of each kind and namespace the objects hold: each row SQLite gives is new strings,
   * and a store has few of either. (Not names: most are unique.)
   */
  private readonly strings = new Interner();

  /** Called with each object made after it is set (step 2 writes them at once). */
  onCreate: ((id: number) => void) | undefined;

  /** How many objects the index made. */
  get size(): number {
    return this.kinds.length;
  }

  /** Every object's id, in the order made (ids are consecutive from firstId). */
  *ids(): IterableIterator<number> {
    for (let i = 0; i < this.kinds.length; i++) yield this.firstId + i;
  }

  /** Whether this index made the object of an id (another cluster's index made the others). */
  has(id: number): boolean {
    return id >= this.firstId && id < this.firstId + this.kinds.length;
  }

  byUid(uid: string): number | undefined {
    return this.idOfUid.get(uid);
  }

  kind(id: number): string {
    return this.kinds[id - this.firstId]!;
  }

  namespace(id: number): string | null {
    return this.namespaces[id - this.firstId]!;
  }

  name(id: number): string | null {
    return this.names[id - this.firstId]!;
  }

  first(id: number): number {
    return this.firsts[id - this.firstId]!;
  }

  last(id: number): number {
    return this.lasts[id - this.firstId]!;
  }

  /** The object as the store writes it: a new object each call, for the write alone. */
  row(id: number): LinkedObj {
    const at = id - this.firstId;
    return {
      id,
      cluster: this.cluster,
      uid: this.uids[at]!,
      kind: this.kinds[at]!,
      namespace: this.namespaces[at]!,
      name: this.names[at]!,
      first: this.firsts[at]!,
      last: this.lasts[at]!,
      // The logs never tell the linker of a deletion: a name's next UID ends its lifetime instead.
      deleted: null,
    };
  }

  private make(uid: string | null, kind: string, namespace: string | null, name: string | null, time: number): number {
    const id = this.firstId + this.kinds.length;
    this.uids.push(uid);
    this.kinds.push(this.strings.of(kind));
    this.namespaces.push(this.strings.of(namespace));
    this.names.push(name);
    this.firsts.push(time);
    this.lasts.push(time);
    this.onCreate?.(id);
    return id;
  }

  /** Widens an object's lifetime to hold `time`. */
  private see(at: number, first: number, last: number): void {
    if (first < this.firsts[at]!) this.firsts[at] = first;
    if (last > this.lasts[at]!) this.lasts[at] = last;
  }

  /**
   * Step 1: one sighting of a UID, given in the order of their first references. The first makes
   * the object as its first reference names it; a later one gives a name or namespace still
   * missing (the first reference to carry one holds the sighting that comes first with it) and
   * widens the lifetime.
   */
  seeUid(s: UidSighting): number {
    let id = this.idOfUid.get(s.uid);
    if (id === undefined) {
      id = this.make(s.uid, s.kind, isClusterScopedKind(s.kind) ? null : s.namespace, s.name, s.first);
      this.idOfUid.set(s.uid, id);
    }
    const at = id - this.firstId;
    this.see(at, s.first, s.last);
    if (!this.names[at] && s.name) this.names[at] = s.name;
    if (!this.namespaces[at] && s.namespace && !isClusterScopedKind(this.kinds[at]!)) this.namespaces[at] = this.strings.of(s.namespace);
    return id;
  }

  /** After step 1: index the UID objects by name, oldest first. */
  indexNames(): void {
    for (const id of this.idOfUid.values()) {
      const name = this.name(id);
      if (!name) continue;
      const key = nameKey(this.kind(id), this.namespace(id), name);
      const list = this.byName.get(key);
      if (list) list.push(id);
      else this.byName.set(key, [id]);
    }
    for (const list of this.byName.values()) list.sort((a, b) => this.first(a) - this.first(b));
    for (const [key, list] of this.byName) {
      const k = kindNameKey(key);
      const lists = this.byKindName.get(k) ?? [];
      lists.push(list);
      this.byKindName.set(k, lists);
    }
  }

  /** Step 2: the object a name means at a time, and how surely. */
  resolveName(kind: string, namespace: string | null, name: string, time: number): { id: number; via: string; confidence: number } {
    const key = nameKey(kind, namespace, name);
    const candidates = this.byName.get(key) ?? (namespace === null ? this.uniqueAcrossNamespaces(kind, name) : undefined);
    if (candidates && candidates.length) {
      // Candidates are sorted by first sighting: the last one that started (allowing the slack)
      // before the event is the one to check first; a few earlier ones may still hold it.
      let lo = 0;
      let hi = candidates.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.first(candidates[mid]!) - LIFETIME_SLACK_MICROS <= time) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
        const c = candidates[i]!;
        if (time <= this.last(c) + LIFETIME_SLACK_MICROS) return { id: c, via: 'name', confidence: CONFIDENCE.name };
      }
      const before = candidates[lo - 1];
      const after = candidates[lo];
      const nearest =
        before === undefined ? after! : after === undefined ? before : time - this.last(before) <= this.first(after) - time ? before : after;
      return { id: nearest, via: 'name-nearest', confidence: CONFIDENCE.nameNearest };
    }
    let id = this.nameOnly.get(key);
    if (id === undefined) {
      id = this.make(null, kind, isClusterScopedKind(kind) ? null : namespace, name, time);
      this.nameOnly.set(key, id);
    }
    this.see(id - this.firstId, time, time);
    return { id, via: 'name', confidence: CONFIDENCE.nameOnly };
  }

  /** A reference without namespace (kubectl --prefix pods, "Created pod: x") that one UID object fits. */
  private uniqueAcrossNamespaces(kind: string, name: string): number[] | undefined {
    const found = (this.byKindName.get(`${kind.toLowerCase()}\u0000${name}`) ?? []).flat();
    const namespaces = new Set(found.map((id) => this.namespace(id)));
    return namespaces.size === 1 ? found : undefined;
  }
}

/**
 * Lines whose writer is also their subject: an etcd member's log is about that member (its raft
 * state, its membership, its own slow applies), and a CoreDNS error is that DNS pod failing to
 * answer. Other components mostly write about other objects (the kubelet about pods, CoreDNS's
 * query log about the asking client), so their emitter is only a weak link.
 */
function selfReport(r: RefRow): boolean {
  return r.component === 'etcd' || (r.component === 'coredns' && r.severity >= 3);
}

export function linkObjects(store: CorrelationStore): LinkSummary {
  const summary: LinkSummary = { objects: 0, links: 0, owners: 0, byVia: {} };
  const end = startPhase('link');
  const clusters = store.clusters();
  store.rebuild((w) => {
    for (const cluster of clusters) {
      const one = linkCluster(store.inCluster(cluster), new ObjectIndex(cluster, summary.objects + 1), w);
      summary.objects += one.objects;
      summary.links += one.links;
      summary.owners += one.owners;
      for (const [via, n] of Object.entries(one.byVia)) summary.byVia[via] = (summary.byVia[via] ?? 0) + n;
    }
    // The clusters' indexes and everything their scans read are garbage now: freed before the
    // store sorts the links' and objects' indexes (SQLite's memory on top of V8's), and so before
    // detection's rules.
    releaseDeadData();
  });
  end();
  return summary;
}

/** Links one cluster: `store` reads that cluster's events only, `index` makes its objects. */
function linkCluster(store: CorrelationStore, index: ObjectIndex, w: CorrelationWriter): LinkSummary {
  /** Each container ID's pod (its object id). */
  const containers = new Map<string, number>();
  const uids = startPhase('link: container ids and uids');
  const cidByEvent = new Map<number, { cid: string; time: number }>();
  for (const row of store.containerIds()) {
    const cid = typeof row.containerId === 'string' ? normalizeContainerId(row.containerId) : undefined;
    if (cid) cidByEvent.set(row.eventId, { cid, time: row.time });
  }
  // Step 1: the UID objects.
  for (const s of store.uidSightings()) index.seeUid(s);
  index.indexNames();
  // The sightings read are garbage (promoted while the index grew): freed before the scan.
  releasePhaseGarbage();
  uids();

  // Step 2: resolve every reference and write the links, replacing the previous correlation.
  const byVia: Record<string, number> = {};
  let links = 0;
  // Refs arrive grouped by event: keep the surest link per object of the current event, and write
  // them when the event changes (one plain INSERT each, no conflict handling in SQL).
  let current = -1;
  let currentTime = 0;
  const pending = new Map<number, { via: string; confidence: number }>();
  let insertLink: CorrelationWriter['insertLink'] = () => {};
  const flushLinks = (): void => {
    for (const [objectId, l] of pending) {
      insertLink(current, currentTime, objectId, l.via, l.confidence);
      byVia[l.via] = (byVia[l.via] ?? 0) + 1;
      links++;
    }
    pending.clear();
  };
  const link: LinkFn = (eventId, time, objectId, via, confidence) => {
    if (eventId !== current) {
      flushLinks();
      current = eventId;
      currentTime = time;
    }
    const had = pending.get(objectId);
    if (!had || confidence > had.confidence) pending.set(objectId, { via, confidence });
  };

  const owners = ((): number => {
    insertLink = w.insertLink;
    // Objects exist before the links that name them (foreign keys); their lifetimes and names are
    // completed at the end, since step 2 still widens them.
    timePhase('link: objects', () => {
      for (const id of index.ids()) w.insertObject(index.row(id));
    });
    index.onCreate = (id) => w.insertObject(index.row(id));
    // Events with a container ID that also name a pod: the container-ID pass leaves them alone.
    // Only those are remembered (not every event linked to a pod): memory bounded by them.
    const linkedPod = new Set<number>();
    const namesPod = (r: RefRow): void => {
      if (r.kind === 'Pod' && cidByEvent.has(r.event_id)) linkedPod.add(r.event_id);
    };
    const refs = startPhase('link: refs');
    let scanned = 0;
    for (const r of store.refsInEventOrder()) {
      if ((++scanned & 0xfff) === 0) releaseGarbage();
      if (r.key === 'emitter') {
        if (r.uid) {
          const self = selfReport(r);
          link(r.event_id, r.time, index.byUid(r.uid)!, self ? 'emitter-self' : 'emitter', self ? CONFIDENCE.emitterSelf : CONFIDENCE.emitter);
        }
        continue;
      }
      if (r.uid) {
        const o = index.byUid(r.uid)!;
        link(r.event_id, r.time, o, 'uid', CONFIDENCE.uid);
        namesPod(r);
        // The pod of a container: the first pod UID named beside that container's ID.
        const cid = r.kind === 'Pod' ? cidByEvent.get(r.event_id)?.cid : undefined;
        if (cid && !containers.has(cid)) containers.set(cid, o);
        continue;
      }
      if (!r.name) continue; // a collection (list pods in a namespace): about no single object
      // An Event is a record about another object, not an object of the cluster's own: requests
      // that write one (the HTTP and audit lines of every recorded Event) stay in event_refs, where
      // a query can still find them, but make no object to trace.
      if (r.kind === 'Event') continue;
      const { id, via, confidence } = index.resolveName(r.kind, r.namespace, r.name, r.time);
      link(r.event_id, r.time, id, via, confidence);
      namesPod(r);
    }
    flushLinks();
    releasePhaseGarbage();
    refs();
    // Events that name a container and no pod: the pod that container belongs to.
    for (const [eventId, { cid, time }] of cidByEvent) {
      const pod = containers.get(cid);
      if (pod && !linkedPod.has(eventId)) link(eventId, time, pod, 'container-id', CONFIDENCE.containerId);
    }
    flushLinks();
    timePhase('link: dns clients', () => linkDnsClients(store, podIpIndex(store, index), link));
    flushLinks();
    timePhase('link: by time', () => linkByTime(store, (id) => index.has(id), link));
    flushLinks();

    const edges: OwnerEdge[] = timePhase('link: owners', () => inferOwners(store, index));
    timePhase('link: objects again, owners', () => {
      for (const id of index.ids()) w.updateObject(index.row(id));
      for (const e of edges) w.upsertOwner(e.owner, e.owned, e.via, e.confidence);
    });
    return edges.length;
  })();
  index.onCreate = undefined;
  return { objects: index.size, links, owners, byVia };
}

