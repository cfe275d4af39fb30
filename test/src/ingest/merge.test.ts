import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeByTime, mergeLines } from '../../../src/ingest/merge.js';
import type { KEvent } from '../../../src/model/event.js';
import type { LineBatch } from '../../../src/output/line-batch.js';

function ev(time: number, seq: number): KEvent {
  return {
    seq,
    time,
    component: 'other',
    severity: 'info',
    message: `${time}`,
    fields: {},
    objects: [],
    source: { file: 'f', line: seq, endLine: seq, format: 'none/unknown' },
    raw: '',
    format: 'unknown',
  };
}

async function* batches(times: number[], size: number, seqBase: number): AsyncGenerator<KEvent[]> {
  for (let i = 0; i < times.length; i += size) yield times.slice(i, i + size).map((t, j) => ev(t, seqBase + i + j));
}

async function collect(it: AsyncGenerator<KEvent[]>): Promise<KEvent[]> {
  const all: KEvent[] = [];
  for await (const b of it) all.push(...b);
  return all;
}

test('merges sorted sources into one ordered stream, ties by seq, nothing lost or doubled', async () => {
  const a = [1, 3, 5, 7, 9, 9];
  const b = [2, 3, 4, 10];
  const c: number[] = [];
  const out = await collect(mergeByTime([batches(a, 2, 0), batches(b, 3, 100), batches(c, 1, 200)]));
  assert.deepEqual(
    out.map((e) => e.time),
    [1, 2, 3, 3, 4, 5, 7, 9, 9, 10],
  );
  assert.deepEqual(
    out.filter((e) => e.time === 3).map((e) => e.seq),
    [1, 101],
  );
});

test('the reorder window absorbs local disorder within a source', async () => {
  const times = [10, 12, 11, 14, 13, 20, 19, 18, 30];
  const out = await collect(mergeByTime([batches(times, 4, 0)], { window: 4 }));
  assert.deepEqual(
    out.map((e) => e.time),
    [10, 11, 12, 13, 14, 18, 19, 20, 30],
  );
});

test('bounded: a large source is consumed batch by batch', async () => {
  let produced = 0;
  async function* big(): AsyncGenerator<KEvent[]> {
    for (let i = 0; i < 100; i++) {
      produced += 100;
      yield Array.from({ length: 100 }, (_, j) => ev(i * 100 + j, i * 100 + j));
    }
  }
  const it = mergeByTime([big()], { window: 16, batch: 50 });
  const first = await it.next();
  assert.equal(first.done, false);
  assert.ok(produced <= 200, `read ahead ${produced} events for the first batch`);
  let n = (first.value as KEvent[]).length;
  for await (const b of it) n += b.length;
  assert.equal(n, 10_000);
});

test('an empty batch (a live pipe gone quiet) hands on the reorder window at once', async () => {
  let release!: () => void;
  const later = new Promise<void>((resolve) => (release = resolve));
  async function* pipe(): AsyncGenerator<KEvent[]> {
    yield [ev(2, 1), ev(1, 2)];
    yield [];
    await later; // the pipe stays open and quiet
    yield [ev(3, 3)];
  }
  const it = mergeByTime([pipe()], { window: 4096 });
  const first = await it.next();
  assert.deepEqual(
    (first.value as KEvent[]).map((e) => e.time),
    [1, 2],
  );
  release();
  const rest = await collect(it);
  assert.deepEqual(
    rest.map((e) => e.time),
    [3],
  );
});

test('disorder within the window, near and far (past the short look back), comes out sorted', async () => {
  let x = 42;
  const rand = (n: number): number => (x = (x * 1103515245 + 12345) % 2 ** 31) % n;
  // Mostly in order, every tenth event up to 150 places early or late.
  const times = Array.from({ length: 5000 }, (_, i) => (i % 10 === 0 ? i + rand(300) - 150 : i));
  const out = await collect(mergeByTime([batches(times, 97, 0), batches([2500, 2501], 1, 10_000)], { window: 400, batch: 64 }));
  const expected = [...times, 2500, 2501].sort((a, b) => a - b);
  assert.deepEqual(
    out.map((e) => e.time),
    expected,
  );
  const seqs = out.map((e) => e.seq);
  assert.equal(new Set(seqs).size, seqs.length, 'no event doubled');
});

/** The same events as mergeByTime's tests use, as a batch of rendered lines (only the columns the merge reads). */
function lines(events: readonly KEvent[]): LineBatch {
  const n = events.length;
  return {
    bytes: new Uint8Array(0),
    marks: new Int32Array(3 * n),
    time: Float64Array.from(events, (e) => e.time),
    seq: Float64Array.from(events, (e) => e.seq),
    codes: new Int32Array(3 * n),
    names: [],
  };
}

test('mergeLines picks lines in exactly mergeByTime\'s order, whatever the sources, disorder, batches, empty batches and window', async () => {
  const source = fc.record({
    // Times mostly rising with jitter: real logs' local disorder, and ties.
    times: fc.array(fc.integer({ min: -40, max: 60 }), { maxLength: 300 }),
    size: fc.integer({ min: 1, max: 40 }),
    // Where the source says "nothing for now" (an empty batch), as a live pipe does.
    quiet: fc.array(fc.nat(20), { maxLength: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(source, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 50 }), async (specs, window, batch) => {
      const made = specs.map((s, k) => {
        let t = 0;
        const events = s.times.map((d, i) => ev((t += Math.max(0, d)) + (d < 0 ? d : 0), k * 1000 + i));
        const chunks: KEvent[][] = [];
        for (let i = 0; i < events.length; i += s.size) {
          chunks.push(events.slice(i, i + s.size));
          if (s.quiet.includes(chunks.length)) chunks.push([]);
        }
        return chunks;
      });
      async function* asEvents(chunks: KEvent[][]): AsyncGenerator<KEvent[]> {
        for (const c of chunks) yield c;
      }
      async function* asLines(chunks: KEvent[][]): AsyncGenerator<LineBatch> {
        for (const c of chunks) yield lines(c);
      }
      const expected: number[][] = [];
      for await (const b of mergeByTime(made.map(asEvents), { window, batch })) expected.push(b.map((e) => e.seq));
      const got: number[][] = [];
      for await (const p of mergeLines(made.map(asLines), { window, batch })) got.push(p.at.map((i, k) => p.from[k]!.seq[i]!));
      // The same lines in the same order, handed on at the same points.
      assert.deepEqual(got, expected);
    }),
    { numRuns: 300 },
  );
});
