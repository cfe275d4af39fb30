import assert from 'node:assert/strict';
import test from 'node:test';
import { appendAll } from '../../../src/util/append.js';

test('appendAll appends in order, from arrays and other iterables', () => {
  const out = [1];
  assert.equal(appendAll(out, [2, 3]), out);
  appendAll(out, new Set([4, 5]));
  assert.deepEqual(out, [1, 2, 3, 4, 5]);
});

test('appendAll takes a list far larger than a spread can (which overflows the stack)', () => {
  const big = Array.from({ length: 2_000_000 }, (_, i) => i);
  assert.throws(() => [].push(...(big as never[])), RangeError);
  const out: number[] = [];
  appendAll(out, big);
  assert.equal(out.length, 2_000_000);
  assert.equal(out[1_999_999], 1_999_999);
});
