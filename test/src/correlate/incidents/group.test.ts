import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupBy, groupExact, splitByGap } from '../../../../src/correlate/incidents/group.js';

test("groupExact: groupBy's groups in the same order, items in their order, whatever the key's type", () => {
  const items = [
    { id: 1, key: 7 as number | string },
    { id: 2, key: 'r-a' },
    { id: 3, key: 7 },
    { id: 4, key: '7' }, // a string, not the number 7: its own group
    { id: 5, key: 'r-a' },
    { id: 6, key: 9 },
  ];
  const exact = groupExact(items, (i) => i.key);
  assert.deepEqual(
    exact.map((g) => g.map((i) => i.id)),
    [[1, 3], [2, 5], [4], [6]],
  );
  assert.deepEqual(exact, [...groupBy(items, (i) => String(typeof i.key) + String(i.key)).values()]);
  assert.deepEqual(groupExact([], () => 1), []);
});

test('splitByGap: runs split where the time between two items exceeds the gap, each in time order', () => {
  const times = [30, 0, 10, 100, 105, 300];
  const runs = splitByGap(times, 50, (t) => t);
  assert.deepEqual(runs, [[0, 10, 30], [100, 105], [300]]);
  assert.deepEqual(splitByGap([5, 1], 50, (t) => t), [[1, 5]], 'one run: the sorted items');
  assert.deepEqual(splitByGap([1, 51], 50, (t) => t), [[1, 51]], 'a gap of exactly `gap` keeps the run');
  assert.deepEqual(splitByGap([], 50, (t: number) => t), []);
  assert.deepEqual(times, [30, 0, 10, 100, 105, 300], 'the input is left as it was');
});
