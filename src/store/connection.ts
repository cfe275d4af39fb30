/**
 * Opening the store: one SQLite file (or ':memory:'), migrated to the current schema, with the
 * functions that compiled queries call (regexp, field number and duration readers) registered.
 * Opening a file for writing takes its write lock (lock.ts) until close(): a second writer stops
 * with StoreLockedError instead of interleaving its ingest with this one.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { registerQueryFunctions } from '../query/compile-sql.js';
import { acquireWriteLock, lockHolder, StoreLockedError } from './lock.js';
import { bulkIngestPending, finishBulkIngest, migrate, schemaVersion, SCHEMA_VERSION, StoreVersionError } from './schema.js';
import { openSqliteFile } from './sqlite-file.js';
import { SqliteStore } from './sqlite-store.js';

/** What openStore returns: the SQLite backend (commands see it as a KtrailStore). */
export type Store = SqliteStore;

export interface OpenStoreOptions {
  /** Open for reading only: no migration, and the schema must be the current one. */
  readonly?: boolean;
  /**
   * Read-only when the store can be read as it is; opened as a writer only when it must first be
   * brought up to date (an older schema to migrate, a killed bulk ingest's indexes to build). So a
   * reader that may migrate (trace) takes no write lock in the common case: two of them, or one
   * beside the TUI, run at once (each used to stop the other as "another ktrail is writing"). It
   * still stops while another process holds the write lock (an ingest in progress), as before.
   */
  preferReadonly?: boolean;
  /** Limit every read to this cluster (KtrailStore.cluster); absent: every cluster. */
  cluster?: string;
}

export function openStore(file: string, opts: OpenStoreOptions = {}): Store {
  const memory = file === ':memory:';
  if (opts.preferReadonly && !opts.readonly && !memory) {
    const db = openSqliteFile(file, { readonly: true, fileMustExist: true });
    let asIs: boolean;
    try {
      asIs = schemaVersion(db) === SCHEMA_VERSION && !bulkIngestPending(db);
      const holder = asIs ? lockHolder(file) : undefined;
      if (holder && holder.pid !== process.pid) throw new StoreLockedError(file, holder);
    } catch (err) {
      db.close();
      throw err;
    }
    if (asIs) return setUp(db, file, () => {}, { ...opts, readonly: true });
    db.close();
  }
  if (!memory && !opts.readonly) mkdirSync(dirname(file), { recursive: true });
  // Before the database is touched: migrating and finishing a pending bulk ingest are writes.
  const release = memory || opts.readonly ? () => {} : acquireWriteLock(file);
  let db: Database.Database;
  try {
    db = openSqliteFile(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  } catch (err) {
    release();
    throw err;
  }
  return setUp(db, file, release, opts);
}

/** Pragmas, the schema check (read-only) or migration (writer), query functions: the store over `db`. */
function setUp(db: Database.Database, file: string, release: () => void, opts: OpenStoreOptions): Store {
  const memory = file === ':memory:';
  try {
    // WAL: readers (the TUI) never block the writer and a killed writer loses only its open
    // transaction. NORMAL is durable against a process crash; only an OS crash can lose the
    // last commits, and an ingest can always be run again.
    // 16 KiB pages for a new store (SQLite fixes the size when it writes the first table): a
    // first ingest and its index builds cost about a tenth less CPU than with 4 KiB pages
    // (1M events, measured); an existing store keeps its size.
    if (!opts.readonly && schemaVersion(db) === 0) db.pragma('page_size = 16384');
    if (!memory && !opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Sorts that outgrow the cache (a bulk ingest's index builds, the linker's grouping of every
    // UID) spill to temp files; held in memory instead, they grew with the store: rebuilding two
    // of the events indexes peaked at 183 / 255 MB of RSS at 1M / 2M events against 162 / 175
    // with files (and took 30 against 19 s at 2M), and the 5M-event ingest's index phase peaked at
    // 592 MB. SQLite puts them in SQLITE_TMPDIR, else TMPDIR, else /var/tmp (on disk where /tmp
    // may be a tmpfs). A store in memory keeps its temp data in memory too.
    db.pragma(`temp_store = ${memory ? 'MEMORY' : 'FILE'}`);
    // 16 MiB of page cache. SQLite's sorters take as much memory again each before they spill
    // (and `threads` runs more than one), so the cache's size is also what every big sort holds:
    // with 64 MiB, the linker's grouping of the 5M-event bench input's UIDs alone took ~290 MB of
    // RSS, and re-correlating that store peaked at 732 MB against 606 MB with 16 MiB (160 against
    // 196 s; its 1M-event ingest 50-65 s either way, peak 375-389 against 318-348 MB). The pages
    // beyond it come from the kernel's cache: `trace` on the 5M store took 0.16 / 0.30 s (by uid
    // / by name) with either.
    db.pragma('cache_size = -16384');
    // No mmap_size, readers included. Mapping the file made `trace` of a 1,995-event pod on the
    // scale-20 store 0.74x as long (a read() of a cached 16 KB page costs ~25 µs on the bench
    // machine), but a store file truncated by another program (`cp` over it) while a statement
    // reads it then kills the process with SIGBUS, which no handler can turn into a message;
    // read page by page it is SQLITE_CORRUPT, reported like any other error (test/src/store/
    // truncated-store.test.ts).
    // Sorts (a bulk ingest's index builds, ORDER BY without an index) may use a second core.
    db.pragma('threads = 2');
    if (opts.readonly) {
      const v = schemaVersion(db);
      if (v !== SCHEMA_VERSION) {
        throw new StoreVersionError(
          `${file}: schema version ${v}, this ktrail reads version ${SCHEMA_VERSION}` +
            (v < SCHEMA_VERSION ? ' (open it once for writing to migrate it)' : ' (upgrade ktrail)'),
        );
      }
    } else {
      migrate(db, undefined, file);
      // A bulk ingest was killed before its end: build what it left out.
      if (bulkIngestPending(db)) finishBulkIngest(db);
    }
    registerQueryFunctions(db);
  } catch (err) {
    db.close();
    release();
    throw err;
  }
  return new SqliteStore(db, file, release, opts.cluster);
}
