/**
 * The store interface: every question ktrail asks of its stored events, objects and incidents,
 * and the only way the commands, the TUI, the reports, the exporters and the correlator reach
 * the store. It is shaped around those questions, not around SQLite: the SQLite backend
 * (sqlite-store.ts, composed of one query module per area) implements it today, and a ClickHouse
 * backend can implement it later without touching its callers. Pragmas, FTS5, rowid paging and
 * the SQL text itself stay behind it.
 *
 * One row type per table: SourceRow (sources), StoredEvent (events with their event_refs as
 * ObjectRef), StoredObject (objects), LinkedObject (event_objects with the object),
 * OwnerEdgeRow (owners), IncidentRecord (incidents with the root object), EvidenceRow
 * (incident_evidence with where the event sits in the files).
 *
 * Clusters. Sources, events, objects and incidents carry the cluster they belong to (`cluster`,
 * '' when the input had no name). A store opened for one cluster (openStore's `cluster`, or
 * inCluster) answers every read of events, objects, incidents and sources from that cluster
 * only; without one it answers from all of them. The writer and the correlator's area are not
 * limited: a source's cluster is in its SourceMeta, and correlation rebuilds every cluster, each
 * on its own (an object, a link or an incident never spans two clusters).
 */
import type { KEvent, Severity } from '../model/event.js';
import type { SqlFilter } from '../query/compile-sql.js';
import type { SourceMeta } from './fingerprint.js';
import type { CorrelationStore } from './correlation.js';
import type { ObjectIdentity } from './object-identity.js';
import type { IncidentDetectionStore } from './incident-detection.js';
import type { SignalRegistry } from './signals.js';

// ---- events ----

/** Where an event sits in the (time, id) order. */
export interface Position {
  time: number;
  id: number;
}

/** An event read back from the store: the KEvent, with its id (also its seq) and its source row. */
export interface StoredEvent extends KEvent {
  id: number;
  sourceId: number;
  /** The cluster of its source. */
  cluster: string;
}

export interface PageOptions {
  filter?: SqlFilter;
  /** Events strictly after this position (ascending). */
  after?: Position;
  /** Events strictly before this position: the `limit` closest ones, still returned ascending. */
  before?: Position;
  limit: number;
}

export interface HistogramBucket {
  /** Epoch microseconds, inclusive. */
  start: number;
  /** Epoch microseconds, exclusive. */
  end: number;
  /** Event counts by severity rank: [debug, info, warn, error, fatal]. */
  counts: [number, number, number, number, number];
}

export interface HistogramOptions {
  from: number;
  /** Exclusive. */
  to: number;
  buckets: number;
  filter?: SqlFilter;
}

/** Events of one component at one severity rank. */
export interface ComponentSeverityCount {
  component: string;
  severity: number;
  events: number;
}

/** Events of one component in one time bucket, warnings-or-worse counted apart. */
export interface ComponentBucketCount {
  component: string;
  bucket: number;
  /** Severity rank at least `warnRank`. */
  warn: boolean;
  events: number;
}

/** Events in a range with a filter, in (time, id) order; counts over them. */
export interface ByIdsOptions {
  /** Read each event's references (StoredEvent.objects); true when absent. */
  refs?: boolean;
}

export interface EventQueries {
  count(filter?: SqlFilter): number;
  /** How many (filtered) events come before a position: where a scrollbar's thumb goes. */
  countBefore(position: Position, filter?: SqlFilter): number;
  /** A page after `after` (from the start when absent), or the last `limit` before `before`. */
  page(opts: PageOptions): StoredEvent[];
  /**
   * Events by id, in the order asked (unknown ids are left out). `refs: false` leaves out what the
   * parsers found (`objects` is empty) for output that does not show it: `trace` as text, where
   * reading every event's references was a quarter of the command (a pod's 1,995 events on the
   * scale-20 store: ~100 of ~420 ms, random page reads).
   */
  byIds(ids: readonly number[], opts?: ByIdsOptions): StoredEvent[];
  /** Ids of all (filtered) events in (time, id) order; for tests and exports of modest size. */
  ids(filter?: SqlFilter): number[];
  /** First and last event time, optionally filtered; undefined when nothing matches. */
  timeRange(filter?: SqlFilter): { from: number; to: number } | undefined;
  /** Counts by severity in `buckets` equal slices of [from, to). */
  histogram(opts: HistogramOptions): HistogramBucket[];
  /** Counts per component and severity over the whole store. */
  countsByComponent(): ComponentSeverityCount[];
  /**
   * Counts per component in `buckets` slices of `width` microseconds from `from` (events after
   * the last slice fall into it), split at severity rank `warnRank`.
   */
  countsByComponentBucket(from: number, width: number, buckets: number, warnRank: number): ComponentBucketCount[];
  /** Ids of events at `minSeverity` or above, with a time, in (time, id) order. */
  idsAtLeast(minSeverity: number, limit: number): number[];
  /** An even sample of event ids (every `step`-th), with a time, in (time, id) order. */
  sampleIds(step: number, limit: number): number[];
  /** The newest event id: grows whenever events are added (follow mode polls it). */
  newestId(): number;
  /** Where every event sits in its file, by file then line (streamed: the evaluation's locator). */
  locations(): Iterable<EventLocation>;
  /** The raw text of the events of sources whose display name ends with one of `suffixes`. */
  rawOfSources(suffixes: readonly string[]): Iterable<{ id: number; file: string; raw: string }>;
}

export interface EventLocation {
  id: number;
  file: string;
  line: number;
  endLine: number;
  component: string;
}

// ---- objects and links ----

export interface StoredObject extends ObjectIdentity {
  first_seen: number | null;
  last_seen: number | null;
  deleted: number | null;
}

/** A link of an event to an object (event_objects), with the object. */
export interface LinkedObject extends ObjectIdentity {
  via: string;
  confidence: number;
}

export interface OwnerEdgeRow {
  ownerId: number;
  ownedId: number;
  via: string;
  confidence: number;
}

export interface TimelineStep {
  eventId: number;
  time: number;
  /** Microseconds since the previous step (0 for the first). */
  sincePrevious: number;
  /** The objects of the timeline this event is linked to, and how. */
  links: { objectId: number; via: string; confidence: number }[];
}

export interface Timeline {
  root: StoredObject;
  /** The root and every object it owns, transitively, with its depth below the root. */
  objects: (StoredObject & { depth: number; ownerVia?: string })[];
  steps: TimelineStep[];
}

/** How many objects a name matches, and the first and last of their first sightings (null: none known). */
export interface NameMatchCount {
  count: number;
  firstSeen: number | null;
  lastSeen: number | null;
}

export interface ObjectQueries {
  count(): number;
  byId(id: number): StoredObject | undefined;
  /** Objects by UID, or by kind/namespace/name (namespace null: any namespace), oldest first. */
  byUid(uid: string): StoredObject[];
  /** `newest`: only the newest that many (by first sighting, ties by id), still oldest first. */
  byName(kind: string | null, namespace: string | null, name: string, newest?: number): StoredObject[];
  /** What byName would return, counted, with the span of their first sightings. */
  countByName(kind: string | null, namespace: string | null, name: string): NameMatchCount;
  /** An object and what it owns, with every linked event in time order (see correlate/timeline.ts). */
  timeline(root: StoredObject, opts?: { limit?: number; minConfidence?: number }): Timeline;
  /** The timelines of several roots (each as timeline() gives it) in a few reads whatever their number. */
  timelines(roots: readonly StoredObject[], opts?: { limit?: number; minConfidence?: number }): Timeline[];
  /** An object's owners, nearest first, by the strongest edge at each level. */
  ownerChain(id: number): StoredObject[];
  /** Owner edges with both ends among `ids`. */
  ownerEdgesAmong(ids: readonly number[]): OwnerEdgeRow[];
  /** Objects of these kinds that no object of these kinds owns and that some event is linked to. */
  roots(kinds: readonly string[]): StoredObject[];
  /** The objects an event is linked to, strongest first (empty before correlation). */
  linksOf(eventId: number): LinkedObject[];
  /** linksOf for many events in one read. */
  linksOfEvents(ids: readonly number[]): Map<number, LinkedObject[]>;
  /** Every link at `minConfidence` or above, with its event's time (streamed). */
  allLinks(minConfidence: number): Iterable<EventLink>;
  /** Every UID an object has. */
  uids(): string[];
}

export interface EventLink {
  eventId: number;
  time: number;
  cluster: string;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
}

// ---- incidents ----

export { EVIDENCE_ROLES, evidenceRoleRank, type EvidenceRole } from './evidence-roles.js';

export interface CauseStep {
  kind: string;
  object: string;
  time: number;
  summary: string;
  incidentId?: number;
}

/** An incident's details JSON, read leniently: odd or missing members come back empty. */
export interface IncidentDetailsRead {
  root?: { kind: string; namespace: string | null; name: string | null; uid: string | null; label: string };
  components: string[];
  counts: Record<string, number>;
  causeChain: CauseStep[];
  /** The whole parsed details, for machine output. */
  raw: Record<string, unknown> | null;
}

export interface IncidentRecord {
  id: number;
  /** The cluster it was detected in (from that cluster's events only). */
  cluster: string;
  kind: string;
  severity: Severity;
  start: number;
  end: number;
  summary: string;
  rootObjectId: number | null;
  /** The root object when it is stored. */
  root: StoredObject | null;
  details: IncidentDetailsRead;
}

export interface EvidenceRow {
  incidentId: number;
  eventId: number;
  role: string;
  time: number;
  component: string;
  /** For a line of component `other`: the writer its envelope named (containerd, systemd...). */
  writer: string | null;
  file: string;
  line: number;
  endLine: number;
  message: string;
}

export interface IncidentQueries {
  /** Every incident, in start order. */
  list(): IncidentRecord[];
  /** How many incidents there are (list() without reading them). */
  count(): number;
  get(id: number): IncidentRecord | undefined;
  /** An incident's evidence in EVIDENCE_ROLES order, then time order. */
  evidence(incidentId: number, limit?: number): EvidenceRow[];
  /** The evidence of several incidents, each event once with its strongest role. */
  evidenceOfAll(incidentIds: readonly number[], limit: number): Map<number, string>;
}

// ---- sources ----

export interface SourceRow {
  id: number;
  path: string;
  display: string;
  cluster: string;
  size: number | null;
  mtime: number | null;
  fingerprint: string | null;
  envelope: string | null;
  complete: boolean;
  stats: unknown;
  /** Epoch milliseconds of the ingest that began it. */
  ingestedAt: number | null;
}

export interface SourceQueries {
  list(): SourceRow[];
  /** Sources an ingest began and did not finish (killed, or still running). */
  incomplete(): SourceRow[];
  /** An ingest stored its sources and did not finish correlating them (killed, or still running). */
  correlationPending(): boolean;
  /** The newest source row of a file (by display name or path), complete ones first. */
  idOf(display: string, path: string): number | undefined;
  /** The clusters the store holds sources of, in name order (with a scope: that one, if stored). */
  clusters(): string[];
}

// ---- writing ----

export interface WriterOptions {
  batchSize?: number;
  /**
   * Bulk mode: build the indexes once at the end instead of row by row. Default: on when the
   * store has no events yet (the usual first ingest into a fresh cache database).
   */
  bulk?: boolean;
  /** Called after each committed batch with the number of events committed so far. */
  onCommit?: (eventsCommitted: number) => void;
  /**
   * The signals' registry (src/signals/): a first ingest recognizes each event's signals as it
   * writes it, and the signals pass that follows keeps them instead of reading every event back.
   */
  signals?: SignalRegistry;
  /**
   * This writer's ingest correlates what it wrote afterwards (`ktrail ingest`, not follow): each
   * source it begins marks the store's correlation pending until CorrelationStore.finished (schema.ts).
   */
  correlates?: boolean;
}

export interface SourceBegin {
  id: number;
  /** The same file (path and fingerprint) is already stored completely: add nothing. */
  skip: boolean;
  /** Events deleted from an earlier, incomplete or outdated, ingest of the same path. */
  discardedEvents: number;
}

/**
 * Events into the store: beginSource per input (skip those with skip: true), addEvents or
 * addMergedEvents, completeSource(s) once a source's events are all added, close() at the end.
 * A source is complete only once completeSource has run: readers treat any other as interrupted.
 */
export interface EventWriter {
  beginSource(meta: SourceMeta): SourceBegin;
  addEvents(sourceId: number, events: readonly KEvent[]): void;
  /** Routes each event by its source.file to the id beginSource gave; returns how many were queued. */
  addMergedEvents(events: readonly KEvent[], sourceIds: ReadonlyMap<string, number>): number;
  flush(): void;
  completeSource(sourceId: number, stats?: object): void;
  completeSources(list: readonly { id: number; stats?: object }[]): void;
  readonly eventsCommitted: number;
  close(): void;
}

// ---- the store ----

export interface SqlResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface KtrailStore {
  /** The file as given, or ':memory:'. */
  readonly file: string;
  /** The cluster every read is limited to; undefined: every cluster. */
  readonly cluster: string | undefined;
  /**
   * The same store with every read limited to `cluster` (undefined: every cluster). It shares
   * this store's connection: closing either closes both.
   */
  inCluster(cluster: string | undefined): KtrailStore;
  readonly events: EventQueries;
  readonly objects: ObjectQueries;
  readonly incidents: IncidentQueries;
  readonly sources: SourceQueries;
  /** The correlator's reads and writes (src/correlate/link.ts and its passes). */
  readonly correlation: CorrelationStore;
  /** Incident detection's signals pass, rule view and incident write (src/correlate/incidents/). */
  readonly detection: IncidentDetectionStore;
  writer(opts?: WriterOptions): EventWriter;
  /**
   * A user's SQL, read-only whatever it says (`ktrail sql`): statements that write, and PRAGMAs
   * that could, are refused with SqlRefusedError.
   */
  readOnlySql(sql: string): SqlResult;
  close(): void;
}

export class SqlRefusedError extends Error {
  override name = 'SqlRefusedError';
}
