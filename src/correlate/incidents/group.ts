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
 * groupBy's groups (same order: by first appearance, items in their order), each an array of
 * exactly its size. An array grown by push from empty reserves room for 17 items, ~190 bytes for
 * a group of one: the pod rules group 625k crash-looping pods on a 5M-event store, most of them
 * one signal each, so grouping and its copies held ~120 MB of reserve. Two passes: the first
 * numbers each item's group and counts them, the second fills arrays made to those counts.
 */
export function groupExact<T, K>(items: readonly T[], key: (item: T) => K): T[][] {
  const numbers = new Map<K, number>();
  const groupOf = new Int32Array(items.length);
  const sizes: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]!);
    let g = numbers.get(k);
    if (g === undefined) {
      g = sizes.length;
      numbers.set(k, g);
      sizes.push(0);
    }
    groupOf[i] = g;
    sizes[g]!++;
  }
  numbers.clear();
  const groups: T[][] = sizes.map((n) => new Array<T>(n));
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < items.length; i++) {
    const g = groupOf[i]!;
    groups[g]![filled[g]!++] = items[i]!;
  }
  return groups;
}

/**
 * Splits time-ordered items into runs: a new run starts when the time since the previous item
 * exceeds `gap` (microseconds). One fault that stops and comes back after a quiet gap is two
 * incidents; within the gap, one.
 */
export function splitByGap<T>(items: readonly T[], gap: number, time: (item: T) => number): T[][] {
  const sorted = [...items].sort((a, b) => time(a) - time(b));
  // Each run a slice of the sorted copy (an array of exactly its size), the copy itself when it
  // is one run: see groupExact.
  const runs: T[][] = [];
  let from = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (time(sorted[i]!) - time(sorted[i - 1]!) > gap) {
      runs.push(sorted.slice(from, i));
      from = i;
    }
  }
  if (sorted.length) runs.push(from === 0 ? sorted : sorted.slice(from));
  return runs;
}

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
