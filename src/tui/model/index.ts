/**
 * The TUI's model: every read the views need, over one store. Components never see the store;
 * the controller (../controller.ts) calls this and hands plain data to them.
 */
import type { SqlFilter } from '../../query/compile-sql.js';
import type { EventQueries, HistogramBucket, KtrailStore, StoredEvent, StoredObject } from '../../store/store.js';
import { IncidentStore } from './incidents.js';
import { loadEventDetail, type EventDetail } from './objects.js';
import { storeBounds, type Bounds } from './overview.js';
import { loadTimeline, type TimelineData } from './timeline.js';
import { StoreWatcher } from './live.js';

/** Events kept by id for the timeline and incident views (their visible rows, re-read often). */
const EVENT_CACHE = 4000;

export class TuiModel {
  readonly reader: EventQueries;
  readonly incidents: IncidentStore;
  private readonly events = new Map<number, StoredEvent>();
  private readonly watcher: StoreWatcher;

  constructor(readonly store: KtrailStore) {
    this.reader = store.events;
    this.incidents = new IncidentStore(store.incidents);
    this.watcher = new StoreWatcher(store.events);
  }

  bounds(filter?: SqlFilter): Bounds | undefined {
    return storeBounds(this.reader, filter);
  }

  count(filter?: SqlFilter): number {
    return this.reader.count(filter);
  }

  histogram(from: number, to: number, buckets: number, filter?: SqlFilter): HistogramBucket[] {
    // `to` is the last event's time: include it.
    return this.reader.histogram({ from, to: to + 1, buckets, filter });
  }

  detail(event: StoredEvent): EventDetail {
    return loadEventDetail(this.store.objects, event);
  }

  object(id: number): StoredObject | undefined {
    return this.store.objects.byId(id);
  }

  timeline(root: StoredObject): TimelineData {
    return loadTimeline(this.store.objects, root);
  }

  /** Events by id (cached), in the order asked; ids no longer stored are left out. */
  eventsByIds(ids: readonly number[]): StoredEvent[] {
    const missing = ids.filter((id) => !this.events.has(id));
    if (missing.length) {
      if (this.events.size + missing.length > EVENT_CACHE) this.events.clear();
      for (const e of this.reader.byIds(missing)) this.events.set(e.id, e);
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
