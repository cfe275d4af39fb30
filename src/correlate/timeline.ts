/**
 * An object's cross-component timeline: everything linked to it and to the objects it owns
 * (Deployment -> ReplicaSets -> Pods), in time order, with the time since the previous step.
 * The pods' own log lines (linked as their emitter) are included: what a CoreDNS pod wrote is
 * part of that pod's story.
 */
import type Database from 'better-sqlite3';
import type { StoredObject } from './resolve-ref.js';

/** Links weaker than this (a guessed name, the emitter of an unrelated line) are not shown. */
export const TIMELINE_MIN_CONFIDENCE = 0.5;

export interface TimelineStep {
  eventId: number;
  time: number;
  /** Microseconds since the previous step (0 for the first). */
  sincePrevious: number;
  /** The objects of the timeline this event is linked to, and how. */
  links: { objectId: number; via: string; confidence: number }[];
}

export interface Timeline {
  root: StoredObject;
  /** The root and every object it owns, transitively, with its depth below the root. */
  objects: (StoredObject & { depth: number; ownerVia?: string })[];
  steps: TimelineStep[];
}

const COLUMNS = 'o.id, o.uid, o.kind, o.namespace, o.name, o.first_seen, o.last_seen, o.deleted';

/** The root plus the objects it owns, breadth first (bounded, in case of a cycle in bad data). */
function ownedClosure(db: Database.Database, root: StoredObject): Timeline['objects'] {
  const owned = db.prepare(
    `SELECT ${COLUMNS}, w.via AS ownerVia FROM owners w JOIN objects o ON o.id = w.owned_id WHERE w.owner_id = ? ORDER BY o.first_seen`,
  );
  const out: Timeline['objects'] = [{ ...root, depth: 0 }];
  const seen = new Set([root.id]);
  for (let i = 0; i < out.length && out.length < 10_000; i++) {
    for (const child of owned.all(out[i]!.id) as (StoredObject & { ownerVia: string })[]) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push({ ...child, depth: out[i]!.depth + 1 });
    }
  }
  return out;
}

export function buildTimeline(db: Database.Database, root: StoredObject, opts: { limit?: number } = {}): Timeline {
  const objects = ownedClosure(db, root);
  const ids = objects.map((o) => o.id);
  const rows = db
    .prepare(
      `SELECT eo.event_id, e.time, eo.object_id, eo.via, eo.confidence
       FROM event_objects eo JOIN events e ON e.id = eo.event_id
       WHERE eo.object_id IN (SELECT value FROM json_each(?))
         AND (eo.confidence >= ? OR eo.via = 'emitter')
       ORDER BY e.time, e.id LIMIT ?`,
    )
    .all(JSON.stringify(ids), TIMELINE_MIN_CONFIDENCE, opts.limit ?? 1_000_000) as {
    event_id: number;
    time: number;
    object_id: number;
    via: string;
    confidence: number;
  }[];
  const steps: TimelineStep[] = [];
  for (const r of rows) {
    const last = steps[steps.length - 1];
    if (last && last.eventId === r.event_id) {
      last.links.push({ objectId: r.object_id, via: r.via, confidence: r.confidence });
      continue;
    }
    steps.push({
      eventId: r.event_id,
      time: r.time,
      sincePrevious: last ? r.time - last.time : 0,
      links: [{ objectId: r.object_id, via: r.via, confidence: r.confidence }],
    });
  }
  return { root, objects, steps };
}
