import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { StoreReader } from '../../../src/store/reader.js';
import { bulkIngestPending, INGEST_INDEXES } from '../../../src/store/schema.js';
import { createWriter, describeSource, discardSource, openStore } from '../../../src/store/writer.js';
import { makeEvent, T0 } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'ktrail-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const meta = (path: string, fingerprint = 'f1', display = path) => ({ cluster: '', path, display, fingerprint, size: 1, mtime: 1 });

function stripStored(e: KEvent & { id?: number; sourceId?: number; cluster?: string }): KEvent {
  const { id: _id, sourceId: _s, cluster: _c, ...rest } = e;
  return rest;
}

test('events come back exactly as written, every optional part included', () => {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const src = w.beginSource(meta('/logs/a.log', 'f1', 'a.log'));
  const full: KEvent = makeEvent({
    seq: 1,
    host: 'worker-1',
    severity: 'error',
    verbosity: 4,
    caller: 'kubelet.go:123',
    timeInferred: 'year',
    envelopeTime: T0 + 5,
    message: 'Failed to pull image "x": \u001b[31m',
    fields: { took: '469.7ms', code: 500, nested: { a: [1, 'b', null] }, ok: true },
    objects: [
      { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', via: 'field', key: 'pod' },
      { kind: 'Node', name: 'worker-1', via: 'path' },
    ],
    source: { file: 'a.log', line: 7, endLine: 9, format: 'cri/klog' },
    raw: 'line one\nline two',
    truncated: true,
  });
  const bare = makeEvent({ seq: 2 });
  w.addEvents(src.id, [full, bare]);
  w.completeSource(src.id, { envelope: 'cri' });
  const [a, b] = new StoreReader(store).byIds([1, 2]);
  assert.deepEqual(stripStored(a!), full);
  assert.deepEqual(stripStored(b!), bare);
  assert.equal(a!.id, 1);
  assert.equal(a!.sourceId, src.id);
  store.close();
});

test('events are committed in batches of batchSize, and close() commits the rest', () => {
  const store = openStore(':memory:');
  const commits: number[] = [];
  const w = createWriter(store, { batchSize: 4, onCommit: (n) => commits.push(n) });
  const src = w.beginSource(meta('/a'));
  w.addEvents(
    src.id,
    Array.from({ length: 10 }, (_, i) => makeEvent({ seq: i + 1 })),
  );
  assert.deepEqual(commits, [4, 8]);
  assert.equal(new StoreReader(store).count(), 8);
  w.close();
  assert.deepEqual(commits, [4, 8, 10]);
  assert.equal(new StoreReader(store).count(), 10);
  store.close();
});

test('re-ingesting the same complete file adds nothing; a changed file replaces its events', () => {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const reader = new StoreReader(store);
  const first = w.beginSource(meta('/a', 'f1'));
  w.addEvents(first.id, [makeEvent({ seq: 1 }), makeEvent({ seq: 2 })]);
  w.completeSource(first.id);
  assert.deepEqual(w.beginSource(meta('/a', 'f1')), { id: first.id, skip: true, discardedEvents: 0 });
  assert.equal(reader.count(), 2);
  const changed = w.beginSource(meta('/a', 'f2'));
  assert.equal(changed.skip, false);
  assert.equal(changed.discardedEvents, 2);
  assert.equal(reader.count(), 0);
  w.addEvents(changed.id, [makeEvent({ seq: 1 })]);
  w.completeSource(changed.id);
  w.close();
  assert.equal(reader.count(), 1);
  assert.equal(store.sources.list().length, 1);
  store.close();
});

test('stdin ("-") is never skipped and never replaces an earlier stdin ingest', () => {
  const store = openStore(':memory:');
  const w = createWriter(store);
  for (let i = 0; i < 2; i++) {
    const s = w.beginSource({ cluster: '', path: '-', display: '-' });
    assert.equal(s.skip, false);
    w.addEvents(s.id, [makeEvent({ seq: 1, source: { file: '-', line: 1, endLine: 1, format: 'none/klog' } })]);
    w.completeSource(s.id);
  }
  assert.equal(new StoreReader(store).count(), 2);
  store.close();
});

test('an incomplete source is found, its partial rows deleted in one go, and it is ingested again', () => {
  const store = openStore(':memory:');
  const w = createWriter(store, { batchSize: 2 });
  const s = w.beginSource(meta('/a'));
  const events = Array.from({ length: 5 }, (_, i) =>
    makeEvent({ seq: i + 1, objects: [{ kind: 'Pod', name: `p${i}`, via: 'field' }] }),
  );
  w.addEvents(s.id, events); // 4 committed, 1 queued, never completed: a killed run
  assert.deepEqual(
    store.sources.incomplete().map((x) => x.id),
    [s.id],
  );
  const w2 = createWriter(store);
  const again = w2.beginSource(meta('/a'));
  assert.equal(again.skip, false);
  assert.equal(again.discardedEvents, 4);
  assert.equal(store.db.prepare(`SELECT count(*) FROM event_refs`).pluck().get(), 0);
  w2.addEvents(again.id, events);
  w2.completeSource(again.id);
  w2.close();
  assert.equal(new StoreReader(store).count(), 5);
  assert.equal(store.db.prepare(`SELECT count(*) FROM event_refs`).pluck().get(), 5);
  assert.deepEqual(store.sources.incomplete(), []);
  store.close();
});

test('discardSource removes events, refs and links of its source only', () => {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const a = w.beginSource(meta('/a'));
  const b = w.beginSource(meta('/b'));
  w.addEvents(a.id, [makeEvent({ seq: 1, message: 'alpha beta', objects: [{ kind: 'Pod', name: 'x', via: 'field' }] })]);
  w.addEvents(b.id, [makeEvent({ seq: 2, message: 'beta gamma' })]);
  w.close();
  store.db.exec(`INSERT INTO objects (id, kind, name) VALUES (1, 'Pod', 'x'); INSERT INTO event_objects VALUES (1, 1, 'name', 0.9, (SELECT time FROM events WHERE id = 1))`);
  assert.equal(discardSource(store.db, a.id), 1);
  const reader = new StoreReader(store);
  assert.deepEqual(reader.page({ limit: 10 }).map((e) => e.message), ['beta gamma']);
  assert.equal(store.db.prepare(`SELECT count(*) FROM event_objects`).pluck().get(), 0);
  assert.equal(store.db.prepare(`SELECT count(*) FROM event_refs`).pluck().get(), 0);
  store.close();
});

test('the merged stream is routed by source file; ids follow arrival and continue across runs', () => {
  const store = openStore(':memory:');
  const w = createWriter(store);
  const ids = new Map<string, number>();
  for (const f of ['a.log', 'b.log']) ids.set(f, w.beginSource(meta(`/${f}`, 'f', f)).id);
  const ev = (seq: number, file: string, time: number) =>
    makeEvent({ seq, time, source: { file, line: seq, endLine: seq, format: 'none/klog' } });
  const queued = w.addMergedEvents(
    [ev(1, 'a.log', 10), ev(2, 'b.log', 10), ev(3, 'skipped.log', 11), ev(4, 'a.log', 12)],
    ids,
  );
  assert.equal(queued, 3);
  for (const id of ids.values()) w.completeSource(id);
  // A later run adds a file whose events are earlier in time: ids go on, (time, id) orders.
  const w2 = createWriter(store);
  const c = w2.beginSource(meta('/c.log', 'f', 'c.log'));
  w2.addEvents(c.id, [ev(1, 'c.log', 5), ev(2, 'c.log', 10)]);
  w2.completeSource(c.id);
  const page = new StoreReader(store).page({ limit: 10 });
  assert.deepEqual(
    page.map((e) => [e.id, e.time, e.source.file]),
    [
      [4, 5, 'c.log'],
      [1, 10, 'a.log'],
      [2, 10, 'b.log'],
      [5, 10, 'c.log'],
      [3, 12, 'a.log'],
    ],
  );
  store.close();
});

test('describeSource: the fingerprint follows the content, the path is resolved', async () => {
  const file = join(dir, 'f.log');
  writeFileSync(file, 'x'.repeat(200_000));
  const one = await describeSource(file, 'f.log');
  const same = await describeSource(file, 'f.log');
  assert.equal(one.path, file);
  assert.equal(one.size, 200_000);
  assert.equal(one.fingerprint, same.fingerprint);
  appendFileSync(file, 'y');
  const grown = await describeSource(file, 'f.log');
  assert.notEqual(grown.fingerprint, one.fingerprint);
  // Same size and a change in the middle, outside the first and last 64 KiB: not seen, by design
  // (logs change at their ends; reading whole multi-GiB files to decide would cost too much).
  const middle = Buffer.from('x'.repeat(200_000) + 'y');
  middle[100_000] = 0x7a;
  writeFileSync(file, middle);
  assert.equal((await describeSource(file, 'f.log')).fingerprint, grown.fingerprint);
  assert.deepEqual(await describeSource('-'), { path: '-', display: '-', cluster: '' });
});

test('bulk mode: a first ingest builds its indexes at close(); an open repairs a killed one', () => {
  const file = join(dir, 'bulk.db');
  const indexes = (db: import('better-sqlite3').Database) =>
    (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(JSON.stringify(Object.keys(INGEST_INDEXES))) as string[]).sort();
  const all = Object.keys(INGEST_INDEXES).sort();
  const store = openStore(file);
  const reader = new StoreReader(store);
  const w = createWriter(store);
  assert.deepEqual(indexes(store.db), [], 'empty store: bulk mode');
  assert.equal(bulkIngestPending(store.db), true);
  assert.equal(store.db.pragma('foreign_keys', { simple: true }), 0, 'foreign keys unchecked while the bulk ingest writes');
  const s = w.beginSource(meta('/a'));
  w.addEvents(s.id, [makeEvent({ seq: 1, message: 'bulk words', objects: [{ kind: 'Pod', name: 'x', uid: 'u', via: 'field' }] })]);
  w.completeSource(s.id);
  assert.equal(reader.count(), 1, 'events are readable during a bulk ingest');
  w.close();
  assert.deepEqual(indexes(store.db), all);
  assert.equal(bulkIngestPending(store.db), false);
  assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1, 'checked again after it');
  assert.deepEqual(store.db.pragma('foreign_key_check'), [], 'every reference the bulk ingest wrote has its event and source');
  assert.match(store.db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'events_cluster_time'`).pluck().get() as string, /^1 1 1$/, 'statistics written');

  // A second writer on a store with events works row by row.
  const w2 = createWriter(store);
  assert.deepEqual(indexes(store.db), all);
  w2.addEvents(s.id, [makeEvent({ seq: 2, message: 'more words' })]);
  w2.close();
  assert.deepEqual(reader.page({ limit: 5 }).map((e) => e.message), ['bulk words', 'more words']);

  // A bulk writer killed before close(): the next open builds what it left out.
  const w3 = createWriter(store, { bulk: true });
  w3.addEvents(s.id, [makeEvent({ seq: 3, message: 'killed words' })]);
  w3.flush();
  assert.deepEqual(indexes(store.db), []);
  store.close();
  const reopened = openStore(file);
  assert.deepEqual(indexes(reopened.db), all);
  assert.equal(bulkIngestPending(reopened.db), false);
  assert.deepEqual(new StoreReader(reopened).page({ limit: 5 }).map((e) => e.id), [1, 2, 3]);
  assert.equal(reopened.db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(reopened.db.pragma('foreign_key_check'), []);
  reopened.close();
});

test('correlates: a source begun marks correlation pending until correlation has finished; a skipped source and other writers do not', () => {
  const store = openStore(':memory:');
  const w = createWriter(store, { correlates: true });
  assert.equal(store.sources.correlationPending(), false, 'a new store');
  const first = w.beginSource(meta('/a', 'f1'));
  assert.equal(store.sources.correlationPending(), true, 'from the source\'s first transaction on');
  w.addEvents(first.id, [makeEvent({ seq: 1 })]);
  w.completeSource(first.id);
  w.close();
  assert.equal(store.sources.correlationPending(), true, 'stored, not correlated yet');
  store.correlation.finished();
  assert.equal(store.sources.correlationPending(), false);
  // The same complete file again: nothing is added, nothing to correlate.
  assert.equal(createWriter(store, { correlates: true }).beginSource(meta('/a', 'f1')).skip, true);
  assert.equal(store.sources.correlationPending(), false);
  // A writer that does not correlate (follow) adds events without the flag.
  const follow = createWriter(store, { bulk: false });
  follow.beginSource(meta('/b', 'f1'));
  assert.equal(store.sources.correlationPending(), false);
  // A changed file replaces its events: pending again.
  createWriter(store, { correlates: true }).beginSource(meta('/a', 'f2'));
  assert.equal(store.sources.correlationPending(), true);
  assert.equal(store.inCluster('other').sources.correlationPending(), true, 'of the whole store, whatever the scope');
  store.close();
});
