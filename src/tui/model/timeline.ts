/**
 * The object timeline view's data: the store's timeline of an object and its owned objects, with
 * its owners above it; the events of the visible steps are read on demand.
 */
import type { ObjectQueries, StoredObject, Timeline, TimelineStep } from '../../store/store.js';

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

export function loadTimeline(objects: ObjectQueries, root: StoredObject): TimelineData {
  const t = objects.timeline(root);
  return { root: t.root, owners: objects.ownerChain(root.id), objects: t.objects, steps: t.steps, byId: new Map(t.objects.map((o) => [o.id, o])) };
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
