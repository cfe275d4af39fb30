/**
 * Follow mode into the store: every batch a follower yields is committed at once (one small
 * transaction), so that a reader of the same store (the TUI, re-querying by (time, id)) sees the
 * lines within the follower's latency. Event ids keep increasing in arrival order (the writer
 * numbers them after the largest stored id).
 *
 * One source row per followed stream. Its `path` is the file's path with a follow suffix
 * (`/var/log/kubelet.log#follow:<dev>:<ino>@<start ms>`), never the bare path: the writer replaces
 * the rows of a path it is given again, and neither an earlier `ktrail ingest` of the same file,
 * nor the previous generation of a rotated file, nor an earlier follow run may be deleted by this
 * one. Rows stay incomplete while followed and are completed, with their stats, when the follower
 * ends. The writer runs outside bulk mode, so rows are indexed and word-searchable as they land.
 */
import type { KtrailStore } from '../store/store.js';
import type { FollowedSource, Follower } from './follow.js';

export interface FollowStoreOptions {
  /** After each committed batch: events committed so far. */
  onCommit?: (eventsCommitted: number) => void;
  /** The cluster of a stream's source row (follow-cluster.ts); default ''. */
  clusterOf?: (source: FollowedSource) => string;
}

export interface FollowStoreSummary {
  /** Source rows written, by followed stream id. */
  sourceIds: Map<number, number>;
  events: number;
}

/** The source row key of a followed stream (see above). */
export function followedSourcePath(source: FollowedSource, runStartMs: number): string {
  return `${source.path}#follow:${source.dev}:${source.ino}@${runStartMs}`;
}

/**
 * Appends the follower's batches to the store until the follower ends (close() it to stop);
 * resolves with what was written. The store stays open.
 */
export async function followIntoStore(
  follower: Follower,
  store: KtrailStore,
  opts: FollowStoreOptions = {},
): Promise<FollowStoreSummary> {
  const runStart = Date.now();
  const writer = store.writer({ bulk: false, onCommit: opts.onCommit });
  const ids = new Map<number, number>();
  const rowOf = (source: FollowedSource): number => {
    let id = ids.get(source.id);
    if (id === undefined) {
      id = writer.beginSource({
        cluster: opts.clusterOf?.(source) ?? '',
        path: followedSourcePath(source, runStart),
        display: source.display,
        envelope: source.stats.envelope,
      }).id;
      ids.set(source.id, id);
    }
    return id;
  };
  let events = 0;
  try {
    for await (const batch of follower) {
      writer.addEvents(rowOf(batch.source), batch.events);
      writer.flush();
      events += batch.events.length;
    }
    // Streams that never made an event still get their row and their accounting.
    for (const source of follower.sources()) if (source.stats.linesRead > 0) rowOf(source);
    const byId = new Map(follower.sources().map((s) => [s.id, s]));
    writer.completeSources([...ids].map(([sourceId, id]) => ({ id, stats: byId.get(sourceId)!.stats })));
  } finally {
    writer.close();
  }
  return { sourceIds: ids, events };
}
