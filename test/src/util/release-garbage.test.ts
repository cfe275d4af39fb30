import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releaseGarbage, WORTH } from '../../../src/util/release-garbage.js';

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
