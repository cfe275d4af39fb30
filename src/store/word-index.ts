/**
 * The word index (events_fts, FTS5 over events.message) is built on the first word search, not by
 * every ingest. Building it cost a tenth of a first ingest's CPU (1M events: 1.3 s of 13 s,
 * measured), and no command reads it: `ktrail query` line filters are substring matches over
 * message and raw, so most stores are never searched by word.
 *
 * A bulk ingest (schema.ts) leaves `words_pending` in meta; so does an ingest killed before its
 * end. While it is there the index lacks rows and its triggers stand aside (schema v4), so
 * nothing reads it: the first search builds it from events in one transaction, then clears the
 * flag. A row-by-row
 * ingest into a store whose index is built keeps it current batch by batch (sqlite-writer.ts).
 */
import Database from 'better-sqlite3';
import { acquireWriteLock } from './lock.js';

/** Rows indexed per statement while building: progress is reported between chunks. */
const CHUNK = 50_000;

/** Building progress: events indexed so far, of `total`. */
export type WordIndexProgress = (done: number, total: number) => void;

export function wordIndexPending(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM meta WHERE key = 'words_pending'`).get() !== undefined;
}

/** The statement that indexes the words of the events with ids in [?, ?]: the build's and the writer's. */
export function indexWordsOfIds(db: Database.Database): Database.Statement<[number, number]> {
  return db.prepare(`INSERT INTO events_fts(rowid, message) SELECT id, message FROM events WHERE id BETWEEN ? AND ?`);
}

/** Marks the word index as out of date (inside the caller's transaction, if any). */
export function markWordIndexPending(db: Database.Database): void {
  db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES ('words_pending', '1')`).run();
}

/**
 * Builds the word index from events, all of it in one transaction (a build killed half-way leaves
 * the flag set and the next search starts again), reporting progress between chunks.
 */
export function buildWordIndex(db: Database.Database, onProgress?: WordIndexProgress): void {
  const chunk = indexWordsOfIds(db);
  db.transaction(() => {
    const { lo, hi, total } = db.prepare(`SELECT min(id) AS lo, max(id) AS hi, count(*) AS total FROM events`).get() as {
      lo: number | null;
      hi: number | null;
      total: number;
    };
    db.exec(`INSERT INTO events_fts(events_fts) VALUES ('delete-all')`);
    let done = 0;
    // Ids are dense within a run, so id ranges make chunks of about CHUNK rows each.
    for (let from = lo ?? 1; hi !== null && from <= hi; from += CHUNK) {
      done += chunk.run(from, from + CHUNK - 1).changes;
      onProgress?.(done, total);
    }
    db.prepare(`DELETE FROM meta WHERE key = 'words_pending'`).run();
  }).immediate();
}

/**
 * Makes sure the word index is built before a search reads it. On a read-only connection the
 * build goes through a connection of its own to the same file, under the store's write lock (a
 * running ingest makes this throw StoreLockedError: search again when it has finished).
 */
export function ensureWordIndex(db: Database.Database, onProgress?: WordIndexProgress): void {
  if (!wordIndexPending(db)) return;
  if (!db.readonly) {
    buildWordIndex(db, onProgress);
    return;
  }
  const release = acquireWriteLock(db.name);
  try {
    const rw = new Database(db.name, { fileMustExist: true });
    try {
      rw.pragma('busy_timeout = 5000');
      if (wordIndexPending(rw)) buildWordIndex(rw, onProgress);
    } finally {
      rw.close();
    }
  } finally {
    release();
  }
}
