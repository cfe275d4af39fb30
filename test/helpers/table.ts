/** The table check the unit tests share: a function applied to each input gives exactly its expected output. */
import assert from 'node:assert/strict';

/**
 * For each [input, want] row, fn(input) deep-equals want (for strings and other primitives that is
 * strict equality); a failure is named by label(input).
 */
export function assertEachGives<I, O>(fn: (input: I) => O, table: readonly (readonly [I, O])[], label: (input: I) => string = String): void {
  for (const [input, want] of table) assert.deepEqual(fn(input), want, label(input));
}
