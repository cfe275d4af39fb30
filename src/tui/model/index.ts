/**
 * The TUI's model: every read the views need, over one store. Components never see the store;
 * the controller (../controller.ts) calls this and hands plain data to them.
 */
import type { StoredObject } from '../../correlate/resolve-ref.js';
import type { SqlFilter } from '../../query/compile-sql.js';
import type { Store } from '../../store/connection.js';
import { StoreReader, type HistogramBucket, type StoredEvent } from '../../store/reader.js';
import { IncidentStore } from './incidents.js';
import { loadEventDetail, ObjectLookup, type EventDetail } from './objects.js';
import { histogram, storeBounds, type Bounds } from './overview.js';
import { loadTimeline, type TimelineData } from './timeline.js';
import { StoreWatcher } from './live.js';

/** Events kept by id for the timeline and incident views (their visible rows, re-read often). */
const EVENT_CACHE = 4000;

export class TuiModel {
  readonly reader: StoreReader;
  readonly incidents: IncidentStore;
  private readonly objects: ObjectLookup;
  private readonly events = new Map<number, StoredEvent>();
  private readonly watcher: StoreWatcher;

  constructor(readonly store: Store) {
    this.reader = new StoreReader(store);
    this.incidents = new IncidentStore(store.db);
    this.objects = new ObjectLookup(store.db);
    this.watcher = new StoreWatcher(store.db);
  }

  bounds(filter?: SqlFilter): Bounds | undefined {
    return storeBounds(this.reader, filter);
  }

  count(filter?: SqlFilter): number {
    return this.reader.count(filter);
  }

  histogram(from: number, to: number, buckets: number, filter?: SqlFilter): HistogramBucket[] {
    return histogram(this.store.db, this.reader, from, to, buckets, filter);
  }

  detail(event: StoredEvent): EventDetail {
    return loadEventDetail(this.reader, event);
  }

  object(id: number): StoredObject | undefined {
    return this.objects.object(id);
  }

  timeline(root: StoredObject): TimelineData {
    return loadTimeline(this.store.db, root);
  }

  /** Events by id (cached), in the order asked; ids no longer stored are left out. */
  eventsByIds(ids: readonly number[]): StoredEvent[] {
    const missing = ids.filter((id) => !this.events.has(id));
    if (missing.length) {
      if (this.events.size + missing.length > EVENT_CACHE) this.events.clear();
      for (const e of this.reader.eventsByIds(missing)) this.events.set(e.id, e);
    }
    return ids.flatMap((id) => this.events.get(id) ?? []);
  }

  /** True when the store gained events since the last call (and forgets cached ones then). */
  dataChanged(): boolean {
    if (!this.watcher.changed()) return false;
    this.events.clear();
    return true;
  }
}
