import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import type { SourceMeta } from '../../../src/store/fingerprint.js';
import { ingestEventStream, type MergedStream } from '../../../src/store/ingest.js';
import { StoreReader } from '../../../src/store/reader.js';
import { createWriter, openStore } from '../../../src/store/writer.js';
import { makeEvent } from './synthetic.js';

const metas: SourceMeta[] = [
  { cluster: '', path: '/logs/a.log', display: 'a.log', fingerprint: 'fa' },
  { cluster: '', path: '/logs/b.log', display: 'b.log', fingerprint: 'fb' },
];

/** A merged stream over the given sources: events alternate between them, in time order. */
function stream(toRead: readonly SourceMeta[]): MergedStream {
  const files = toRead.map((m) => m.display);
  async function* events(): AsyncGenerator<KEvent[]> {
    for (let b = 0; b < 3; b++) {
      yield Array.from({ length: 4 }, (_, i) => {
        const seq = b * 4 + i + 1;
        const file = files[seq % files.length]!;
        return makeEvent({ seq, source: { file, line: seq, endLine: seq, format: 'none/klog' } });
      });
    }
  }
  return { stats: files.map((file) => ({ file, envelope: 'none' })), events: events() };
}

test('a run registers, reads and completes its sources; the next run skips them', async () => {
  const store = openStore(':memory:');
  const reader = new StoreReader(store);
  const opened: string[][] = [];
  const open = (toRead: readonly SourceMeta[]) => {
    opened.push(toRead.map((m) => m.display));
    return stream(toRead);
  };
  const first = await ingestEventStream(createWriter(store, { batchSize: 5 }), metas, open);
  assert.deepEqual(first, { ingested: ['a.log', 'b.log'], skipped: [], events: 12, discardedEvents: 0 });
  assert.equal(reader.count(), 12);
  assert.deepEqual(
    store.sources.list().map((s) => [s.display, s.complete, s.envelope]),
    [
      ['a.log', true, 'none'],
      ['b.log', true, 'none'],
    ],
  );
  assert.deepEqual(
    reader.page({ limit: 3 }).map((e) => e.source.file),
    ['b.log', 'a.log', 'b.log'],
  );

  // b.log changed, a.log did not: only b.log is read again, and its old events are replaced.
  const second = await ingestEventStream(
    createWriter(store),
    [metas[0]!, { ...metas[1]!, fingerprint: 'fb2' }],
    open,
  );
  assert.deepEqual(second, { ingested: ['b.log'], skipped: ['a.log'], events: 12, discardedEvents: 6 });
  assert.deepEqual(opened, [['a.log', 'b.log'], ['b.log']]);
  assert.equal(reader.count(), 18);

  const third = await ingestEventStream(createWriter(store), [metas[0]!, { ...metas[1]!, fingerprint: 'fb2' }], open);
  assert.deepEqual(third, { ingested: [], skipped: ['a.log', 'b.log'], events: 0, discardedEvents: 0 });
  assert.equal(opened.length, 2, 'nothing to read: the stream is not opened');
  store.close();
});

test('two inputs with the same display name are refused before anything is read', async () => {
  const store = openStore(':memory:');
  await assert.rejects(
    ingestEventStream(createWriter(store), [metas[0]!, { ...metas[1]!, display: 'a.log' }], stream),
    /two inputs are both named a\.log/,
  );
  assert.deepEqual(store.sources.list(), [], 'no source was registered');
  store.close();
});
