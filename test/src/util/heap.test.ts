import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinHeap } from '../../../src/util/heap.js';

test('MinHeap pops in order for any push order, duplicates included', () => {
  // A small deterministic generator: the same sequence on every run.
  let x = 12345;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) % 1000;
  const heap = new MinHeap<number>((a, b) => a < b);
  const values: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = next();
    values.push(v);
    heap.push(v);
    if (i % 7 === 0) {
      values.sort((a, b) => a - b);
      assert.equal(heap.pop(), values.shift());
    }
  }
  values.sort((a, b) => a - b);
  assert.equal(heap.size, values.length);
  assert.equal(heap.peek(), values[0]);
  const out: number[] = [];
  while (heap.size) out.push(heap.pop()!);
  assert.deepEqual(out, values);
  assert.equal(heap.pop(), undefined);
});
