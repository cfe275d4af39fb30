import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { MIN_PARALLEL_BYTES, MIN_PARALLEL_FILE_BYTES, workerCount } from '../../../../src/ingest/workers/plan.js';

test('workers only for inputs big enough to gain, one per core, never more than files; KTRAIL_WORKERS forces', () => {
  const cores = availableParallelism();
  assert.equal(workerCount(MIN_PARALLEL_BYTES - 1, 10, {}), 0);
  assert.equal(workerCount(MIN_PARALLEL_BYTES, 10, {}), Math.min(cores, 10));
  assert.equal(workerCount(10 * MIN_PARALLEL_BYTES, 1, {}), 1);
  assert.equal(workerCount(10 * MIN_PARALLEL_BYTES, 0, {}), 0);
  assert.equal(workerCount(10 * MIN_PARALLEL_BYTES, 10, { KTRAIL_WORKERS: '0' }), 0);
  assert.equal(workerCount(100, 10, { KTRAIL_WORKERS: '3' }), 3);
  assert.equal(workerCount(100, 2, { KTRAIL_WORKERS: '3' }), 2);
  // Not a count: ignored, the size decides.
  assert.equal(workerCount(100, 10, { KTRAIL_WORKERS: 'many' }), 0);
  assert.equal(workerCount(100, 10, { KTRAIL_WORKERS: '-1' }), 0);
});

test('many small files are read on the main thread, however many bytes they make together; KTRAIL_WORKERS still forces', () => {
  const cores = availableParallelism();
  // The must-gather as published: 3,526 files, 97 MB.
  assert.equal(workerCount(97 * 2 ** 20, 3526, {}), 0);
  const files = 200;
  assert.equal(workerCount(files * MIN_PARALLEL_FILE_BYTES - 1, files, {}), 0);
  assert.equal(workerCount(files * MIN_PARALLEL_FILE_BYTES, files, {}), Math.min(cores, files));
  // The simulated scale-20 bundle: 76 files, 166 MB.
  assert.equal(workerCount(166 * 2 ** 20, 76, {}), Math.min(cores, 76));
  assert.equal(workerCount(97 * 2 ** 20, 3526, { KTRAIL_WORKERS: '2' }), 2);
});
