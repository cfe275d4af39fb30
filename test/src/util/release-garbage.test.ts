import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capGarbage, releaseGarbage, SLACK, WORTH } from '../../../src/util/release-garbage.js';

test('releaseGarbage collects only when the used heap is worth it', () => {
  let collected = 0;
  const gc = () => () => void collected++;
  assert.equal(releaseGarbage(() => WORTH - 1, gc), false);
  assert.equal(collected, 0);
  assert.equal(releaseGarbage(() => WORTH, gc), true);
  assert.equal(collected, 1);
});

test("releaseGarbage's own collector frees garbage the heap held", () => {
  // The heap while 200k small arrays are held; they are garbage once this returns.
  const before = ((): number => {
    const held = Array.from({ length: 200_000 }, (_, i) => [i, i + 1, i + 2]);
    assert.equal(held.length, 200_000);
    return process.memoryUsage().heapUsed;
  })();
  assert.equal(releaseGarbage(() => WORTH), true);
  const { heapUsed: after } = process.memoryUsage();
  // 200k small arrays are ~10 MB; a young-generation scavenge alone may have freed some already.
  assert.ok(after < before - 5 * 2 ** 20, `heap ${before} -> ${after}`);
});

test('capGarbage collects once the heap has grown SLACK beyond what the last collection left', () => {
  let collected = 0;
  let used = WORTH + 10;
  const gc = () => () => {
    collected++;
    used = WORTH + 10; // what is live
  };
  assert.equal(releaseGarbage(() => used, gc), true, 'a collection: WORTH + 10 was live after it');
  used = WORTH + 10 + SLACK - 1;
  assert.equal(capGarbage(() => used, gc), false, 'not yet SLACK of garbage');
  assert.equal(collected, 1);
  used = WORTH + 10 + SLACK;
  assert.equal(capGarbage(() => used, gc), true);
  assert.equal(collected, 2);
  assert.equal(capGarbage(() => used, gc), false, 'measured from the collection it made');
  assert.equal(capGarbage(() => WORTH - 1, gc), false);
});
