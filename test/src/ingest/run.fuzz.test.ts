/**
 * Property-based fuzzing of the whole read path (src/ingest/run.ts and everything below it): see
 * test/fuzz/ingest-property.ts for what is generated and checked. A fixed seed and few runs here;
 * `npm run fuzz` runs many more and prints what it finds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { caseArbitrary, checkCase, describeCase, physicalLines, readCase, type FuzzFile } from '../../fuzz/ingest-property.js';
import { newSourceStats } from '../../../src/ingest/stats.js';

test('fuzzed and mutated logs of every envelope and payload: nothing throws or hangs, every line is accounted for', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ktrail-fuzz-'));
  try {
    const arbitrary = await caseArbitrary();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (files) => {
        const wrong = checkCase(files, await readCase(join(dir, 'case'), files));
        if (wrong.length > 0) throw new Error(`${wrong.join('\n')}\n${describeCase(files)}`);
      }),
      // timeout: a case that reads for longer is a hang, and fails like any other.
      { seed: 1_412_2026, numRuns: 100, timeout: 20_000 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the fuzz checks catch what they are meant to catch', () => {
  const file: FuzzFile = { envelope: 'none', lineMutations: [], byteMutations: [], encoding: 'plain', lines: ['a', 'b'], bytes: Buffer.from('a\nb\nc') };
  assert.equal(physicalLines(file.bytes), 3);
  assert.equal(physicalLines(Buffer.from('a\r\nb\n')), 2);
  assert.equal(physicalLines(Buffer.alloc(0)), 0);
  assert.equal(physicalLines(Buffer.from('\ufeff')), 0);
  assert.equal(physicalLines(Buffer.from('\ufeffa')), 1);
  const stats = { ...newSourceStats('/tmp/case/f0-none.log'), linesRead: 3, events: 2, unrecognized: 1 };
  assert.deepEqual(checkCase([file], { stats: [stats], emitted: 3, errors: [] }), []);
  assert.deepEqual(checkCase([file], { stats: [{ ...stats, linesRead: 4 }], emitted: 3, errors: [] }), [
    '/tmp/case/f0-none.log: linesRead 4 != events 2 + folded 0 + unrecognized 1 + setAside 0',
    '/tmp/case/f0-none.log: linesRead 4, but the file has 3 lines',
  ]);
  assert.deepEqual(checkCase([file], { stats: [stats], emitted: 2, errors: [] }), ['events emitted 2 != events + unrecognized 3']);
});
