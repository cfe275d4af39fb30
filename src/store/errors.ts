/**
 * The errors a store raises that a command answers with a plain message and an exit status
 * rather than a stack trace. They live apart from the modules that throw them so that the CLI's
 * entry point can recognize them without loading SQLite (`ktrail --help` loads no store code).
 */

/** A store's state keeps a command from answering: another writer, or an interrupted ingest. */
export class StoreStateError extends Error {
  override name = 'StoreStateError';
}

/** The database was written by a ktrail whose schema this one cannot read. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}
