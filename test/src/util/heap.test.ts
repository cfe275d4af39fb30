import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinHeap } from '../../../src/util/heap.js';

/** A small deterministic generator: the same sequence on every run. */
function numbers(seed: number, below: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) % below;
}

test('MinHeap pops in order for any push order, duplicates included', () => {
  const next = numbers(12345, 1000);
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

test('replaceTop is pop then push in one sift; updateTop re-places a top whose key grew', () => {
  const next = numbers(777, 500);
  const heap = new MinHeap<number>((a, b) => a < b);
  const values = Array.from({ length: 300 }, next);
  for (const v of values) heap.push(v);
  for (let i = 0; i < 1000; i++) {
    const v = next();
    values.sort((a, b) => a - b);
    assert.equal(heap.replaceTop(v), values.shift());
    values.push(v);
  }
  // A boxed key: the top's key grows in place, as a merge cursor's head does.
  const boxes = new MinHeap<{ k: number }>((a, b) => a.k < b.k);
  for (const k of [5, 1, 9, 3, 7]) boxes.push({ k });
  boxes.peek()!.k = 8;
  boxes.updateTop();
  const order: number[] = [];
  while (boxes.size) order.push(boxes.pop()!.k);
  assert.deepEqual(order, [3, 5, 7, 8, 9]);
  values.sort((a, b) => a - b);
  const rest: number[] = [];
  while (heap.size) rest.push(heap.pop()!);
  assert.deepEqual(rest, values);
});
