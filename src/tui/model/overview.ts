/**
 * What the TUI shows about the whole (filtered) store: its first and last events, its size, and
 * the histogram of events over time by severity (EventQueries.histogram). These read far more than a screenful (a count
 * visits every matching index entry), so the controller computes them after the first screen is
 * drawn and caches them per filter.
 */
import type { SqlFilter } from '../../query/compile-sql.js';
import { END } from '../../store/reader.js';
import type { EventQueries, StoredEvent } from '../../store/store.js';

export interface Bounds {
  first: StoredEvent;
  last: StoredEvent;
}

/** First and last (filtered) events by keyset: two indexed reads (min and max together scan). */
export function storeBounds(reader: EventQueries, filter?: SqlFilter): Bounds | undefined {
  const first = reader.page({ limit: 1, filter })[0];
  const last = reader.page({ limit: 1, before: END, filter })[0];
  return first && last ? { first, last } : undefined;
}
