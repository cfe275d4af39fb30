/**
 * A ClickHouse cluster of two shards (two real servers whose remote_servers name both) against a
 * single server: the same ingests give rows on both shards, and every answer through the
 * Distributed tables equals the single node's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compileSql } from '../../../../src/query/compile-sql.js';
import { parseQuery } from '../../../../src/query/parser.js';
import { runSimulation } from '../../../../src/sim/index.js';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { clickhouseSkip, startClickhouse, type ClickhouseServers } from '../../../helpers/clickhouse-server.js';
import { query } from '../../query/generate.js';
import { rng } from '../synthetic.js';
import { answers, ingested } from './stores.js';

const skip = clickhouseSkip();
let single: ClickhouseServers | undefined;
let sharded: ClickhouseServers | undefined;
let dir = '';
const SCENARIOS = ['crashloop', 'dns-failure', 'image-pull-backoff'] as const;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ktrail-ch-shards-'));
  if (skip) return;
  [single, sharded] = await Promise.all([startClickhouse(), startClickhouse({ shards: 2 })]);
  for (const scenario of SCENARIOS) {
    const out = join(dir, scenario);
    await runSimulation({ scenario, seed: 2, out, durationSec: 150, scale: 0.2 });
    // The same runs in the same order: the same ids on both.
    await ingested([join(out, 'bundle')], single.url('fleet'), scenario);
    await ingested([join(out, 'bundle')], sharded.url('fleet'), scenario);
  }
});
after(async () => {
  await Promise.all([single?.stop(), sharded?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test('both shards hold rows, each ingest run whole on one of them', { skip }, async () => {
  const perShard = await Promise.all(
    [0, 1].map(async (i) =>
      (await sharded!.sql('SELECT run, count() AS n FROM fleet.events_local GROUP BY run ORDER BY run FORMAT JSONEachRow', i))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => Number((JSON.parse(l) as { run: string }).run)),
    ),
  );
  assert.ok(perShard[0]!.length > 0 && perShard[1]!.length > 0, `runs per shard: ${JSON.stringify(perShard)}`);
  // A run is on one shard only: its events, and its sources row beside them.
  assert.deepEqual([...perShard[0]!, ...perShard[1]!].sort(), [1, 2, 3]);
  for (const i of [0, 1]) {
    const sourceRuns = (await sharded!.sql('SELECT DISTINCT run FROM fleet.sources_local ORDER BY run', i)).trim().split('\n').filter(Boolean).map(Number);
    assert.deepEqual(sourceRuns, perShard[i]);
  }
});

test('answers through the Distributed tables equal the single node answers', { skip }, () => {
  for (const cluster of [...SCENARIOS, undefined]) {
    const one = new ClickhouseStore(single!.url('fleet'), { cluster });
    const two = new ClickhouseStore(sharded!.url('fleet'), { cluster });
    assert.deepEqual(answers(two), answers(one), cluster ?? 'every cluster');
  }
  const one = new ClickhouseStore(single!.url('fleet'));
  const two = new ClickhouseStore(sharded!.url('fleet'));
  const range = one.events.timeRange()!;
  const r = rng(11);
  for (let i = 0; i < 60; i++) {
    const filter = compileSql(parseQuery(query(r, range)), { now: range.to, correlated: true });
    assert.deepEqual(two.events.ids(filter), one.events.ids(filter));
  }
  assert.deepEqual(two.readOnlySql('SELECT component, count() AS n FROM events GROUP BY component ORDER BY component'), one.readOnlySql('SELECT component, count() AS n FROM events GROUP BY component ORDER BY component'));
});
