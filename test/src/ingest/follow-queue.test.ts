/**
 * BatchQueue, follow mode's hand-over with backpressure: a producer's put() waits while more than
 * the high-water mark is queued, and only then; end() and unbound() let every waiter go.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchQueue } from '../../../src/ingest/follow-queue.js';

/** Whether a promise has settled, checked after every pending microtask and timer-free tick ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

test('put waits while the queue is above its high-water mark, and resumes once the consumer takes enough', async () => {
  const q = new BatchQueue<number[]>(10, (b) => b.length);
  assert.equal(await settled(q.put([1, 2, 3, 4, 5, 6])), true, 'below the mark: no wait');
  const second = q.put([7, 8, 9, 10, 11, 12]); // 12 queued > 10
  assert.equal(await settled(second), false, 'above the mark: the producer waits');
  assert.equal(q.size, 12);
  assert.deepEqual((await q.next()).value, [1, 2, 3, 4, 5, 6]); // 6 queued: room again
  assert.equal(await settled(second), true);
  assert.equal(q.size, 6);
  assert.deepEqual((await q.next()).value, [7, 8, 9, 10, 11, 12]);
  assert.equal(q.size, 0);
});

test('a waiting consumer takes a batch directly, and the producer never waits for it', async () => {
  const q = new BatchQueue<number[]>(1, (b) => b.length);
  const next = q.next();
  assert.equal(await settled(q.put([1, 2, 3])), true);
  assert.deepEqual(await next, { value: [1, 2, 3], done: false });
  assert.equal(q.size, 0);
});

test('end() releases waiting producers; the consumer drains what is queued, then ends', async () => {
  const q = new BatchQueue<string[]>(1, (b) => b.length);
  const a = q.put(['a', 'b']);
  const b = q.put(['c']);
  assert.equal(await settled(a), false);
  assert.equal(await settled(b), false);
  q.end();
  assert.equal(await settled(a), true);
  assert.equal(await settled(b), true);
  assert.equal(await settled(q.put(['d', 'e', 'f'])), true, 'after end(), put never waits');
  const got: string[][] = [];
  for (;;) {
    const r = await q.next();
    if (r.done) break;
    got.push(r.value);
  }
  assert.deepEqual(got, [['a', 'b'], ['c'], ['d', 'e', 'f']]);
});

test('unbound() lets producers go without a consumer, and the batches stay queued in order', async () => {
  const q = new BatchQueue<number[]>(2, (b) => b.length);
  const waiting = q.put([1, 2, 3]);
  assert.equal(await settled(waiting), false);
  q.unbound();
  assert.equal(await settled(waiting), true);
  assert.equal(await settled(q.put([4, 5, 6])), true);
  assert.equal(q.size, 6);
  assert.deepEqual((await q.next()).value, [1, 2, 3]);
  assert.deepEqual((await q.next()).value, [4, 5, 6]);
});

test('many batches through a small queue: order kept, nothing lost (the head is compacted as it grows)', async () => {
  const q = new BatchQueue<number[]>(5, (b) => b.length);
  const n = 5000;
  const producer = (async () => {
    for (let i = 0; i < n; i++) await q.put([i, i]);
    q.end();
  })();
  const seen: number[] = [];
  for (;;) {
    const r = await q.next();
    if (r.done) break;
    assert.ok(q.size <= 5 + 2, `queued ${q.size} above the mark by more than a batch`);
    seen.push(r.value[0]!);
  }
  await producer;
  assert.equal(seen.length, n);
  assert.ok(seen.every((v, i) => v === i));
});
