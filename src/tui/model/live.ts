/**
 * Follow mode's view of the store: new events land in it (appended by the follow tailer, or by
 * another ktrail ingest of the same database), and the TUI learns about them by polling the
 * newest event id, which costs one index lookup.
 */
import type { EventQueries } from '../../store/store.js';

export class StoreWatcher {
  private newest: number;

  constructor(private readonly events: EventQueries) {
    this.newest = events.newestId();
  }

  /** True (once) when events were added since the last call. */
  changed(): boolean {
    const now = this.events.newestId();
    if (now === this.newest) return false;
    this.newest = now;
    return true;
  }
}

/**
 * A live source of events for follow mode: something that tails the inputs and appends what
 * they gain to the store (src/ingest/follow.ts when present). The TUI only starts and stops it;
 * it sees the new events through StoreWatcher.
 */
export interface LiveFeed {
  /** Resolves once the feed watches its inputs (appends from then on are seen). */
  ready?: Promise<void>;
  stop(): Promise<void> | void;
}
