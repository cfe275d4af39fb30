/**
 * Follow mode's tailer: src/ingest/follow.ts watches the inputs and hands over every event
 * appended to them; this appends them to the store, where the TUI picks them up (StoreWatcher).
 *
 * Events go to the source row of their file when the store has one (the ingest that opened the
 * view made it), else to a new row. New rows stay incomplete on purpose: the next one-shot
 * ingest of those paths then reads the files again in full, as it does for a changed file. New
 * events get their refs (queries by pod or node see them) but no correlator links until the
 * next ingest correlates the store again.
 */
import { follow, type FollowedSource, type Follower } from '../../ingest/follow.js';
import type { KtrailStore } from '../../store/store.js';
import type { LiveFeed } from './live.js';

export interface FollowFeedOptions {
  /** A problem with one file; following goes on. */
  onError: (file: string, message: string) => void;
  /** Tests pass a follower of their own. */
  follower?: Follower;
  /** The cluster of a new source row (src/ingest/follow-cluster.ts); default ''. */
  clusterOf?: (source: FollowedSource) => string;
}

export function startFollowFeed(store: KtrailStore, paths: string[], opts: FollowFeedOptions): LiveFeed {
  const follower = opts.follower ?? follow(paths, { start: 'end', onError: opts.onError });
  const writer = store.writer({ bulk: false });
  const ids = new Map<number, number>();
  const idFor = (source: FollowedSource): number => {
    let id = ids.get(source.id);
    if (id === undefined) {
      id = store.sources.idOf(source.display, source.path) ?? writer.beginSource({ cluster: opts.clusterOf?.(source) ?? '', path: source.path, display: source.display }).id;
      ids.set(source.id, id);
    }
    return id;
  };
  const pump = (async () => {
    for await (const batch of follower) {
      if (batch.events.length === 0) continue;
      writer.addEvents(idFor(batch.source), batch.events);
      // Commit at once: the view shows what is committed.
      writer.flush();
    }
  })().catch((err: unknown) => opts.onError('follow', err instanceof Error ? err.message : String(err)));
  return {
    ready: follower.ready,
    async stop() {
      await follower.close();
      await pump;
      writer.flush();
    },
  };
}
