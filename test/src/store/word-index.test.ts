import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSources, resolveInputs } from '../../../src/ingest/run.js';
import { ingestEventStream } from '../../../src/store/ingest.js';
import { StoreReader } from '../../../src/store/reader.js';
import type { WriterOptions } from '../../../src/store/store.js';
import { wordIndexPending, buildWordIndex } from '../../../src/store/word-index.js';
import { createWriter, describeSource, openStore, type Store } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { makeEvent } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'ktrail-words-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const meta = (path: string, fingerprint = 'f1') => ({ cluster: '', path, display: path, fingerprint, size: 1, mtime: 1 });

/** Ingests real files as `ktrail ingest` does, with the given writer options. */
async function ingestReal(store: Store, paths: string[], opts: WriterOptions): Promise<number> {
  const inputs = await resolveInputs(paths, undefined, () => {});
  const metas = await Promise.all(inputs.map((i) => describeSource(i.input as string, i.display, '')));
  const summary = await ingestEventStream(createWriter(store, opts), metas, (toRead) =>
    openSources(inputs.filter((i) => toRead.some((m) => m.display === i.display)), { onError: () => {} }),
  );
  return summary.events;
}

function ftsIntact(db: Database.Database): void {
  db.exec(`INSERT INTO events_fts(events_fts) VALUES ('integrity-check')`);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
}

test('real bundle: the word index built by the first search finds what one kept batch by batch finds', { skip: corpusSkip() }, async () => {
  const bundle = corpus('kind-1.32-bundle');
  const lazy = openStore(join(dir, 'lazy.db'));
  const eager = openStore(join(dir, 'eager.db'));
  const n = await ingestReal(lazy, [bundle], {});
  assert.equal(await ingestReal(eager, [bundle], { bulk: false }), n);
  assert.ok(n > 1000, `${n} events`);
  assert.equal(wordIndexPending(lazy.db), true, 'a bulk ingest leaves the word index to the first search');
  assert.equal(wordIndexPending(eager.db), false, 'a row-by-row ingest into a fresh store keeps it current');
  assert.equal(lazy.db.prepare(`SELECT count(*) FROM events_fts_docsize`).pluck().get(), 0, 'nothing indexed yet');

  // Words of the bundle's own messages: the most frequent, rare ones, and prefixes.
  const words = lazy.db
    .prepare(
      `SELECT w FROM (SELECT lower(substr(message, 1, instr(message || ' ', ' ') - 1)) AS w, count(*) AS n
       FROM events GROUP BY w) WHERE length(w) > 3 AND w GLOB '[a-z]*' ORDER BY n DESC`,
    )
    .pluck()
    .all() as string[];
  const queries = [...words.slice(0, 15), ...words.slice(-15), 'fail*', 'pod*', 'kube*', 'error watch*', 'nosuchwordanywhere'];
  assert.ok(queries.length >= 30);
  const lazyReader = new StoreReader(lazy);
  const eagerReader = new StoreReader(eager);
  let found = 0;
  for (const q of queries) {
    const a = lazyReader.search(q, { limit: 100_000 }).map((e) => [e.id, e.message]);
    const b = eagerReader.search(q, { limit: 100_000 }).map((e) => [e.id, e.message]);
    assert.deepEqual(a, b, `search ${q}`);
    found += a.length;
  }
  assert.ok(found > 1000, `${found} results in all`);
  assert.equal(wordIndexPending(lazy.db), false, 'the first search built it');
  ftsIntact(lazy.db);
  lazy.close();
  eager.close();
});

test('a source replaced while the word index is pending: the first search still finds exactly what is stored', () => {
  const store = openStore(join(dir, 'replace.db'));
  const w = createWriter(store);
  const a = w.beginSource(meta('/a'));
  w.addEvents(a.id, [makeEvent({ seq: 1, message: 'first words' }), makeEvent({ seq: 2, message: 'second words' })]);
  w.completeSource(a.id);
  w.close();
  assert.equal(wordIndexPending(store.db), true);
  // A changed file: its old events are deleted (the delete trigger runs on an unbuilt index).
  const w2 = createWriter(store);
  const a2 = w2.beginSource(meta('/a', 'f2'));
  assert.equal(a2.discardedEvents, 2);
  w2.addEvents(a2.id, [makeEvent({ seq: 3, message: 'third words' })]);
  w2.completeSource(a2.id);
  w2.close();
  const reader = new StoreReader(store);
  assert.deepEqual(reader.search('words', { limit: 10 }).map((e) => e.message), ['third words']);
  assert.deepEqual(reader.search('first', { limit: 10 }), []);
  ftsIntact(store.db);
  // Built: a row-by-row ingest keeps it current from here on.
  const w3 = createWriter(store);
  const b = w3.beginSource(meta('/b'));
  w3.addEvents(b.id, [makeEvent({ seq: 4, message: 'fourth words' })]);
  w3.close();
  assert.equal(wordIndexPending(store.db), false);
  assert.deepEqual(reader.search('fourth', { limit: 10 }).map((e) => e.message), ['fourth words']);
  store.close();
});

test('a read-only store builds its word index through a connection of its own', () => {
  const file = join(dir, 'readonly.db');
  const store = openStore(file);
  const w = createWriter(store);
  const s = w.beginSource(meta('/a'));
  w.addEvents(s.id, [makeEvent({ seq: 1, message: 'read only words' })]);
  w.completeSource(s.id);
  w.close();
  store.close();
  const ro = openStore(file, { readonly: true });
  assert.equal(wordIndexPending(ro.db), true);
  assert.deepEqual(new StoreReader(ro).search('only', { limit: 10 }).map((e) => e.id), [1]);
  assert.equal(wordIndexPending(ro.db), false);
  ro.close();
});

test('building reports its progress chunk by chunk, up to every event', () => {
  const store = openStore(':memory:');
  const w = createWriter(store, { batchSize: 10_000 });
  const s = w.beginSource(meta('/a'));
  w.addEvents(s.id, Array.from({ length: 120_000 }, (_, i) => makeEvent({ seq: i + 1, message: `event number${i % 7}` })));
  w.close();
  const seen: [number, number][] = [];
  buildWordIndex(store.db, (done, total) => seen.push([done, total]));
  assert.deepEqual(seen, [
    [50_000, 120_000],
    [100_000, 120_000],
    [120_000, 120_000],
  ]);
  assert.equal(new StoreReader(store).search('number3', { limit: 1_000_000 }).length, 17_143);
  store.close();
});
