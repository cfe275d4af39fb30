/**
 * The store behind the store-backed commands (ingest, trace, incidents, query, sql, view, ci):
 * with PATHs, the database for those inputs (--db FILE, or a cache file keyed by the inputs) is
 * brought up to date (new or changed files ingested, then correlated); with only --db, that
 * database is opened as it is; with neither and a pipe on stdin, an in-memory one is filled.
 */
import { existsSync } from 'node:fs';
import { linkObjects, type LinkSummary } from '../correlate/link.js';
import { detectIncidents } from '../correlate/incidents/index.js';
import { openSources, resolveInputs } from '../ingest/run.js';
import type { SourceInput } from '../ingest/source-reader.js';
import type { Component } from '../model/event.js';
import { ingestEventStream, type IngestSummary } from '../store/ingest.js';
import { defaultDbPath } from '../store/location.js';
import { createWriter, describeSource, openStore, type Store } from '../store/writer.js';
import type { Diagnostics } from './diagnostics.js';
import { UsageError } from './usage-error.js';

export interface StoreFlags {
  db?: string;
  as?: string;
}

export interface OpenedStore {
  store: Store;
  ingest?: IngestSummary;
  link?: LinkSummary;
}

/** Correlation derived from the events (links, owners, then incidents): rebuilt whenever events were added. */
export function correlate(store: Store): LinkSummary {
  const link = linkObjects(store.db);
  detectIncidents(store.db);
  return link;
}

export async function openStoreFor(
  paths: string[],
  flags: StoreFlags,
  diag: Diagnostics,
  opts: { componentOverride?: Component; stdin?: NodeJS.ReadableStream & { isTTY?: boolean } } = {},
): Promise<OpenedStore> {
  const stdin = opts.stdin ?? process.stdin;
  if (paths.length === 0 && flags.db) {
    if (!existsSync(flags.db)) throw new UsageError(`no database at ${flags.db} (create it with: ktrail ingest PATH... --db ${flags.db})`);
    return { store: openStore(flags.db) };
  }
  const piped = paths.length === 0 && !stdin.isTTY;
  if (paths.length === 0 && !piped) throw new UsageError('no input: give files, directories or --db FILE, or pipe logs in');

  const onError = (f: string, m: string): void => diag.warn(f, m);
  const inputs = await resolveInputs(paths, piped ? (stdin as never) : undefined, onError);
  // A pipe given as a path (-, /dev/stdin, <(cmd), a FIFO) can be read once only: it has no
  // fingerprint to cache it by, and describing it would eat its first bytes.
  const streamed = (i: SourceInput): boolean => typeof i.input !== 'string' || i.stream === true;
  const file = flags.db ?? (piped || inputs.some(streamed) ? ':memory:' : await defaultDbPath(paths));
  const store = openStore(file);
  try {
    const metas = await Promise.all(
      inputs.map((i) => (streamed(i) ? { path: '-', display: i.display } : describeSource(i.input as string, i.display))),
    );
    const ingest = await ingestEventStream(createWriter(store), metas, (toRead) =>
      openSources(
        inputs.filter((i) => toRead.some((m) => m.display === i.display)),
        { onError, componentOverride: opts.componentOverride },
      ),
    );
    const objects = store.db.prepare('SELECT count(*) FROM objects').pluck().get() as number;
    const link = ingest.ingested.length > 0 || objects === 0 ? correlate(store) : undefined;
    return { store, ingest, link };
  } catch (err) {
    store.close();
    throw err;
  }
}
