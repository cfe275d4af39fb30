/**
 * The largest and smallest of many numbers, without `Math.max(...values)`: a spread passes every
 * value as an argument on the stack, and a list that grows with the input (a slow-request run of
 * a 5M-event store) throws "Maximum call stack size exceeded" (see append.ts for the same with push).
 * Empty input gives what Math.max() and Math.min() give: -Infinity and Infinity.
 */
export function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max || Number.isNaN(v)) max = v;
  return max;
}

export function minOf(values: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < min || Number.isNaN(v)) min = v;
  return min;
}
