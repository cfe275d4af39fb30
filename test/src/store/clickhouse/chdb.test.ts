/**
 * ktrail's ClickHouse SQL on a current release: the store tests of agree.ts against chDB 3.4.0
 * (embedded ClickHouse 26.7.2) behind test/helpers/chdb-server.ts. store.test.ts runs the same
 * bodies on clickhouse-server 18.16. Not here (chDB has no users, profiles or clusters): the
 * readonly user, shards, the ingest lock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { chdbSkip, startChdb } from '../../../helpers/chdb-server.js';
import { corpusSkip } from '../../../helpers/paths.js';
import { releaseUnderTest, sameAnswersForEveryScenario, sameAnswersForRealBundle, sameEventsForGeneratedQueries, sameNewestForReusedNames } from './agree.js';

const skip = chdbSkip();
const release = releaseUnderTest(skip, () => startChdb());

test('chDB is a current release, not 18.16', { skip }, () => {
  const store = new ClickhouseStore(release.server().url('default'));
  const version = store.readOnlySql('SELECT version() AS v').rows[0] as { v: string };
  assert.match(version.v, /^2[5-9]\.|^[3-9]\d\./);
});

test('chDB: generated queries select the same events from SQLite and ClickHouse (synthetic events)', { skip }, async () => {
  await sameEventsForGeneratedQueries((db) => release.server().url(db));
});

test('chDB: every simulated scenario: the same counts, incidents, evidence and traces', { skip }, async () => {
  await sameAnswersForEveryScenario(release.dir(), (db) => release.server().url(db));
});

// The readonly checks of store.test.ts stay there: readonly=1 goes to chDB as a SETTINGS clause,
// which an INSERT ... VALUES cannot carry, so a refused write would fail to parse, not as readonly.
test('chDB: a real bundle: the same answers and the same events for queries', { skip: skip || corpusSkip() }, async () => {
  const { store, count } = await sameAnswersForRealBundle(release.dir(), (db) => release.server().url(db));
  assert.deepEqual(store.readOnlySql('SELECT count() AS n FROM events').rows, [{ n: count }]);
});

test('chDB: a name many objects had: the same newest objects, count and span as SQLite, cut or whole', { skip }, async () => {
  await sameNewestForReusedNames((db) => release.server().url(db));
});
