/**
 * The signals table (event_signals): which events state which signal (src/signals/), with the
 * facts the line gives, computed once per correlate pass so that incident rules select events by
 * fact instead of by text. Derived data like the incidents: recomputed whole whenever correlation
 * runs again, so it never disagrees with the events.
 */
import type Database from 'better-sqlite3';
import type { Facts, SignalInput } from '../signals/index.js';
import { parseFields } from './json-object.js';
import { ClusterScope } from './cluster-scope.js';
import { EVENT_COLUMNS, type RawEventRow } from './event-row.js';
import { BulkInsert, type Column } from './bulk-insert.js';
import { releaseGarbage } from '../util/release-garbage.js';

/**
 * The signals' registry as the store uses it (src/signals/index.ts, SIGNAL_REGISTRY), passed in by
 * incident detection: the store does not import the recognizers, so a reader of a stored store
 * (trace --db F) starts without them.
 */
export interface SignalRegistry {
  recognize(e: SignalInput): { name: string; facts: Facts }[];
  /** The components any signal is stated by: only their events are read. */
  components: readonly string[];
  names: ReadonlySet<string>;
}

function assertKnown(names: readonly string[], known: ReadonlySet<string> | undefined): void {
  if (known) for (const n of names) if (!known.has(n)) throw new Error(`no signal is named ${JSON.stringify(n)}`);
}

/** Events read per page while recognizing (better-sqlite3 cannot write while a read is open). */
const PAGE = 5_000;

/** An event row as the incident rules read it, before its fields are parsed, with the signal it states. */
export interface RawSignalledEvent extends RawEventRow {
  signal: string;
  facts: string;
}

// The table lives beside the schema's versioned tables but is created here, by its only writer:
// it is derived data, rebuilt on every correlate pass, so an older store simply gains it.
function ensureTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS event_signals (
    signal TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    time INTEGER NOT NULL,
    facts TEXT NOT NULL,
    PRIMARY KEY (signal, time, event_id)
  ) WITHOUT ROWID`);
}


type SignalRow = readonly [signal: string, eventId: number, time: number, facts: string];

const SIGNAL_COLUMNS = (['signal', 'event_id', 'time', 'facts'] as const).map((name, i): Column<SignalRow> => [name, (r) => r[i]]);

/** One event as recognition reads it: its stored columns, fields still JSON text. */
interface StoredLine {
  id: number;
  time: number;
  component: string;
  severity: number;
  message: string;
  fields: string | null;
}

/** Each registry's components as a set, made once. */
const componentSets = new WeakMap<SignalRegistry, ReadonlySet<string>>();

function componentsOf(registry: SignalRegistry): ReadonlySet<string> {
  let set = componentSets.get(registry);
  if (!set) componentSets.set(registry, (set = new Set(registry.components)));
  return set;
}

/**
 * Every signal a line states, read from its stored columns (or, for the fields, an object that
 * its stored text reads back as): the one way a line is recognized,
 * whether by the signals pass over stored events, by the ingest writer, or by a parse worker
 * ahead of it (stored-form.ts).
 */
export function recognizeLine(
  registry: SignalRegistry,
  r: Omit<StoredLine, 'id' | 'time' | 'fields'> & { fields: string | null | Record<string, unknown> },
): { name: string; facts: Facts }[] {
  if (!componentsOf(registry).has(r.component)) return [];
  const text = r.fields;
  // Given as an object: one its text reads back as (stored-form.ts jsonExact).
  if (text !== null && typeof text === 'object') return registry.recognize({ component: r.component, message: r.message, severity: r.severity, fields: text });
  // Fields are parsed only when asked for: most lines are ruled out by component and message.
  // They are parsed from the stored text, so a signal sees what a later pass over the store would.
  let parsed: Record<string, unknown> | undefined;
  const input = {
    component: r.component,
    message: r.message,
    severity: r.severity,
    get fields(): Record<string, unknown> {
      return (parsed ??= parseFields(text));
    },
  };
  return registry.recognize(input);
}

/**
 * Recognizes events into event_signals through a multi-row insert; the caller owns the
 * transaction and flushes before it commits. Used by the signals pass over stored events and by
 * the ingest writer as it writes them (SignalsAtWrite), so a line is recognized the same way both.
 */
class SignalInserter {
  // A busy cluster states a signal on most of its DNS lines: hundreds of thousands of rows, so
  // they go in a hundred per statement. An event states each signal once, and the table is
  // emptied first, so no row is ever ignored.
  private readonly insert: BulkInsert<SignalRow>;
  found = 0;

  constructor(
    db: Database.Database,
    readonly registry: SignalRegistry,
  ) {
    this.insert = new BulkInsert(db, 'event_signals', SIGNAL_COLUMNS, { verb: 'INSERT OR IGNORE' });
  }

  add(r: StoredLine): void {
    for (const s of recognizeLine(this.registry, r)) this.row(s.name, r.id, r.time, JSON.stringify(s.facts));
  }

  /** A signal recognized already (its facts as JSON text). */
  row(name: string, id: number, time: number, facts: string): void {
    this.insert.add([name, id, time, facts]);
    this.found++;
  }

  flush(): void {
    this.insert.flush();
  }
}

/**
 * Per connection, what an ingest writer recognized as it wrote (SignalsAtWrite): every event up
 * to `through`, with `registry`. Kept in memory, not in the store, so that only this process's
 * recognizers are trusted: a store correlated again by another ktrail (ci on an older store) is
 * recognized again by its own signals, as before.
 */
const recognizedAtWrite = new WeakMap<Database.Database, { registry: SignalRegistry; through: number; found: number }>();

/** Events were added or removed some other way: the next signals pass reads every event. */
export function forgetSignalsAtWrite(db: Database.Database): void {
  recognizedAtWrite.delete(db);
}

/**
 * The signals of a first ingest, recognized as the writer writes each batch, in the batch's
 * transaction, instead of in a pass that reads every event back afterwards (the JSON fields parsed
 * again and 375k DNS lines read at scale 20: 3.9 s of CPU, measured). Only on a store that had no
 * events, so the rows cover every event; computeSignals then keeps them when nothing else has
 * changed the events since (the writer's ids end at the store's largest).
 */
export class SignalsAtWrite {
  private readonly inserter: SignalInserter;
  private through = 0;

  constructor(
    private readonly db: Database.Database,
    registry: SignalRegistry,
  ) {
    ensureTable(db);
    db.exec('DELETE FROM event_signals');
    forgetSignalsAtWrite(db);
    this.inserter = new SignalInserter(db, registry);
  }

  get registry(): SignalRegistry {
    return this.inserter.registry;
  }

  /**
   * One written event's signals, recognized already (stored-form.ts; null: none). Call in the
   * transaction that writes the event, in id order, then flush.
   */
  add(id: number, time: number, signals: readonly (readonly [name: string, facts: string])[] | null): void {
    if (signals) for (const [name, facts] of signals) this.inserter.row(name, id, time, facts);
    this.through = id;
  }

  flush(): void {
    this.inserter.flush();
  }

  /** Every event is written and flushed: the next signals pass may keep these rows. */
  complete(): void {
    recognizedAtWrite.set(this.db, { registry: this.inserter.registry, through: this.through, found: this.inserter.found });
  }
}

/**
 * Recognizes every signal in every stored event; returns how many (event, signal) pairs it found.
 * After a first ingest that recognized them as it wrote (SignalsAtWrite), with the same registry
 * and no event added or removed since, the rows are already there and nothing is read.
 */
export function computeSignals(db: Database.Database, registry: SignalRegistry): number {
  ensureTable(db);
  const atWrite = recognizedAtWrite.get(db);
  forgetSignalsAtWrite(db);
  const maxId = db.prepare(`SELECT coalesce(max(id), 0) FROM events`).pluck();
  if (atWrite && atWrite.registry === registry && atWrite.through === maxId.get()) return atWrite.found;
  const marks = registry.components.map(() => '?').join(', ');
  // `+component`: walk the events in id order and test the component on each row. Left to itself
  // the planner reads every row of those components through events_component_time and sorts them
  // by id for each page: a full sort per 5,000 rows (33 s of a 52 s ingest at 526k events).
  const page = db.prepare(
    `SELECT id, time, component, severity, message, fields FROM events
     WHERE id > ? AND +component IN (${marks}) ORDER BY id LIMIT ${PAGE}`,
  );
  const inserter = new SignalInserter(db, registry);
  db.transaction(() => {
    db.exec('DELETE FROM event_signals');
    let after = 0;
    for (;;) {
      const rows = page.all(after, ...registry.components) as StoredLine[];
      if (rows.length === 0) break;
      for (const r of rows) inserter.add(r);
      after = rows[rows.length - 1]!.id;
      // A page's rows (5,000, fields as text) outlive a young-generation collection and are
      // promoted, and V8 leaves old garbage until a limit it sized from the linker's heap just
      // before: completing a 5M-event store's correlation peaked at 1.2-1.8 GB RSS in this pass,
      // whose own live heap is ~50 MB (~200 MB RSS run alone).
      releaseGarbage();
    }
    inserter.flush();
  })();
  return inserter.found;
}

/**
 * Events that state any of the signals, within [from, to], in (time, id) order; an event that
 * states two of them comes once per signal.
 */
export function signalledEvents(
  db: Database.Database,
  names: readonly string[],
  from = Number.MIN_SAFE_INTEGER,
  to = Number.MAX_SAFE_INTEGER,
  scope: ClusterScope = ClusterScope.ALL,
  known?: ReadonlySet<string>,
): RawSignalledEvent[] {
  const q = signalledQuery(db, names, from, to, scope, known);
  return q ? (q.stmt.all(...q.params) as RawSignalledEvent[]) : [];
}

/** A signalled event's columns that a lean reader gets (no message, fields or location). */
export interface RawLeanSignalledEvent {
  id: number;
  time: number;
  component: string;
  host: string | null;
  signal: string;
  facts: string;
}

const LEAN_COLUMNS = 'e.id, e.time, e.component, e.host';

/**
 * signalledEvents one row at a time, for a caller that keeps only a little of each (a pod
 * rule's slim signals): read whole, a busy store's rows were hundreds of MB at once. The rules
 * only read, so the statement may stay open while the caller goes on. `lean`: without the
 * message, fields and location, for a rule that holds a whole run of a very frequent signal
 * (625k slow etcd requests in one run on a 5M-event store) and reads only the facts; same rows,
 * same order.
 */
export function eachSignalledEvent(db: Database.Database, names: readonly string[], scope: ClusterScope, known: ReadonlySet<string> | undefined, lean: true): Generator<RawLeanSignalledEvent>;
export function eachSignalledEvent(db: Database.Database, names: readonly string[], scope?: ClusterScope, known?: ReadonlySet<string>, lean?: false): Generator<RawSignalledEvent>;
export function* eachSignalledEvent(
  db: Database.Database,
  names: readonly string[],
  scope: ClusterScope = ClusterScope.ALL,
  known?: ReadonlySet<string>,
  lean = false,
): Generator<RawSignalledEvent | RawLeanSignalledEvent> {
  const q = signalledQuery(db, names, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, scope, known, lean ? LEAN_COLUMNS : EVENT_COLUMNS);
  if (q) yield* q.stmt.iterate(...q.params) as IterableIterator<RawSignalledEvent | RawLeanSignalledEvent>;
}

/** The one statement (and its parameters) both read signalled events with; undefined for no names. */
function signalledQuery(
  db: Database.Database,
  names: readonly string[],
  from: number,
  to: number,
  scope: ClusterScope,
  known: ReadonlySet<string> | undefined,
  columns = EVENT_COLUMNS,
): { stmt: Database.Statement; params: unknown[] } | undefined {
  assertKnown(names, known);
  if (names.length === 0) return undefined;
  ensureTable(db);
  const stmt = db.prepare(
    `SELECT ${columns}, s.signal, s.facts FROM event_signals s JOIN events e ON e.id = s.event_id
     WHERE s.signal IN (${names.map(() => '?').join(', ')}) AND s.time BETWEEN ? AND ? AND ${scope.on('e')}
     ORDER BY e.time, e.id, s.signal`,
  );
  return { stmt, params: [...names, from, to, scope.params] };
}

/**
 * Only the id, time and facts of the events that state a signal, in (time, id) order: lean rows
 * for the signals a busy cluster states hundreds of thousands of times (NXDOMAIN for search paths),
 * streamed (the caller keeps what it needs): read whole, they were the rules' largest allocation.
 * The rules only read, so the statement may stay open while the caller goes on.
 */
export function* signalFacts(
  db: Database.Database,
  name: string,
  scope: ClusterScope = ClusterScope.ALL,
  known?: ReadonlySet<string>,
): Generator<{ id: number; time: number; facts: Facts }> {
  assertKnown([name], known);
  ensureTable(db);
  const rows = db
    .prepare(`SELECT event_id AS id, time, facts FROM event_signals WHERE signal = ? AND ${scope.onEventId('event_id')} ORDER BY time, event_id`)
    .iterate(name, scope.params) as IterableIterator<{ id: number; time: number; facts: string }>;
  for (const r of rows) yield { id: r.id, time: r.time, facts: parseFacts(r.facts) };
}

/** A stored facts column back to its object. */
export function parseFacts(text: string): Facts {
  const v = parseFields(text);
  return v as Facts;
}
