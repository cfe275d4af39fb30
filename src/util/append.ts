/**
 * `target.push(...items)` without the spread: a spread passes every item as an argument on the
 * stack, so an array of a few hundred thousand items (the incidents of a 5M-event store) throws
 * "Maximum call stack size exceeded". Use this wherever the list grows with the input.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
