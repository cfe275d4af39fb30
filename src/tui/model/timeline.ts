/**
 * The object timeline view's data: buildTimeline (src/correlate/timeline.ts) for an object and
 * its owned objects, with the events of the visible steps read on demand.
 */
import type Database from 'better-sqlite3';
import { buildTimeline, type Timeline, type TimelineStep } from '../../correlate/timeline.js';
import type { StoredObject } from '../../correlate/resolve-ref.js';

export type TimelineObject = Timeline['objects'][number];

export interface TimelineData {
  root: StoredObject;
  /** The root's owners, nearest first (ReplicaSet, then Deployment). */
  owners: StoredObject[];
  objects: TimelineObject[];
  steps: TimelineStep[];
  /** Timeline objects by id (the root included). */
  byId: Map<number, TimelineObject>;
}

export function loadTimeline(db: Database.Database, root: StoredObject): TimelineData {
  const t = buildTimeline(db, root);
  return { root: t.root, owners: ownerChain(db, root.id), objects: t.objects, steps: t.steps, byId: new Map(t.objects.map((o) => [o.id, o])) };
}

/** An object's owners, nearest first, by the strongest edge at each level (bounded: bad data may loop). */
export function ownerChain(db: Database.Database, id: number): StoredObject[] {
  const up = db.prepare(
    `SELECT o.id, o.uid, o.kind, o.namespace, o.name, o.first_seen, o.last_seen, o.deleted
     FROM owners w JOIN objects o ON o.id = w.owner_id WHERE w.owned_id = ? ORDER BY w.confidence DESC, o.id LIMIT 1`,
  );
  const out: StoredObject[] = [];
  const seen = new Set([id]);
  for (let at = id; out.length < 8; ) {
    const owner = up.get(at) as StoredObject | undefined;
    if (!owner || seen.has(owner.id)) break;
    seen.add(owner.id);
    out.push(owner);
    at = owner.id;
  }
  return out;
}

/** The objects of a step other than the root, strongest link first: where `t` on it goes. */
export function stepOtherObjects(data: TimelineData, step: TimelineStep): number[] {
  return [...step.links]
    .filter((l) => l.objectId !== data.root.id)
    .sort((a, b) => b.confidence - a.confidence)
    .map((l) => l.objectId);
}

/** Index of the first step at or after `time` (steps.length when none). */
export function stepAtOrAfter(steps: readonly TimelineStep[], time: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
