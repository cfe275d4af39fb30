/**
 * Opening the store: one SQLite file (or ':memory:'), migrated to the current schema, with the
 * functions that compiled queries call (regexp, field number and duration readers) registered.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { registerQueryFunctions } from '../query/compile-sql.js';
import { bulkIngestPending, finishBulkIngest, migrate, schemaVersion, SCHEMA_VERSION, StoreVersionError } from './schema.js';

export interface Store {
  readonly db: Database.Database;
  /** The file as given, or ':memory:'. */
  readonly file: string;
  close(): void;
}

export interface OpenStoreOptions {
  /** Open for reading only: no migration, and the schema must be the current one. */
  readonly?: boolean;
}

export function openStore(file: string, opts: OpenStoreOptions = {}): Store {
  const memory = file === ':memory:';
  if (!memory && !opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
  try {
    // WAL: readers (the TUI) never block the writer and a killed writer loses only its open
    // transaction. NORMAL is durable against a process crash; only an OS crash can lose the
    // last commits, and an ingest can always be run again.
    if (!memory && !opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536'); // 64 MiB
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
    throw err;
  }
  return {
    db,
    file,
    close: () => {
      if (db.open) db.close();
    },
  };
}
