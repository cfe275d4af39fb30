/**
 * The signals table (src/store/signals.ts): signals recognized as a first ingest writes its
 * events give the same rows as the pass over the stored events, on real captures; the pass keeps
 * them only while they still cover every event and were made by the same registry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Database from 'better-sqlite3';
import { openSources, resolveInputs } from '../../../src/ingest/run.js';
import { SIGNAL_REGISTRY } from '../../../src/signals/index.js';
import { ingestEventStream } from '../../../src/store/ingest.js';
import { computeSignals } from '../../../src/store/signals.js';
import type { WriterOptions } from '../../../src/store/store.js';
import { createWriter, describeSource, openStore } from '../../../src/store/writer.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { makeEvent } from './synthetic.js';

/** Real captures with DNS, kubelet, apiserver and audit lines, and the corpus's failures. */
const small = (): string[] => [corpus('kind-1.32-bundle'), corpus('coredns-querylog'), corpus('audit-events')];
const captures = (): string[] => [...small(), corpus('failure-cases')];

async function ingest(paths: string[], opts: WriterOptions): Promise<ReturnType<typeof openStore>> {
  const store = openStore(':memory:');
  const inputs = await resolveInputs(paths, undefined, () => {});
  const metas = await Promise.all(inputs.map((i) => describeSource(i.input as string, i.display, i.cluster ?? '')));
  await ingestEventStream(createWriter(store, opts), metas, (toRead) =>
    openSources(
      inputs.filter((i) => toRead.some((m) => m.display === i.display)),
      { onError: () => {} },
    ),
  );
  return store;
}

function rows(db: Database.Database): unknown[] {
  return db.prepare(`SELECT signal, event_id, time, facts FROM event_signals ORDER BY signal, time, event_id`).raw().all();
}

test('signals recognized while writing equal the pass over the stored events, on real captures', { skip: corpusSkip() }, async () => {
  const atWrite = await ingest(captures(), { signals: SIGNAL_REGISTRY, batchSize: 700 });
  const after = await ingest(captures(), {});
  const written = rows(atWrite.db);
  const table = after.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'event_signals'`).pluck().get();
  assert.equal(table, 0, 'a writer without the registry recognizes nothing');
  const found = computeSignals(after.db, SIGNAL_REGISTRY);
  assert.ok(found > 500, `the captures state signals (${found})`);
  assert.equal(new Set(written.map((r) => (r as unknown[])[0])).size > 5, true, 'several signals, not one');
  assert.deepEqual(written, rows(after.db));
  assert.equal(computeSignals(atWrite.db, SIGNAL_REGISTRY), found, 'the pass keeps them and counts the same');
  assert.deepEqual(rows(atWrite.db), written);
});

test('the pass keeps rows recognized at write only for the same registry and the same events', { skip: corpusSkip() }, async () => {
  const captured = (): Promise<ReturnType<typeof openStore>> => ingest(small(), { signals: SIGNAL_REGISTRY });
  // A row removed behind the pass's back shows which way it went: kept, or recognized again.
  const dropOne = (db: Database.Database): void => void db.prepare(`DELETE FROM event_signals WHERE (signal, time, event_id) IN (SELECT signal, time, event_id FROM event_signals LIMIT 1)`).run();

  const kept = await captured();
  const all = rows(kept.db);
  assert.ok(all.length > 40, `the captures state signals (${all.length})`);
  dropOne(kept.db);
  computeSignals(kept.db, SIGNAL_REGISTRY);
  assert.equal(rows(kept.db).length, all.length - 1, 'kept: nothing was read');
  computeSignals(kept.db, SIGNAL_REGISTRY);
  assert.deepEqual(rows(kept.db), all, 'kept once only: the next pass reads every event again');
  kept.close();

  const other = await captured();
  dropOne(other.db);
  computeSignals(other.db, { ...SIGNAL_REGISTRY });
  assert.deepEqual(rows(other.db), all, 'another registry recognizes every event again');
  other.close();

  const added = await captured();
  const writer = createWriter(added, { batchSize: 10 });
  const source = writer.beginSource({ cluster: '', path: '/logs/more.log', display: 'more.log', fingerprint: 'm' });
  writer.addEvents(source.id, [makeEvent({ seq: 1, source: { file: 'more.log', line: 1, endLine: 1, format: 'none/klog' } })]);
  writer.completeSource(source.id);
  writer.close();
  dropOne(added.db);
  computeSignals(added.db, SIGNAL_REGISTRY);
  assert.deepEqual(rows(added.db), all, 'an event added by another writer: every event recognized again');
  added.close();
});
