/**
 * `ktrail view [PATH...] [--db FILE] [--follow]`: the terminal UI over the store (src/tui).
 *
 * ink is loaded only here, when the view opens, so that the other commands do not pay for it
 * (and so that the CI check below can run before ink reads the environment).
 */
import { basename } from 'node:path';
import { colorEnabled } from '../output/colors.js';
import type { KtrailStore } from '../store/store.js';
import type { Diagnostics } from './diagnostics.js';
import { openStoreFor, type StoreFlags } from './open-store.js';
import { UsageError } from './usage-error.js';
import { neutralize } from '../util/sanitize.js';

export interface ViewFlags extends StoreFlags {
  follow?: boolean;
}

export interface ViewOptions {
  /** Start in follow mode (new events appear as they are added to the store). */
  follow?: boolean;
  /** Files and folders to tail in follow mode (their new lines are appended to the store). */
  followPaths?: string[];
  /** The cluster label of what follow mode writes (`--cluster`); default: as ingest names PATHs. */
  followCluster?: string;
  /** Problems met while following (reported once the view is closed: stderr would garble it). */
  onFollowError?: (file: string, message: string) => void;
  /** Shown at the top left. */
  title?: string;
  /** Open on the incident list (the demo) rather than the event list. */
  start?: 'incidents';
}

/**
 * Opens the TUI on a store and resolves when the user quits (the demo calls this). Needs a
 * terminal on stdin and stdout.
 */
export async function openViewOnStore(store: KtrailStore, opts: ViewOptions = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('ktrail view needs a terminal (stdin and stdout); to read piped logs, ktrail ingest them into --db FILE first');
  }
  // ink draws nothing but the last frame when it believes it runs under CI (it reads CI when it
  // is loaded). Someone who opens an interactive view in a terminal wants it drawn.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // React's development build checks every render and makes each redraw several times slower;
  // it reads NODE_ENV when it is first loaded, which is here.
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('../tui/run.js');
  const paths = opts.followPaths ?? [];
  const startFeed = paths.length
    ? async () => {
        const onError = opts.onFollowError ?? (() => {});
        try {
          const { startFollowFeed } = await import('../tui/model/follow-feed.js');
          const { followClusters } = await import('../ingest/follow-cluster.js');
          return startFollowFeed(store, paths, { onError, clusterOf: await followClusters(paths, opts.followCluster) });
        } catch (err) {
          onError('follow', `cannot follow: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      }
    : undefined;
  await runTui(store, { title: opts.title, follow: opts.follow, start: opts.start, startFeed, color: colorEnabled(process.stdout) });
}

/** The header's title: the inputs, and the cluster shown when one was asked for or there are several. */
function titleFor(paths: string[], flags: ViewFlags, clusters: readonly string[]): string {
  const what = paths.length ? paths.map((p) => basename(p.replace(/\/+$/, '')) || p).join(' ') : flags.db ? basename(flags.db) : 'stdin';
  const cluster = flags.cluster !== undefined ? `  cluster ${flags.cluster || '-'}` : clusters.length > 1 ? `  ${clusters.length} clusters` : '';
  return `ktrail ${what.length > 40 ? what.slice(0, 39) + '…' : what}${neutralize(cluster)}`;
}

export async function runView(paths: string[], flags: ViewFlags, diag: Diagnostics): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('ktrail view needs a terminal (stdin and stdout); to read piped logs, ktrail ingest them into --db FILE first');
  }
  // With --db alone the view only reads: it opens the file read-only and takes no write lock, so
  // that an ingest into the same store can run meanwhile (follow mode shows what it adds).
  const { store } = await openStoreFor(paths, flags, diag, { readOnly: true });
  const followProblems: [string, string][] = [];
  try {
    // Follow mode tails PATHs (src/ingest/follow.ts) into the store; with --db alone it shows
    // what other writers (ktrail ingest ... --db FILE) add.
    await openViewOnStore(store, {
      follow: flags.follow,
      followPaths: paths,
      followCluster: flags.cluster,
      onFollowError: (file, message) => followProblems.push([file, message]),
      title: titleFor(paths, flags, store.sources.clusters()),
    });
  } finally {
    store.close();
    for (const [file, message] of followProblems) diag.warn(file, message);
  }
  return diag.count > 0 ? 1 : 0;
}
