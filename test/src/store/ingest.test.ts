import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSources, resolveInputs } from '../../../src/ingest/run.js';
import type { KEvent } from '../../../src/model/event.js';
import type { SourceMeta } from '../../../src/store/fingerprint.js';
import { ingestEventStream, type MergedStream } from '../../../src/store/ingest.js';
import { StoreReader } from '../../../src/store/reader.js';
import { createWriter, describeSource, openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
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

test('a bulk first ingest of a real bundle, its foreign keys unchecked while it writes, leaves none broken', { skip: corpusSkip() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-bulk-fk-'));
  try {
    const store = openStore(join(dir, 'kind.db'));
    const onError = (): void => {};
    const inputs = await resolveInputs([corpus('kind-1.32-bundle')], undefined, onError);
    const found = await Promise.all(inputs.map((i) => describeSource(i.input as string, i.display)));
    const summary = await ingestEventStream(createWriter(store, { batchSize: 700 }), found, (toRead) =>
      openSources(inputs.filter((i) => toRead.some((m) => m.display === i.display)), { onError }),
    );
    assert.ok(summary.events > 1000, `${summary.events} events`);
    const refs = store.db.prepare('SELECT count(*) FROM event_refs').pluck().get() as number;
    assert.ok(refs > 100, `${summary.events} events, ${refs} references`);
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
    assert.deepEqual(store.db.pragma('foreign_key_check'), []);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
