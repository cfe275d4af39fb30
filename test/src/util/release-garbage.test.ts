import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releaseDeadData, releaseGarbage, releasePhaseGarbage, resetGarbageBaseline, SLACK, WORTH } from '../../../src/util/release-garbage.js';

test('releaseGarbage collects only when the used heap is worth it', () => {
  resetGarbageBaseline();
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
  resetGarbageBaseline();
  assert.equal(releaseGarbage(() => WORTH), true);
  const { heapUsed: after } = process.memoryUsage();
  // 200k small arrays are ~10 MB; a young-generation scavenge alone may have freed some already.
  assert.ok(after < before - 5 * 2 ** 20, `heap ${before} -> ${after}`);
});

test('releaseGarbage collects once the heap has grown SLACK beyond what the last collection left', () => {
  resetGarbageBaseline();
  let collected = 0;
  let used = WORTH + 10;
  const gc = () => () => {
    collected++;
    used = WORTH + 10; // what is live
  };
  assert.equal(releaseGarbage(() => used, gc), true, 'a collection: WORTH + 10 was live after it');
  used = WORTH + 10 + SLACK - 1;
  assert.equal(releaseGarbage(() => used, gc), false, 'not yet SLACK of garbage');
  assert.equal(collected, 1);
  used = WORTH + 10 + SLACK;
  assert.equal(releaseGarbage(() => used, gc), true);
  assert.equal(collected, 2);
  assert.equal(releaseGarbage(() => used, gc), false, 'measured from the collection it made');
  assert.equal(releaseGarbage(() => WORTH - 1, gc), false);
});

test('with a large live heap, releaseGarbage waits for half as much garbage as is live (a collection costs what is live)', () => {
  resetGarbageBaseline();
  const live = 4 * SLACK;
  let collected = 0;
  let used = live;
  const gc = () => () => {
    collected++;
    used = live;
  };
  assert.equal(releaseGarbage(() => used, gc), true);
  used = live + SLACK;
  assert.equal(releaseGarbage(() => used, gc), false, 'SLACK of garbage over a live heap 4x that: not yet');
  used = live + live / 2 - 1;
  assert.equal(releaseGarbage(() => used, gc), false);
  used = live + live / 2;
  assert.equal(releaseGarbage(() => used, gc), true, 'half as much garbage as live');
  assert.equal(collected, 2);
});

test("releasePhaseGarbage: a phase that made a collection ends with one, whatever the slack: the live heap it measured was the phase's own", () => {
  resetGarbageBaseline();
  let collected = 0;
  let live = 4 * SLACK; // the phase's data, live while it runs
  let used = live;
  const gc = () => () => {
    collected++;
    used = live;
  };
  assert.equal(releaseGarbage(() => used, gc), true, 'within the phase');
  live = WORTH; // the phase ends: its data is garbage
  used = 4 * SLACK + 10;
  assert.equal(releasePhaseGarbage(() => used, gc), true, 'far below twice the last live figure, but collected');
  assert.equal(collected, 2);
  assert.equal(used, WORTH);
  // The next phase is measured from what is live now.
  used = WORTH + SLACK;
  assert.equal(releaseGarbage(() => used, gc), true);
  assert.equal(collected, 3);
});

test('releasePhaseGarbage: a phase that made no collection ends as releaseGarbage would', () => {
  resetGarbageBaseline();
  let collected = 0;
  const live = 4 * SLACK;
  let used = live;
  const gc = () => () => {
    collected++;
    used = live;
  };
  assert.equal(releasePhaseGarbage(() => used, gc), true, 'the first collection, at WORTH');
  used = live + SLACK;
  assert.equal(releasePhaseGarbage(() => used, gc), false, 'the phase before collected, this one did not');
  assert.equal(releasePhaseGarbage(() => used, gc), false);
  used = live + live / 2;
  assert.equal(releasePhaseGarbage(() => used, gc), true, 'half as much garbage as live');
  assert.equal(collected, 2);
  used = WORTH - 1;
  assert.equal(releasePhaseGarbage(() => used, gc), false, 'below WORTH: never');
});

test("releaseDeadData collects whatever the slack (the data live at every collection before is dead), and the next phase is measured from what it left", () => {
  resetGarbageBaseline();
  let collected = 0;
  let live = 4 * SLACK; // the linker's index, live at each of its sub-phases' collections
  let used = live;
  const gc = () => () => {
    collected++;
    used = live;
  };
  assert.equal(releasePhaseGarbage(() => used, gc), true, "a sub-phase's end, the index live");
  used = live + SLACK; // the index and a little more, all dead now
  live = WORTH;
  assert.equal(releasePhaseGarbage(() => used, gc), false, 'releasePhaseGarbage waits for half as much garbage as it last saw live');
  assert.equal(releaseDeadData(() => used, gc), true, 'releaseDeadData does not');
  assert.equal(collected, 2);
  assert.equal(used, WORTH);
  used = WORTH + SLACK;
  assert.equal(releaseGarbage(() => used, gc), true, 'the next phase measured from what was left live, not from the dead index');
  assert.equal(collected, 3);
  used = WORTH - 1;
  assert.equal(releaseDeadData(() => used, gc), false, 'below WORTH: never');
  assert.equal(collected, 3);
});
