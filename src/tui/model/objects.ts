/**
 * Objects as the TUI shows them: an event's linked objects (the correlator's view) and its
 * references (the parsers' view), and lookups by id for the timeline.
 */
import type Database from 'better-sqlite3';
import type { StoredObject } from '../../correlate/resolve-ref.js';
import type { LinkedObject, StoreReader, StoredEvent } from '../../store/reader.js';
import type { ObjectRef } from '../../model/event.js';

export interface EventDetail {
  event: StoredEvent;
  /** Objects the correlator linked the event to, strongest first. */
  linked: LinkedObject[];
  /** References exactly as the parsers found them. */
  refs: ObjectRef[];
}

export function loadEventDetail(reader: StoreReader, event: StoredEvent): EventDetail {
  return { event, linked: reader.objectsOf(event.id), refs: event.objects };
}

const COLUMNS = 'id, uid, kind, namespace, name, first_seen, last_seen, deleted';

export class ObjectLookup {
  private readonly byId: Database.Statement;

  constructor(db: Database.Database) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM objects WHERE id = ?`);
  }

  object(id: number): StoredObject | undefined {
    return this.byId.get(id) as StoredObject | undefined;
  }
}

/**
 * The object an event is most about, for `t`: its strongest link (objectsOf is ordered by
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
