/**
 * Objects as the TUI shows them: an event's linked objects (the correlator's view) and its
 * references (the parsers' view), and lookups by id for the timeline.
 */
import type { ObjectRef } from '../../model/event.js';
import type { LinkedObject, ObjectQueries, StoredEvent } from '../../store/store.js';

export interface EventDetail {
  event: StoredEvent;
  /** Objects the correlator linked the event to, strongest first. */
  linked: LinkedObject[];
  /** References exactly as the parsers found them. */
  refs: ObjectRef[];
}

export function loadEventDetail(objects: ObjectQueries, event: StoredEvent): EventDetail {
  return { event, linked: objects.linksOf(event.id), refs: event.objects };
}

/**
 * The object an event is most about, for `t`: its strongest link (linksOf is ordered by
 * confidence), preferring a pod or a node on ties because their timelines tell the most.
 * Emitter links (the pod that wrote the line) count only when there is nothing else.
 */
export function primaryObject(linked: readonly LinkedObject[], exclude?: number): LinkedObject | undefined {
  const usable = linked.filter((o) => o.id !== exclude);
  const about = usable.filter((o) => o.via !== 'emitter');
  const pool = about.length ? about : usable;
  const rank = (o: LinkedObject): number => (o.kind === 'Pod' ? 0 : o.kind === 'Node' ? 1 : 2);
  return [...pool].sort((a, b) => b.confidence - a.confidence || rank(a) - rank(b) || a.id - b.id)[0];
}
