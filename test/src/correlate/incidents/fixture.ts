/**
 * Small linked stores for the incident rules' tests, built by inserting rows: events (with their
 * refs), objects, the links between them and owners, as link.ts would have left them. Times are
 * seconds from T0; each event gets its own line in its file, so evidence can be checked by line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { StoredIncident } from '../../../../src/correlate/eval.js';
import { ingestPaths } from '../../../../src/correlate/ingest-paths.js';
import { detectIncidents } from '../../../../src/correlate/incidents/index.js';
import { linkObjects } from '../../../../src/correlate/link.js';
import type { Rule } from '../../../../src/correlate/incidents/types.js';
import { SEVERITIES, type Component, type Severity } from '../../../../src/model/event.js';
import { openStore, type Store } from '../../../../src/store/writer.js';

export const T0 = Date.UTC(2025, 2, 21, 14, 0, 0) * 1000;
export const at = (seconds: number): number => T0 + Math.round(seconds * 1_000_000);

export interface Obj {
  id: number;
  uid: string | null;
  kind: string;
  namespace: string | null;
  name: string | null;
}

export interface Ref {
  kind: string;
  namespace?: string | null;
  name?: string | null;
  uid?: string | null;
  via?: string;
  key?: string;
}

export interface EventSpec {
  /** Seconds from T0. */
  t: number;
  component: Component;
  message: string;
  severity?: Severity;
  host?: string;
  fields?: Record<string, unknown>;
  file?: string;
  /** Objects the event is about (links of confidence 1 unless given). */
  about?: (Obj | { obj: Obj; via?: string; confidence?: number })[];
  /** The pod that wrote it (an `emitter` link, confidence 0.4 as link.ts makes them). */
  writer?: Obj;
  refs?: Ref[];
}

let uidCounter = 0;
/** A fresh UID-shaped string (deterministic within a test run). */
export function uid(): string {
  uidCounter++;
  const hex = uidCounter.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export class Fixture {
  readonly store: Store;
  readonly db: Database.Database;
  private readonly sources = new Map<string, { id: number; line: number }>();
  private readonly objects: (Obj & { first: number | null; last: number | null })[] = [];
  private readonly links: { event: number; object: number; via: string; confidence: number }[] = [];
  private readonly ownerEdges: { owner: number; owned: number }[] = [];

  /** `file`: a store file instead of memory (what lives beside the store). */
  constructor(file = ':memory:') {
    this.store = openStore(file);
    this.db = this.store.db;
  }

  /** An object; first/last seen follow its links unless given. */
  obj(kind: string, namespace: string | null, name: string | null, opts: { uid?: string | null; first?: number; last?: number } = {}): Obj {
    const o = {
      id: this.objects.length + 1,
      uid: opts.uid === undefined ? uid() : opts.uid,
      kind,
      namespace,
      name,
      first: opts.first === undefined ? null : at(opts.first),
      last: opts.last === undefined ? null : at(opts.last),
    };
    this.objects.push(o);
    return o;
  }

  pod(namespace: string, name: string, opts: { uid?: string | null; first?: number; owner?: Obj } = {}): Obj {
    const p = this.obj('Pod', namespace, name, opts);
    if (opts.owner) this.own(opts.owner, p);
    return p;
  }

  own(owner: Obj, owned: Obj): void {
    this.ownerEdges.push({ owner: owner.id, owned: owned.id });
  }

  private source(file: string): { id: number; line: number } {
    let s = this.sources.get(file);
    if (!s) {
      const id = Number(this.db.prepare(`INSERT INTO sources (path, display, complete) VALUES (?, ?, 1)`).run(`/test/${file}`, file).lastInsertRowid);
      s = { id, line: 0 };
      this.sources.set(file, s);
    }
    return s;
  }

  /** Inserts an event now (ids follow insertion order); returns its id. */
  ev(spec: EventSpec): number {
    const file = spec.file ?? `${spec.component}.log`;
    const src = this.source(file);
    src.line++;
    const fields = spec.fields && Object.keys(spec.fields).length ? JSON.stringify(spec.fields) : null;
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO events (time, component, host, severity, message, fields, format, source_id, line, end_line, raw)
           VALUES (?, ?, ?, ?, ?, ?, 'klog', ?, ?, ?, ?)`,
        )
        .run(at(spec.t), spec.component, spec.host ?? null, SEVERITIES.indexOf(spec.severity ?? 'info'), spec.message, fields, src.id, src.line, src.line, spec.message)
        .lastInsertRowid,
    );
    (spec.refs ?? []).forEach((r, ord) => {
      this.db
        .prepare('INSERT INTO event_refs (event_id, ord, kind, namespace, name, uid, via, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, ord, r.kind, r.namespace ?? null, r.name ?? null, r.uid ?? null, r.via ?? 'field', r.key ?? null);
    });
    for (const a of spec.about ?? []) {
      const link = 'obj' in a ? a : { obj: a };
      this.links.push({ event: id, object: link.obj.id, via: link.via ?? 'uid', confidence: link.confidence ?? 1 });
      this.widen(link.obj.id, at(spec.t));
    }
    if (spec.writer) {
      this.links.push({ event: id, object: spec.writer.id, via: 'emitter', confidence: 0.4 });
      this.widen(spec.writer.id, at(spec.t));
    }
    return id;
  }

  private widen(objectId: number, time: number): void {
    const o = this.objects[objectId - 1]!;
    if (o.first === null || time < o.first) o.first = time;
    if (o.last === null || time > o.last) o.last = time;
  }

  /** Writes the objects, links and owners; returns the database. */
  done(): Database.Database {
    const insertObject = this.db.prepare('INSERT INTO objects (id, uid, kind, namespace, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const o of this.objects) insertObject.run(o.id, o.uid, o.kind, o.namespace, o.name, o.first, o.last);
    // With the event's time, as the linker writes it (schema v8).
    const insertLink = this.db.prepare(
      'INSERT OR REPLACE INTO event_objects (event_id, object_id, via, confidence, time) VALUES (?, ?, ?, ?, (SELECT time FROM events WHERE id = ?))',
    );
    for (const l of this.links) insertLink.run(l.event, l.object, l.via, l.confidence, l.event);
    const insertOwner = this.db.prepare(`INSERT INTO owners (owner_id, owned_id, via, confidence) VALUES (?, ?, 'audit', 1)`);
    for (const e of this.ownerEdges) insertOwner.run(e.owner, e.owned);
    return this.db;
  }
}

/** A stored incident as the evaluation reads it (severity as its rank), with its details parsed. */
export interface IncidentRow extends Pick<StoredIncident, 'id' | 'kind' | 'severity' | 'start' | 'end' | 'rootUid' | 'rootName' | 'summary'> {
  details: {
    components: string[];
    counts: Record<string, number>;
    causeChain: { kind: string; objectUid: string | null; object: string; time: number; summary: string; incidentId?: number }[];
    absorbed: { kind: string; root: string; events: number }[];
    notes: Record<string, unknown>;
    samples: { eventId: number; file: string; line: number }[];
    root: { kind: string; namespace: string | null; name: string | null; uid: string | null; label: string };
  };
}

export function incidents(db: Database.Database): IncidentRow[] {
  return (
    db
      .prepare(
        `SELECT i.id, i.kind, i.severity, i.start_time AS start, i.end_time AS end, i.summary, i.details, o.uid AS rootUid, o.name AS rootName
         FROM incidents i LEFT JOIN objects o ON o.id = i.root_object_id ORDER BY i.start_time, i.id`,
      )
      .all() as (Omit<IncidentRow, 'details'> & { details: string })[]
  ).map((r) => ({ ...r, details: JSON.parse(r.details) as IncidentRow['details'] }));
}

/** Evidence of an incident as event id -> role. */
export function evidence(db: Database.Database, incidentId: number): Map<number, string> {
  const rows = db.prepare('SELECT event_id, role FROM incident_evidence WHERE incident_id = ? ORDER BY event_id').all(incidentId) as { event_id: number; role: string }[];
  return new Map(rows.map((r) => [r.event_id, r.role]));
}

/** Objects of an incident as "role:uid-or-name". */
export function incidentObjects(db: Database.Database, incidentId: number): string[] {
  const rows = db
    .prepare(
      `SELECT io.role, o.uid, o.name FROM incident_objects io JOIN objects o ON o.id = io.object_id WHERE io.incident_id = ? ORDER BY io.role DESC, o.id`,
    )
    .all(incidentId) as { role: string; uid: string | null; name: string | null }[];
  return rows.map((r) => `${r.role}:${r.name ?? r.uid}`);
}

// Builders for the lines the rules read, in the shapes the parsers produce.

export function kubeletErrorSyncing(f: Fixture, t: number, pod: Obj, err: string, host = 'node-1'): number {
  return f.ev({
    t,
    component: 'kubelet',
    severity: 'error',
    host,
    message: 'Error syncing pod, skipping',
    fields: { err, pod: `${pod.namespace}/${pod.name}`, podUID: pod.uid },
    about: [pod],
  });
}

export function crashLoopErr(container: string, pod: Obj, backoff: string): string {
  return `failed to "StartContainer" for "${container}" with CrashLoopBackOff: "back-off ${backoff} restarting failed container=${container} pod=${pod.name}_${pod.namespace}(${pod.uid})"`;
}

/** A pod whose container crash-loops: three back-off errors, 15 s apart; their event ids. */
export function crashing(file?: string): { f: Fixture; ids: number[] } {
  const f = new Fixture(file);
  const pod = f.pod('shop', 'checkout-1');
  const ids = [0, 15, 30].map((t) => kubeletErrorSyncing(f, t, pod, crashLoopErr('checkout', pod, '20s')));
  f.done();
  return { f, ids };
}

/** A Kubernetes Event document (component "event") about an object. */
export function kubeEvent(f: Fixture, t: number, involved: Obj, reason: string, text: string, opts: { type?: string; count?: number; source?: string; host?: string } = {}): number {
  return f.ev({
    t,
    component: 'event',
    severity: opts.type === 'Normal' ? 'info' : 'warn',
    host: opts.host,
    message: `${reason}: ${text}`,
    fields: { reason, type: opts.type ?? 'Warning', count: opts.count ?? 1, sourceComponent: opts.source ?? 'kubelet' },
    refs: [{ kind: involved.kind, namespace: involved.namespace, name: involved.name, uid: involved.uid, via: 'event', key: 'involvedObject' }],
    about: [involved],
  });
}

/** Ends the fixture's writing, runs `rules` over its store, and returns the incidents they stored. */
export function detect(f: Fixture, ...rules: Rule[]): IncidentRow[] {
  f.done();
  detectIncidents(f.store, { rules });
  return incidents(f.db);
}

/** The incident `rule` finds in the fixture, asserting that it finds no other. */
export function detectOnly(f: Fixture, rule: Rule): IncidentRow | undefined {
  const [inc, ...rest] = detect(f, rule);
  assert.equal(rest.length, 0);
  return inc;
}

/**
 * The incidents some rules find on real files (corpus captures, or lines written to a file), read,
 * linked and detected as `ktrail ingest` does, in a store that is closed after.
 */
export async function detectOnFiles(paths: string[], ...rules: Rule[]): Promise<IncidentRow[]> {
  const store = openStore(':memory:');
  try {
    await ingestPaths(store, paths);
    linkObjects(store.correlation);
    detectIncidents(store, { rules });
    return incidents(store.db);
  } finally {
    store.close();
  }
}

/** The incidents some rules find on lines written to a temporary file named as a component's log. */
export async function detectOnLines(lines: readonly string[], file: string, ...rules: Rule[]): Promise<IncidentRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-rule-lines-'));
  try {
    writeFileSync(join(dir, file), lines.join('\n') + '\n');
    return await detectOnFiles([join(dir, file)], ...rules);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one incident found, checked: its root's label and, when given, its summary. */
export function assertSole(found: readonly IncidentRow[], label: string, summary?: string): IncidentRow {
  assert.equal(found.length, 1, found.map((i) => i.summary).join('\n'));
  assert.equal(found[0]!.details.root.label, label);
  if (summary !== undefined) assert.equal(found[0]!.summary, summary);
  return found[0]!;
}
