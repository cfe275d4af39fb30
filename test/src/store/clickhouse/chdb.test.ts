/**
 * ktrail's ClickHouse SQL on a current release: the store tests of agree.ts against chDB 3.4.0
 * (embedded ClickHouse 26.7.2) behind test/helpers/chdb-server.ts. store.test.ts runs the same
 * bodies on clickhouse-server 18.16. Not here (chDB has no users, profiles or clusters): the
 * readonly user, shards, the ingest lock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { chdbSkip, startChdb, type ChdbServer } from '../../../helpers/chdb-server.js';
import { corpusSkip } from '../../../helpers/paths.js';
import { sameAnswersForEveryScenario, sameAnswersForRealBundle, sameEventsForGeneratedQueries } from './agree.js';

const skip = chdbSkip();
let ch: ChdbServer | undefined;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ktrail-chdb-test-'));
  if (!skip) ch = await startChdb();
});
after(async () => {
  await ch?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('chDB is a current release, not 18.16', { skip }, () => {
  const store = new ClickhouseStore(ch!.url('default'));
  const version = store.readOnlySql('SELECT version() AS v').rows[0] as { v: string };
  assert.match(version.v, /^2[5-9]\.|^[3-9]\d\./);
});

test('chDB: generated queries select the same events from SQLite and ClickHouse (synthetic events)', { skip }, async () => {
  await sameEventsForGeneratedQueries((db) => ch!.url(db));
});

test('chDB: every simulated scenario: the same counts, incidents, evidence and traces', { skip }, async () => {
  await sameAnswersForEveryScenario(dir, (db) => ch!.url(db));
});

// The readonly checks of store.test.ts stay there: readonly=1 goes to chDB as a SETTINGS clause,
// which an INSERT ... VALUES cannot carry, so a refused write would fail to parse, not as readonly.
test('chDB: a real bundle: the same answers and the same events for queries', { skip: skip || corpusSkip() }, async () => {
  const { store, count } = await sameAnswersForRealBundle(dir, (db) => ch!.url(db));
  assert.deepEqual(store.readOnlySql('SELECT count() AS n FROM events').rows, [{ n: count }]);
});
