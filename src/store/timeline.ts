/**
 * An object's cross-component timeline, whatever the backend: everything linked to it and to the
 * objects it owns (Deployment -> ReplicaSets -> Pods), in time order, with the time since the
 * previous step. A backend supplies two reads (the objects an object owns; the links to a set of
 * objects in time order) and this puts them together. The pods' own log lines (linked as their
 * emitter) are included: what a CoreDNS pod wrote is part of that pod's story.
 */
import type { StoredObject, Timeline, TimelineStep } from './store.js';

/** Links weaker than this (a guessed name, the emitter of an unrelated line) are not shown. */
export const TIMELINE_MIN_CONFIDENCE = 0.5;

/** Objects looked at below a root at most (bad data may hold an ownership cycle). */
const MAX_OBJECTS = 10_000;

export interface TimelineLinkRow {
  eventId: number;
  time: number;
  objectId: number;
  via: string;
  confidence: number;
}

export interface TimelineReads {
  /** The objects `ownerId` owns, with how the edge was found, oldest first. */
  owned(ownerId: number): (StoredObject & { ownerVia: string })[];
  /**
   * Links to these objects at `minConfidence` or above (emitter links always), ordered by the
   * event's (time, id), at most `limit` rows.
   */
  links(objectIds: readonly number[], minConfidence: number, limit: number): TimelineLinkRow[];
}

/** The root plus the objects it owns, breadth first. */
function ownedClosure(reads: TimelineReads, root: StoredObject): Timeline['objects'] {
  const out: Timeline['objects'] = [{ ...root, depth: 0 }];
  const seen = new Set([root.id]);
  for (let i = 0; i < out.length && out.length < MAX_OBJECTS; i++) {
    for (const child of reads.owned(out[i]!.id)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push({ ...child, depth: out[i]!.depth + 1 });
    }
  }
  return out;
}

export function assembleTimeline(
  reads: TimelineReads,
  root: StoredObject,
  opts: { limit?: number; minConfidence?: number } = {},
): Timeline {
  const objects = ownedClosure(reads, root);
  const rows = reads.links(
    objects.map((o) => o.id),
    opts.minConfidence ?? TIMELINE_MIN_CONFIDENCE,
    opts.limit ?? 1_000_000,
  );
  const steps: TimelineStep[] = [];
  for (const r of rows) {
    const last = steps[steps.length - 1];
    const link = { objectId: r.objectId, via: r.via, confidence: r.confidence };
    if (last && last.eventId === r.eventId) {
      last.links.push(link);
      continue;
    }
    steps.push({ eventId: r.eventId, time: r.time, sincePrevious: last ? r.time - last.time : 0, links: [link] });
  }
  return { root, objects, steps };
}
