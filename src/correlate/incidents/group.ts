/** Grouping signals into incidents: by a key (the root), then split wherever the logs go quiet. */

export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * Splits time-ordered items into runs: a new run starts when the time since the previous item
 * exceeds `gap` (microseconds). One fault that stops and comes back after a quiet gap is two
 * incidents; within the gap, one.
 */
export function splitByGap<T>(items: readonly T[], gap: number, time: (item: T) => number): T[][] {
  const sorted = [...items].sort((a, b) => time(a) - time(b));
  const runs: T[][] = [];
  let current: T[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const item of sorted) {
    const t = time(item);
    if (current.length && t - last > gap) {
      runs.push(current);
      current = [];
    }
    current.push(item);
    last = t;
  }
  if (current.length) runs.push(current);
  return runs;
}

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
