/**
 * The parse pool on its own: a source read on a worker gives the events, stats and errors
 * readSource gives on the main thread; a worker runs at most BATCHES_AHEAD batches ahead of the
 * merge, more (up to MAX_BATCHES_AHEAD, within the pool's extra) for a rendered source the merge
 * waits on; a worker that dies ends its sources with an error instead of a hang.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KEvent } from '../../../../src/model/event.js';
import { readSource } from '../../../../src/ingest/source-reader.js';
import { newSourceStats } from '../../../../src/ingest/stats.js';
import { ParsePool, type PoolSource } from '../../../../src/ingest/workers/pool.js';
import { BATCHES_AHEAD, EXTRA_AHEAD_PER_SOURCE, MAX_BATCHES_AHEAD } from '../../../../src/ingest/workers/protocol.js';
import { lineCount, type LineBatch } from '../../../../src/output/line-batch.js';
import { lineBatcher, type RenderSpec } from '../../../../src/output/render.js';
import { lineText } from '../../../helpers/line-batch.js';

let dir = '';
let big = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ktrail-pool-'));
  big = join(dir, 'kubelet.log');
  const lines = Array.from(
    { length: 50_000 },
    (_, i) => `2025-03-21T14:51:${String(i % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z stderr F I0321 14:51:00.000000    1 kubelet.go:1] "SyncLoop" pod="default/p-${i % 97}"`,
  );
  await writeFile(big, lines.join('\n') + '\n');
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function source(path: string, errors: string[]): PoolSource {
  return {
    src: { path, display: 'kubelet.log', hints: {} },
    opts: { batchEvents: 500, seqBase: 7 * 2 ** 32 },
    work: 1,
    stats: newSourceStats('kubelet.log'),
    onError: (m) => errors.push(m),
  };
}

async function drain(stream: AsyncGenerator<KEvent[] | LineBatch>): Promise<KEvent[]> {
  const all: KEvent[] = [];
  for await (const batch of stream) all.push(...(batch as KEvent[]));
  return all;
}

test('a source read on a worker gives what readSource gives on the main thread', async () => {
  const errors: string[] = [];
  const pool = new ParsePool(1);
  try {
    const src = source(big, errors);
    const events = await drain(pool.open([src])[0]!);
    let local = 0;
    const here = readSource(
      { input: big, display: 'kubelet.log', hints: {} },
      { batchEvents: 500, nextSeq: () => 7 * 2 ** 32 + ++local, onError: () => undefined },
    );
    const expected: KEvent[] = [];
    for await (const batch of here.events) expected.push(...batch);
    assert.equal(events.length, 50_000);
    assert.deepEqual(events, expected);
    assert.deepEqual(src.stats, here.stats);
    assert.deepEqual(errors, []);
  } finally {
    await pool.close();
  }
});

test('a rendered source on a worker sends its lines as bytes: the lines and columns the main thread renders', async () => {
  const pool = new ParsePool(1);
  try {
    for (const output of ['json', 'text'] as const) {
      const spec: RenderSpec = { output, color: false, tty: false, showCluster: true };
      const src = source(big, []);
      src.src.cluster = 'east';
      src.opts.render = spec;
      const got: string[] = [];
      const keys: number[] = [];
      for await (const b of pool.open([src])[0]!) {
        assert.ok(!Array.isArray(b), 'rendered lines come as a LineBatch');
        for (let i = 0; i < lineCount(b); i++) {
          got.push(lineText(b, i));
          keys.push(b.time[i]!, b.seq[i]!, b.codes[3 * i]!, b.codes[3 * i + 1]!);
        }
      }
      let local = 0;
      const here = readSource(
        { input: big, display: 'kubelet.log', hints: {}, cluster: 'east' },
        { batchEvents: 500, nextSeq: () => 7 * 2 ** 32 + ++local, onError: () => undefined },
      );
      const render = lineBatcher(spec);
      const expected: string[] = [];
      const expectedKeys: number[] = [];
      for await (const batch of here.events) {
        const b = render(batch);
        for (let i = 0; i < lineCount(b); i++) {
          expected.push(lineText(b, i));
          expectedKeys.push(b.time[i]!, b.seq[i]!, b.codes[3 * i]!, b.codes[3 * i + 1]!);
        }
      }
      assert.equal(got.length, 50_000);
      assert.deepEqual(got, expected, output);
      assert.deepEqual(keys, expectedKeys, output);
    }
  } finally {
    await pool.close();
  }
});

test('back-pressure: a worker is never more than BATCHES_AHEAD batches ahead of the merge', async () => {
  const pool = new ParsePool(1);
  try {
    const stream = pool.open([source(big, [])])[0]!;
    await stream.next();
    // Time for the worker to run ahead, if it could: 50k events are 100 batches.
    await sleep(1500);
    assert.ok(pool.queued() <= BATCHES_AHEAD, `${pool.queued()} batches queued`);
    assert.ok(pool.queued() > 0, 'the worker did read ahead');
    await stream.return(undefined);
  } finally {
    await pool.close();
  }
});

const TEXT: RenderSpec = { output: 'text', color: false, tty: false, showCluster: false };

/**
 * The batches queued after the first of `sources` had 40 taken as fast as they came (the merge
 * waiting on it each time it ran dry) and every other one, its first; and a pause for the worker
 * to run ahead as far as its credit lets it.
 */
async function queuedAfterFastTakes(sources: PoolSource[]): Promise<number> {
  const pool = new ParsePool(1);
  try {
    const streams = pool.open(sources);
    for (const s of streams.slice(1)) await s.next();
    for (let i = 0; i < 40; i++) assert.equal((await streams[0]!.next()).done, false);
    await sleep(1500);
    const queued = pool.queued();
    for (const s of streams) await s.return(undefined);
    return queued;
  } finally {
    await pool.close();
  }
}

const rendered = (): PoolSource => ({ ...source(big, []), opts: { batchEvents: 500, seqBase: 0, render: TEXT } });

test('a rendered source the merge waits on is given more batches ahead, up to MAX_BATCHES_AHEAD', async () => {
  // Eight sources give the pool 8 x EXTRA_AHEAD_PER_SOURCE more batches: enough for the first to
  // reach the most any source may have.
  assert.ok(8 * EXTRA_AHEAD_PER_SOURCE >= MAX_BATCHES_AHEAD - BATCHES_AHEAD);
  // The seven others were taken once and never waited on: BATCHES_AHEAD each.
  assert.equal(await queuedAfterFastTakes(Array.from({ length: 8 }, rendered)), MAX_BATCHES_AHEAD + 7 * BATCHES_AHEAD);
});

test('the batches given beyond BATCHES_AHEAD are bounded over the pool: EXTRA_AHEAD_PER_SOURCE per source', async () => {
  assert.equal(await queuedAfterFastTakes([rendered()]), BATCHES_AHEAD + EXTRA_AHEAD_PER_SOURCE);
});

test('whole events (an ingest) stay at BATCHES_AHEAD however fast the merge takes them', async () => {
  assert.equal(await queuedAfterFastTakes([source(big, [])]), BATCHES_AHEAD);
});

for (const mode of ['throw', 'exit'] as const) {
  test(`a worker that dies (${mode}) ends its sources with an error, never a hang`, async () => {
    process.env['CRASHING_WORKER'] = mode;
    const pool = new ParsePool(1, new URL('./crashing-worker.js', import.meta.url));
    delete process.env['CRASHING_WORKER'];
    try {
      const errors: string[] = [];
      const src = source(big, errors);
      const events = await drain(pool.open([src])[0]!);
      assert.deepEqual(events, []);
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, mode === 'throw' ? /parse worker failed \(boom in the worker\) while reading this file/ : /parse worker failed \(exited with code 3\)/);
      assert.deepEqual(src.stats.errors, errors);
    } finally {
      await pool.close();
    }
  });
}
