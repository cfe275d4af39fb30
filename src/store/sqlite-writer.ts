/**
 * The ingest writer: events into the store in batched transactions, one source at a time or from
 * the merged stream of several.
 *
 * Event ids. The writer numbers events itself, in the order they are added, continuing after the
 * largest id already stored. Fed with the merged stream of one run (src/ingest/run.ts), ids are
 * the merged time order. A later run that adds more files appends ids after the first run's, so
 * ids alone no longer follow time across runs: everything that lists events orders by
 * (time, id), which is the merged order within a run and breaks time ties by run across runs.
 *
 * Crash safety. A source row is written with complete = 0 before its first event and set to 1
 * only after its last batch is committed, in the same transaction as its stats. A run killed in
 * between leaves complete = 0 behind; the next beginSource for that path deletes the partial rows
 * in one transaction and ingests the file again. Re-ingesting a complete source with the same
 * path and fingerprint is skipped; a changed file (new fingerprint) replaces its old events.
 * One process writes a store at a time: openStore takes the store's write lock (lock.ts).
 *
 * Use: createWriter(store); beginSource per input (skip those with skip: true); addEvents or
 * addMergedEvents; completeSource(s) once a source's events are all added; close() at the end
 * (ingest.ts does all of it for a merged stream).
 */
import type Database from 'better-sqlite3';
import { severityRank, type KEvent, type ObjectRef } from '../model/event.js';
import { BulkInsert, type Column } from './bulk-insert.js';
import type { SourceMeta } from './fingerprint.js';
import { beginBulkIngest, bulkIngestPending, finishBulkIngest, setCorrelationPending } from './schema.js';
import type { EventWriter, SourceBegin, WriterOptions } from './store.js';
import { forgetSignalsAtWrite, SignalsAtWrite } from './signals.js';
import { storedFields, storedSignals, type FormedEvent } from './stored-form.js';


/**
 * Events per transaction: large enough to amortize the commit, small enough to bound memory.
 * Measured at scale 20 (main-thread CPU in parse+write, load 2-6): 500, 1000 and 2000 gave
 * 9.8-11.3 s against 10.1-10.2 s for 5000, within the noise; 50k the same time and 130 MB more.
 * A larger young generation for the main thread (--max-semi-space-size=64) left its CPU the same
 * and took peak RSS to 600 MB (the workers take the flag too).
 */
export const DEFAULT_BATCH_SIZE = 5000;

/**
 * The event being written, with what its row adds to it: one object, reused for every event of a
 * batch (the columns' values are copied out as soon as it is filled), not one per event.
 */
interface EventCursor {
  id: number;
  sourceId: number;
  /** The source's cluster, which its events are stored under. */
  cluster: string;
  event: FormedEvent;
  /** The fields as stored (JSON text, NULL when none). */
  fields: string | null;
}

/** The events table's columns as the writer fills them (adding a column is one line here). */
const EVENT_COLUMNS: readonly Column<EventCursor>[] = [
  ['id', (p) => p.id],
  ['time', (p) => p.event.time],
  ['component', (p) => p.event.component],
  ['host', (p) => p.event.host ?? null],
  ['severity', (p) => severityRank(p.event.severity)],
  ['verbosity', (p) => p.event.verbosity ?? null],
  ['caller', (p) => p.event.caller ?? null],
  ['message', (p) => p.event.message],
  ['fields', (p) => p.fields],
  ['format', (p) => p.event.format],
  ['source_format', (p) => p.event.source.format],
  ['source_id', (p) => p.sourceId],
  ['line', (p) => p.event.source.line],
  ['end_line', (p) => p.event.source.endLine],
  ['time_inferred', (p) => p.event.timeInferred ?? null],
  ['envelope_time', (p) => p.event.envelopeTime ?? null],
  ['raw', (p) => p.event.raw],
  ['truncated', (p) => (p.event.truncated ? 1 : 0)],
  ['cluster', (p) => p.cluster],
];

/** One reference of an event, at its position (ord) in the event's objects; reused like EventCursor. */
interface RefCursor {
  eventId: number;
  ord: number;
  ref: ObjectRef;
}

/** event_refs' columns: where the reference sits, then the reference's own parts by name. */
const REF_COLUMNS: readonly Column<RefCursor>[] = [
  ['event_id', (r) => r.eventId],
  ['ord', (r) => r.ord],
  ...(['kind', 'namespace', 'name', 'uid', 'via', 'key'] as const).map((part): Column<RefCursor> => [part, (r) => r.ref[part] ?? null]),
];

/** Deletes a source and every row derived from its events, in one transaction. */
export function discardSource(db: Database.Database, sourceId: number): number {
  return db.transaction(() => {
    const ids = `SELECT id FROM events WHERE source_id = ?`;
    db.prepare(`DELETE FROM event_refs WHERE event_id IN (${ids})`).run(sourceId);
    db.prepare(`DELETE FROM event_objects WHERE event_id IN (${ids})`).run(sourceId);
    db.prepare(`DELETE FROM incident_evidence WHERE event_id IN (${ids})`).run(sourceId);
    const removed = db.prepare(`DELETE FROM events WHERE source_id = ?`).run(sourceId).changes;
    db.prepare(`DELETE FROM sources WHERE id = ?`).run(sourceId);
    forgetSignalsAtWrite(db);
    return removed;
  }).immediate();
}

export class IngestWriter implements EventWriter {
  private readonly db: Database.Database;
  private readonly batchSize: number;
  private readonly onCommit?: (n: number) => void;
  /** Events waiting for their batch's transaction, and each one's source id (ids are given when the batch is written). */
  private pending: FormedEvent[] = [];
  private pendingSource: number[] = [];
  private committed = 0;
  private readonly flushTx: () => void;
  private bulk = false;
  /** Each source's cluster, which its events are stored under. */
  private readonly clusterOf = new Map<number, string>();
  /** Recognizes signals as events are written: a first ingest given the registry (opts.signals). */
  private readonly signals?: SignalsAtWrite;
  /** WriterOptions.correlates: a source begun marks correlation pending. */
  private readonly correlates: boolean;

  constructor(store: { db: Database.Database }, opts: WriterOptions = {}) {
    this.db = store.db;
    this.batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
    this.onCommit = opts.onCommit;
    this.correlates = opts.correlates === true;
    const empty = this.db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM events)`).pluck().get() === 1;
    // A bulk ingest left pending on this connection (a writer dropped without close()) goes on.
    if (opts.bulk ?? (empty || bulkIngestPending(this.db))) {
      beginBulkIngest(this.db);
      this.bulk = true;
    }
    // Only into an empty store, so its rows are every event's (src/store/signals.ts); any other
    // writer adds events the recognized rows do not cover.
    if (opts.signals && empty) this.signals = new SignalsAtWrite(this.db, opts.signals);
    else forgetSignalsAtWrite(this.db);
    const signals = this.signals;
    const events = new BulkInsert(this.db, 'events', EVENT_COLUMNS);
    const refs = new BulkInsert(this.db, 'event_refs', REF_COLUMNS);
    const maxId = this.db.prepare(`SELECT coalesce(max(id), 0) AS m FROM events`).pluck();
    const row: EventCursor = { id: 0, sourceId: 0, cluster: '', event: undefined as unknown as FormedEvent, fields: null };
    const ref: RefCursor = { eventId: 0, ord: 0, ref: undefined as unknown as ObjectRef };
    this.flushTx = this.db.transaction(() => {
      // Read the base inside the transaction: ids stay unique even if another writer committed.
      const first = (maxId.get() as number) + 1;
      const { pending, pendingSource } = this;
      for (let i = 0; i < pending.length; i++) {
        const e = pending[i]!;
        row.id = first + i;
        if (row.sourceId !== pendingSource[i] || i === 0) {
          row.sourceId = pendingSource[i]!;
          row.cluster = this.clusterOf.get(row.sourceId) ?? '';
        }
        row.event = e;
        // Made by a parse worker for most events (stored-form.ts), else here.
        row.fields = storedFields(e);
        events.add(row);
        if (signals) signals.add(row.id, e.time, storedSignals(e, signals.registry, row.fields));
      }
      events.flush();
      signals?.flush();
      // After the events: a reference's event must exist (foreign key).
      for (let i = 0; i < pending.length; i++) {
        const objects = pending[i]!.objects;
        ref.eventId = first + i;
        for (let ord = 0; ord < objects.length; ord++) {
          ref.ord = ord;
          ref.ref = objects[ord]!;
          refs.add(ref);
        }
      }
      refs.flush();
    });
  }

  /**
   * Registers a source before its events. Skips a complete source with the same path and
   * fingerprint; deletes an incomplete (killed) or outdated ingest of the same path first. All
   * of it per cluster: the same file ingested under two cluster names is two sources.
   */
  beginSource(meta: SourceMeta): SourceBegin {
    return this.db.transaction((): SourceBegin => {
      let discardedEvents = 0;
      if (meta.path !== '-') {
        const previous = this.db
          .prepare(`SELECT id, fingerprint, complete FROM sources WHERE path = ? AND cluster = ? ORDER BY id`)
          .all(meta.path, meta.cluster) as { id: number; fingerprint: string | null; complete: number }[];
        for (const p of previous) {
          if (p.complete === 1 && meta.fingerprint !== undefined && p.fingerprint === meta.fingerprint) {
            this.clusterOf.set(p.id, meta.cluster);
            return { id: p.id, skip: true, discardedEvents };
          }
        }
        for (const p of previous) discardedEvents += discardSource(this.db, p.id);
      }
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO sources (path, display, cluster, size, mtime, fingerprint, envelope, complete, ingested_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
          )
          .run(
            meta.path,
            meta.display,
            meta.cluster,
            meta.size ?? null,
            meta.mtime ?? null,
            meta.fingerprint ?? null,
            meta.envelope ?? null,
            Date.now(),
          ).lastInsertRowid,
      );
      this.clusterOf.set(id, meta.cluster);
      if (this.correlates) setCorrelationPending(this.db, true);
      return { id, skip: false, discardedEvents };
    }).immediate();
  }

  /** Queues events of one source; commits a batch whenever batchSize events are waiting. */
  addEvents(sourceId: number, events: readonly KEvent[]): void {
    for (const event of events) {
      this.pending.push(event);
      this.pendingSource.push(sourceId);
      if (this.pending.length >= this.batchSize) this.flush();
    }
  }

  /**
   * Queues a batch of the merged stream, routing each event by its source.file to the id that
   * beginSource gave. Events of files not in the map (skipped sources) are dropped; returns how
   * many were queued.
   */
  addMergedEvents(events: readonly KEvent[], sourceIds: ReadonlyMap<string, number>): number {
    let queued = 0;
    for (const event of events) {
      const sourceId = sourceIds.get(event.source.file);
      if (sourceId === undefined) continue;
      this.pending.push(event);
      this.pendingSource.push(sourceId);
      queued++;
      if (this.pending.length >= this.batchSize) this.flush();
    }
    return queued;
  }

  /** Commits what is queued. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.flushTx();
    this.committed += this.pending.length;
    this.pending = [];
    this.pendingSource = [];
    this.onCommit?.(this.committed);
  }

  /**
   * Marks a source complete, with its stats, after committing every queued event: from here on a
   * later run skips the file.
   */
  completeSource(sourceId: number, stats?: object): void {
    this.flush();
    const envelope = (stats as { envelope?: unknown } | undefined)?.envelope;
    this.db
      .prepare(`UPDATE sources SET complete = 1, stats = ?, envelope = coalesce(?, envelope) WHERE id = ?`)
      .run(stats === undefined ? null : JSON.stringify(stats), typeof envelope === 'string' ? envelope : null, sourceId);
  }

  /** completeSource for several sources in one transaction (the end of a merged run). */
  completeSources(list: readonly { id: number; stats?: object }[]): void {
    this.flush();
    this.db.transaction(() => {
      for (const { id, stats } of list) this.completeSource(id, stats);
    })();
  }

  /** Events committed by this writer so far. */
  get eventsCommitted(): number {
    return this.committed;
  }

  /**
   * Commits what is queued and, after a bulk ingest, builds the indexes and writes statistics.
   * Call it at the end of every ingest. The store stays open.
   */
  close(): void {
    this.flush();
    if (this.bulk) {
      // Even if another process's openStore has cleared the flag meanwhile: building an index
      // that exists is a no-op, and the statistics are written again for every row.
      finishBulkIngest(this.db);
      this.bulk = false;
    }
    this.signals?.complete();
  }
}

export function createWriter(store: { db: Database.Database }, opts?: WriterOptions): IngestWriter {
  return new IngestWriter(store, opts);
}
