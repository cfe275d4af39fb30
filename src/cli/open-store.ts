/**
 * The store behind the store-backed commands (ingest, trace, incidents, query, sql, view, ci):
 * with PATHs, the database for those inputs (--db FILE, or a cache file keyed by the inputs) is
 * brought up to date (new or changed files ingested, then correlated); with only --db, that
 * database is opened as it is; with neither and a pipe on stdin, an in-memory one is filled.
 *
 * Commands that answer from the store (readers) refuse a store with an interrupted ingest: a
 * source left incomplete by a killed run (or by a run that is still writing) would make every
 * answer silently partial ("no incidents found"). Completing it here is not an option in
 * general: with --db alone the inputs may be gone or changed, or have been a pipe. So the
 * reader says which sources are incomplete and how to complete them, and exits 1. With PATHs
 * the ingest has already re-read every incomplete source of those paths, so a reader stops
 * only for sources of other inputs.
 */
import { existsSync } from 'node:fs';
import type { LinkSummary } from '../correlate/link.js';
import type { SourceInput } from '../ingest/source-reader.js';
import type { Component } from '../model/event.js';
import type { IngestSummary } from '../store/ingest.js';
import { isClickhouseUrl } from '../store/clickhouse/url.js';
import type { SourceMeta } from '../store/fingerprint.js';
import { lockHolder, StoreLockedError, StoreStateError } from '../store/lock.js';
import type { KtrailStore, SourceRow } from '../store/store.js';
import type { Store } from '../store/connection.js';
import { givenPath } from '../util/extracted-path.js';
import { neutralize } from '../util/sanitize.js';
import type { Diagnostics } from './diagnostics.js';
import { openDb } from './open-db.js';
import { UsageError } from './usage-error.js';
import { withDefaultSignals } from '../util/scratch-folder.js';

export interface StoreFlags {
  db?: string;
  as?: string;
  /**
   * A reader's --cluster: every answer comes from this cluster only. ingest's --cluster (with
   * OpenFor.clusterLabel): the cluster the inputs are stored under, in place of their own names.
   */
  cluster?: string;
  /** Store each host's events moved by minus its clock's estimated offset (cli/fix-skew.ts). */
  fixSkew?: boolean;
}

export interface OpenedStore {
  store: KtrailStore;
  ingest?: IngestSummary;
  link?: LinkSummary;
  /** A ClickHouse store: the copy of what was read (src/store/clickhouse/copy.ts). */
  copy?: { events: number; seconds: number };
  /** Runs incident detection again (for a store correlated by a ktrail that had fewer rules). */
  detectIncidents(): Promise<void>;
}

export interface OpenFor {
  componentOverride?: Component;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Refuse a store with incomplete sources (StoreStateError). Default true: every reader. */
  requireComplete?: boolean;
  /** With --db alone, open the file read-only: no migration, no lock, no write of any kind. */
  readOnly?: boolean;
  /**
   * With --db alone, read-only unless the store must first be migrated or finished (then as a
   * writer, with the lock): OpenStoreOptions.preferReadonly.
   */
  preferReadOnly?: boolean;
  /** flags.cluster names the inputs' cluster (ingest) instead of limiting what is read. */
  clusterLabel?: boolean;
  /** Inputs not to read (a ClickHouse store holds them already): counted as skipped. */
  skip?: (meta: SourceMeta) => boolean;
}

/**
 * Correlation derived from the events (links, owners, then incidents): rebuilt whenever events were added.
 * The linker and the rules are loaded only here: a store opened as it is (trace --db F) starts
 * without them.
 */
export async function correlate(store: Store): Promise<LinkSummary> {
  const [{ linkObjects }, { detectIncidents }] = await Promise.all([import('../correlate/link.js'), import('../correlate/incidents/index.js')]);
  // Synchronous for as long as the store is big: Ctrl-C must stop it at once (scratch-folder.ts).
  return withDefaultSignals(() => {
    const link = linkObjects(store.correlation);
    detectIncidents(store);
    store.correlation.finished();
    return link;
  });
}

/** "complete it with: ktrail ingest PATH... --db F", naming the files these sources were read from. */
function completeWith(store: KtrailStore, sources: readonly SourceRow[]): string {
  // A file extracted from an archive is named by the archive: its extracted copy is gone.
  const paths = [...new Set(sources.filter((s) => s.path !== '-').map((s) => givenPath(s.path, s.display)))].slice(0, 3).map(neutralize);
  return paths.length ? `complete it with: ktrail ingest ${paths.join(' ')} --db ${neutralize(store.file)}` : 'ingest its inputs again';
}

/**
 * Throws StoreStateError when an ingest into this store began and did not finish: it stopped
 * while reading (incomplete sources) or while correlating what it had read (schema.ts
 * correlationPending), or StoreLockedError while that ingest is still running.
 */
export function assertComplete(store: KtrailStore): void {
  const incomplete = store.sources.incomplete();
  const correlating = incomplete.length === 0 && store.sources.correlationPending();
  if (incomplete.length === 0 && !correlating) return;
  // A store opened read-only takes no lock: this may be an ingest still running.
  const holder = store.file === ':memory:' ? undefined : lockHolder(store.file);
  if (holder && holder.pid !== process.pid) throw new StoreLockedError(store.file, holder);
  if (correlating) {
    throw new StoreStateError(
      `${store.file}: the store is incomplete: an ingest stored its events and was interrupted before it had correlated them (links, incidents); ` +
        completeWith(store, store.sources.list()),
    );
  }
  const names = incomplete.slice(0, 3).map((s) => neutralize(s.display));
  const more = incomplete.length > 3 ? ` and ${incomplete.length - 3} more` : '';
  throw new StoreStateError(`${store.file}: the store is incomplete: the ingest of ${names.join(', ')}${more} was interrupted; ` + completeWith(store, incomplete));
}

export async function openStoreFor(paths: string[], flags: StoreFlags, diag: Diagnostics, opts: OpenFor = {}): Promise<OpenedStore> {
  const db = flags.db ?? (process.env['KTRAIL_DB'] || undefined);
  if (db !== undefined && isClickhouseUrl(db)) {
    // Read, correlated and detected in a temporary SQLite store as below, then copied.
    const { openClickhouseFor } = await import('./open-clickhouse.js');
    const fill = async (file: string, skip: (m: SourceMeta) => boolean): Promise<{ store: Store; ingest?: IngestSummary; link?: LinkSummary }> => {
      const filled = await openStoreFor(paths, { ...flags, db: file }, diag, { ...opts, requireComplete: false, skip });
      return { ...filled, store: filled.store as Store };
    };
    const ch = await openClickhouseFor(db, paths, { cluster: flags.cluster, fill });
    return { store: ch.store, ingest: ch.ingest, link: ch.link, copy: ch.copy, detectIncidents: async () => {} };
  }
  if (db !== undefined && flags.db === undefined) flags = { ...flags, db };
  const stdin = opts.stdin ?? process.stdin;
  const opened = (whole: Store, rest: Omit<OpenedStore, 'store' | 'detectIncidents'> = {}): OpenedStore => {
    const store = opts.clusterLabel || flags.cluster === undefined ? whole : whole.inCluster(flags.cluster);
    if (store !== whole) {
      // A cluster the store does not hold would answer every question with nothing (and a CI
      // run would pass on nothing): say which clusters there are instead.
      const clusters = whole.sources.clusters();
      if (!clusters.includes(flags.cluster!)) {
        whole.close();
        const names = clusters.map((c) => (c === '' ? "'' (no name)" : neutralize(c))).join(', ');
        throw new UsageError(`no cluster ${neutralize(JSON.stringify(flags.cluster))} in ${whole.file} (it holds: ${names || 'nothing yet'})`);
      }
    }
    if (opts.requireComplete !== false) {
      try {
        assertComplete(store);
      } catch (err) {
        store.close();
        throw err;
      }
    }
    return {
      store,
      ...rest,
      detectIncidents: async () => {
        const { detectIncidents } = await import('../correlate/incidents/index.js');
        withDefaultSignals(() => detectIncidents(store));
      },
    };
  };
  if (paths.length === 0 && flags.db) {
    if (!existsSync(flags.db)) throw new UsageError(`no database at ${flags.db} (create it with: ktrail ingest PATH... --db ${flags.db})`);
    return opened(await openDb(flags.db, { readonly: opts.readOnly === true, preferReadonly: opts.preferReadOnly === true }));
  }
  const piped = paths.length === 0 && !stdin.isTTY;
  if (paths.length === 0 && !piped) throw new UsageError('no input: give files, directories or --db FILE, or pipe logs in');

  // The parsers, the ingest, the signals recognized as it writes, and what finds and describes
  // inputs (hashes, progress) are loaded only here: a store opened as it is (trace --db F) starts
  // without them.
  const [{ openSources, resolveInputs }, { ingestEventStream }, { SIGNAL_REGISTRY }, { defaultDbPath }, { describeSource }, { createReadProgress, withProgress }, { inputBytes }] =
    await Promise.all([
      import('../ingest/run.js'),
      import('../store/ingest.js'),
      import('../signals/index.js'),
      import('../store/location.js'),
      import('../store/fingerprint.js'),
      import('./progress.js'),
      import('../ingest/input-bytes.js'),
    ]);
  // --fix-skew: the offsets come from a first read of every input, before anything is stored.
  const offsets = flags.fixSkew ? await (await import('./fix-skew.js')).skewOffsets(paths, piped, opts.componentOverride) : undefined;
  const skewFix = offsets ? await import('../correlate/skew-fix.js') : undefined;
  const onError = (f: string, m: string): void => diag.warn(f, m);
  const inputs = await resolveInputs(paths, piped ? (stdin as never) : undefined, onError);
  // A pipe given as a path (-, /dev/stdin, <(cmd), a FIFO) can be read once only: it has no
  // fingerprint to cache it by, and describing it would eat its first bytes.
  const streamed = (i: SourceInput): boolean => typeof i.input !== 'string' || i.stream === true;
  const file = flags.db ?? (piped || inputs.some(streamed) ? ':memory:' : await defaultDbPath(paths));
  const store = await openDb(file);
  let result;
  try {
    const metas: SourceMeta[] = await Promise.all(
      inputs.map((i) => {
        // ingest --cluster names every input's cluster; else each keeps its own (cluster-name.ts).
        const cluster = (opts.clusterLabel ? flags.cluster : undefined) ?? i.cluster ?? '';
        return streamed(i) ? { path: '-', display: i.display, cluster } : describeSource(i.input as string, i.display, cluster);
      }),
    );
    if (offsets && skewFix) for (const m of metas) m.fingerprint = skewFix.fixedFingerprint(m.fingerprint, offsets);
    const skipped = opts.skip ? metas.filter(opts.skip) : [];
    const ingest = await ingestEventStream(store.writer({ signals: SIGNAL_REGISTRY, correlates: true }), metas.filter((m) => !skipped.includes(m)), async (toRead) => {
      const read = openSources(
        inputs.filter((i) => toRead.some((m) => m.display === i.display)),
        { onError, componentOverride: opts.componentOverride, storedForm: { signals: true } },
      );
      const stream = offsets && skewFix ? skewFix.shiftedStream(read, offsets) : read;
      // On a terminal, a progress bar on stderr while the inputs are read (nothing otherwise).
      const paths = toRead.filter((m) => m.path !== '-').map((m) => m.path);
      const sizes = await Promise.all(paths.map((p) => inputBytes(p).catch(() => 0)));
      const progress = await createReadProgress({
        stream: process.stderr,
        label: 'reading',
        files: toRead.length,
        totalBytes: sizes.reduce((a, b) => a + b, 0),
      });
      return { stats: stream.stats, events: withProgress(stream.events, progress) };
    });
    ingest.skipped.push(...skipped.map((m) => m.display));
    // Also when an earlier ingest stored its sources and was stopped before it had correlated them.
    const link = ingest.ingested.length > 0 || store.objects.count() === 0 || store.sources.correlationPending() ? await correlate(store) : undefined;
    result = { ingest, link };
  } catch (err) {
    store.close();
    throw err;
  }
  return opened(store, result);
}
