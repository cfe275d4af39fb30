/**
 * Where incident detection keeps the candidates it has decided until the write: a scratch SQLite
 * file of its own (in a hidden folder of the directory it is given, beside the store: deleted on
 * close, at exit, or by the next detection there if the process was killed), one row per candidate, instead of
 * the heap. A candidate held as objects is ~1.1 KB (its evidence map, affected set, root row,
 * summary...), and every one had to be held to the end of detection (absorb folds across rules,
 * the write sorts them all): 125k crash loops held 137 MB of heap on a 1M-event store, 625k some
 * 0.7 GB on the 5M one. Here they cost SQLite's page cache (a few MB) whatever their number.
 *
 * Its own connection, not the store's: the write iterates the spill while it inserts into the
 * store, which better-sqlite3 refuses on one connection, and a TEMP table would live where
 * SQLite keeps temp data (memory for a store in memory, else the OS temp dir), not beside the
 * store. The file is written with no journal and
 * no syncs: it lives for one detection, and a crash loses nothing that is not recomputed.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file.js';
import { makeScratchFolder, removeScratchFolder } from '../util/scratch-folder.js';
import type { Severity } from '../model/event.js';
import { INCIDENT_KINDS, type Candidate, type IncidentKind } from '../correlate/incidents/types.js';

/**
 * Each kind's place in detection's output order: incidents are sorted by start, then by kind as
 * `localeCompare` orders the names (what detection did in memory), then in the order the rules
 * found them. Ranked here once, so that SQL's ORDER BY gives that order exactly.
 */
const KIND_RANK: ReadonlyMap<string, number> = new Map([...INCIDENT_KINDS].sort((a, b) => a.localeCompare(b)).map((k, i) => [k, i]));

/**
 * The spill's folder name starts with this (then the pid: a killed ingest's folder is removed by
 * the next detection beside it, src/util/scratch-folder.ts). Hidden: it sits beside the user's store.
 */
export const SPILL_PREFIX = '.ktrail-candidates-';

/** A candidate as one JSON text: its evidence map and affected set as arrays, in their order. */
export function encodeCandidate(c: Candidate): string {
  return JSON.stringify({ ...c, evidence: [...c.evidence], affected: [...c.affected] });
}

export function decodeCandidate(text: string): Candidate {
  const o = JSON.parse(text) as Omit<Candidate, 'evidence' | 'affected'> & { evidence: [number, Candidate['evidence'] extends Map<number, infer R> ? R : never][]; affected: number[] };
  return { ...o, evidence: new Map(o.evidence), affected: new Set(o.affected) };
}

/** What a spilled cluster's candidates add up to, for detection's summary. */
export interface SpillTally {
  incidents: number;
  byKind: Map<IncidentKind, number>;
  bySeverity: Map<Severity, number>;
  /** Candidates whose root matches no stored object. */
  unresolved: number;
}

export class CandidateSpill {
  private readonly dir: string;
  private readonly db: Database.Database;
  private readonly stmts;
  /** The kinds the candidates' cause-chain steps name (the writer's fix-up needs them before the first write). */
  readonly stepKinds = new Set<string>();

  /** `parent`: the folder to make the spill's own folder in (the store's: scratchDir()). */
  constructor(parent: string = tmpdir()) {
    this.dir = makeScratchFolder(parent, SPILL_PREFIX);
    try {
      this.db = openSqliteFile(join(this.dir, 'candidates.db'));
      this.db.pragma('journal_mode = OFF');
      this.db.pragma('synchronous = OFF');
      this.db.exec(
        `CREATE TABLE candidates (seq INTEGER PRIMARY KEY, cluster TEXT NOT NULL, kind TEXT NOT NULL, kind_rank INTEGER NOT NULL,
           start INTEGER NOT NULL, severity TEXT NOT NULL, resolved INTEGER NOT NULL, body TEXT NOT NULL);
         CREATE INDEX candidates_order ON candidates (cluster, start, kind_rank, seq);
         CREATE INDEX candidates_kind ON candidates (cluster, kind, seq);`,
      );
    } catch (err) {
      removeScratchFolder(this.dir);
      throw err;
    }
    this.stmts = {
      add: this.db.prepare('INSERT INTO candidates (cluster, kind, kind_rank, start, severity, resolved, body) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      kinds: this.db.prepare('SELECT DISTINCT kind FROM candidates WHERE cluster = ?').pluck(),
      update: this.db.prepare('UPDATE candidates SET body = ? WHERE seq = ?'),
      remove: this.db.prepare('DELETE FROM candidates WHERE seq = ?'),
      sorted: this.db.prepare('SELECT body FROM candidates WHERE cluster = ? ORDER BY start, kind_rank, seq').pluck(),
      tally: this.db.prepare('SELECT kind, severity, count(*) AS n, sum(resolved) AS resolved FROM candidates WHERE cluster = ? GROUP BY kind, severity'),
    };
    // One transaction for the spill's whole life (committed on close): each insert alone would be
    // one of its own.
    this.db.exec('BEGIN');
  }

  add(cluster: string, c: Candidate): void {
    for (const step of c.causeChain) this.stepKinds.add(step.kind);
    // start is at most MAX_SAFE_INTEGER (a candidate without triggers): an exact SQLite integer.
    this.stmts.add.run(cluster, c.kind, KIND_RANK.get(c.kind) ?? KIND_RANK.size, c.start, c.severity, c.root ? 1 : 0, encodeCandidate(c));
  }

  /** The kinds a cluster has candidates of. */
  kinds(cluster: string): Set<IncidentKind> {
    return new Set(this.stmts.kinds.all(cluster) as IncidentKind[]);
  }

  /** A cluster's candidates of these kinds, in the order they were added, each with its row. */
  load(cluster: string, kinds: ReadonlySet<IncidentKind>): Map<Candidate, number> {
    const out = new Map<Candidate, number>();
    if (kinds.size === 0) return out;
    const rows = this.db
      .prepare(`SELECT seq, body FROM candidates WHERE cluster = ? AND kind IN (${[...kinds].map(() => '?').join(', ')}) ORDER BY seq`)
      .all(cluster, ...kinds) as { seq: number; body: string }[];
    for (const r of rows) out.set(decodeCandidate(r.body), r.seq);
    return out;
  }

  /** Stores a loaded candidate again after a change (absorb folded others into it). */
  update(seq: number, c: Candidate): void {
    this.stmts.update.run(encodeCandidate(c), seq);
  }

  remove(seq: number): void {
    this.stmts.remove.run(seq);
  }

  /** A cluster's candidates in output order (start, kind, then found), one at a time. */
  *sorted(cluster: string): Generator<Candidate> {
    for (const body of this.stmts.sorted.iterate(cluster) as IterableIterator<string>) yield decodeCandidate(body);
  }

  tally(cluster: string): SpillTally {
    const t: SpillTally = { incidents: 0, byKind: new Map(), bySeverity: new Map(), unresolved: 0 };
    for (const r of this.stmts.tally.all(cluster) as { kind: IncidentKind; severity: Severity; n: number; resolved: number }[]) {
      t.incidents += r.n;
      t.byKind.set(r.kind, (t.byKind.get(r.kind) ?? 0) + r.n);
      t.bySeverity.set(r.severity, (t.bySeverity.get(r.severity) ?? 0) + r.n);
      t.unresolved += r.n - r.resolved;
    }
    return t;
  }

  close(): void {
    try {
      if (this.db.open) this.db.close();
    } finally {
      removeScratchFolder(this.dir);
    }
  }
}
