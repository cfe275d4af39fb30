import assert from 'node:assert/strict';
import test from 'node:test';
import { maxOf, minOf } from '../../../src/util/extent.js';

test('maxOf and minOf agree with Math.max and Math.min, empty input included', () => {
  for (const xs of [[3, -1, 7, 7, 0], [5], [], [-0.5, -2]]) {
    assert.equal(maxOf(xs), Math.max(...xs));
    assert.equal(minOf(xs), Math.min(...xs));
  }
  assert.equal(maxOf(new Set([1, 9, 4])), 9);
});

test('maxOf and minOf take a list far larger than a spread can (which overflows the stack)', () => {
  const big = Array.from({ length: 2_000_000 }, (_, i) => (i * 7919) % 1_000_003);
  assert.throws(() => Math.max(...big), RangeError);
  assert.equal(maxOf(big), 1_000_002);
  assert.equal(minOf(big), 0);
});
