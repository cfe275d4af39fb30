/**
 * Many roots' timelines for the reports (OTLP export, the CI/HTML report), read a chunk of roots
 * at a time through the store's batched `timelines()`: a few reads per chunk whatever its size (a
 * remote store such as ClickHouse pays a round trip per read, and a fleet has thousands of roots),
 * while only one chunk's timelines are held at once. Each timeline is the one `timeline(root)`
 * gives for its root alone (store.ts).
 */
import type { KtrailStore, StoredObject, Timeline } from '../store/store.js';

/** Roots per batched read: enough to make round trips rare, few enough to bound memory. */
export const ROOTS_PER_READ = 200;

/** Each chunk of `roots` with its timelines, in order. */
export function* timelineChunks(
  store: KtrailStore,
  roots: readonly StoredObject[],
  opts: { limit?: number } = {},
  size = ROOTS_PER_READ,
): Generator<Timeline[]> {
  for (let i = 0; i < roots.length; i += size) yield store.objects.timelines(roots.slice(i, i + size), opts);
}
