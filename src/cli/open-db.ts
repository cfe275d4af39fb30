/**
 * Opening the store a command was given (--db FILE), with the causes a user can act on said in
 * one line: a folder, a pipe or device, a file that is no SQLite database, a place that cannot be
 * written. Before this, each of them ended in a stack trace (SqliteError: file is not a database,
 * EACCES on the lock file) or, for a FIFO, in a wait for good. What the store reports itself
 * (another writer, an interrupted ingest, a schema version) goes on as it is.
 */
import { statSync } from 'node:fs';
import { StoreStateError, StoreVersionError } from '../store/errors.js';
import { openStore, type OpenStoreOptions, type Store } from '../store/connection.js';
import { neutralize } from '../util/sanitize.js';
import { UsageError } from './usage-error.js';

/** What is wrong with `file` as a store, in words, from the error opening it gave. */
export async function storeOpenProblem(file: string, err: unknown): Promise<string> {
  const name = `--db ${neutralize(file)}`;
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    // missing, or not reachable: the error says which
  }
  if (isDir) return `${name}: is a folder, not a store file (give a file name inside it)`;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB') return `${name}: not a ktrail store (the file is not an SQLite database)`;
  if (code === 'SQLITE_CANTOPEN') return `${name}: cannot open the store file`;
  if (code === 'SQLITE_READONLY') return `${name}: the store file cannot be written`;
  // Loaded only here: a store command that opens its store fine loads nothing of the ingest.
  const { describeError } = await import('../ingest/diagnostics.js');
  return `${name}: cannot open the store: ${neutralize(describeError(err))}`;
}

/**
 * What a path that exists is, when it is neither a file nor a folder: SQLite would open it as it
 * would a file, and a reader then waited for good on a FIFO no one writes (`trace --db FIFO`),
 * and /dev/null read as an empty store until its first write failed.
 */
function specialFileKind(file: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return 'a pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** openStore, with a UsageError (one line, exit 2) for what is wrong with the file itself. */
export async function openDb(file: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const special = file === ':memory:' ? undefined : specialFileKind(file);
  if (special) throw new UsageError(`--db ${neutralize(file)}: is ${special}, not a store file`);
  try {
    return openStore(file, opts);
  } catch (err) {
    if (err instanceof StoreStateError || err instanceof StoreVersionError || err instanceof UsageError) throw err;
    throw new UsageError(await storeOpenProblem(file, err));
  }
}
