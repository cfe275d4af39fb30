import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionQueue } from '../../../src/sim/heap.js';

test('the simulator queue runs actions at one time in the order they were scheduled', () => {
  const q = new ActionQueue();
  const ran: string[] = [];
  q.push(5, () => ran.push('a5'));
  q.push(1, () => ran.push('b1'));
  q.push(5, () => ran.push('c5'));
  q.push(1, () => ran.push('d1'));
  q.push(3, () => ran.push('e3'));
  assert.equal(q.peekTime(), 1);
  while (q.size) q.pop()!.run();
  assert.deepEqual(ran, ['b1', 'd1', 'e3', 'a5', 'c5']);
});
