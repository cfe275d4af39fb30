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
  /**
   * The objects each of `ownerIds` owns, with how the edge was found, oldest first per owner: one
   * read for a whole level of many timelines (a remote store pays a round trip per read).
   */
  owned(ownerIds: readonly number[]): Map<number, (StoredObject & { ownerVia: string })[]>;
  /**
   * Links to these objects at `minConfidence` or above (emitter links always), ordered by the
   * event's (time, id), at most `limit` rows.
   */
  links(objectIds: readonly number[], minConfidence: number, limit: number): TimelineLinkRow[];
}

export interface TimelineOptions {
  limit?: number;
  minConfidence?: number;
}

/**
 * Each root plus the objects it owns, breadth first (the same order as expanding one object at a
 * time), one owned() read per level for all the roots together.
 */
function ownedClosures(reads: TimelineReads, roots: readonly StoredObject[]): Timeline['objects'][] {
  const walks = roots.map((root) => ({ out: [{ ...root, depth: 0 }] as Timeline['objects'], seen: new Set([root.id]), next: 0 }));
  for (;;) {
    // The objects of this level, of every walk that may still grow.
    const level = walks.filter((w) => w.next < w.out.length && w.out.length < MAX_OBJECTS);
    if (level.length === 0) break;
    const owned = reads.owned([...new Set(level.flatMap((w) => w.out.slice(w.next).map((o) => o.id)))]);
    for (const w of level) {
      const end = w.out.length;
      for (; w.next < end && w.out.length < MAX_OBJECTS; w.next++) {
        const parent = w.out[w.next]!;
        for (const child of owned.get(parent.id) ?? []) {
          if (w.seen.has(child.id)) continue;
          w.seen.add(child.id);
          w.out.push({ ...child, depth: parent.depth + 1 });
        }
      }
      // A walk stopped by MAX_OBJECTS expands nothing more.
      if (w.out.length >= MAX_OBJECTS) w.next = w.out.length;
    }
  }
  return walks.map((w) => w.out);
}

function stepsOf(rows: readonly TimelineLinkRow[]): TimelineStep[] {
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
  return steps;
}

/**
 * The timelines of several roots in a few reads whatever their number (`ktrail trace` of a name
 * that a thousand pods had): one owned() per level, one links() for all of them, split here.
 * Each timeline is the one assembleTimeline gives for its root alone.
 */
export function assembleTimelines(reads: TimelineReads, roots: readonly StoredObject[], opts: TimelineOptions = {}): Timeline[] {
  if (roots.length === 0) return [];
  const closures = ownedClosures(reads, roots);
  const minConfidence = opts.minConfidence ?? TIMELINE_MIN_CONFIDENCE;
  const limit = Math.floor(opts.limit ?? 1_000_000);
  const rootsOf = new Map<number, number[]>();
  closures.forEach((objects, i) => {
    for (const o of objects) {
      const list = rootsOf.get(o.id);
      if (list) list.push(i);
      else rootsOf.set(o.id, [i]);
    }
  });
  const budget = limit * roots.length;
  const rows = roots.length === 1 ? [] : reads.links([...rootsOf.keys()], minConfidence, budget + 1);
  // One root, or more rows than every root's limit together (some root may then miss rows the
  // shared read cut off): each root reads its own links, as for one timeline.
  if (roots.length === 1 || rows.length > budget) {
    return roots.map((root, i) => ({ root, objects: closures[i]!, steps: stepsOf(reads.links(closures[i]!.map((o) => o.id), minConfidence, limit)) }));
  }
  const perRoot = roots.map((): TimelineLinkRow[] => []);
  for (const r of rows) {
    for (const i of rootsOf.get(r.objectId) ?? []) if (perRoot[i]!.length < limit) perRoot[i]!.push(r);
  }
  return roots.map((root, i) => ({ root, objects: closures[i]!, steps: stepsOf(perRoot[i]!) }));
}

export function assembleTimeline(reads: TimelineReads, root: StoredObject, opts: TimelineOptions = {}): Timeline {
  return assembleTimelines(reads, [root], opts)[0]!;
}
