/**
 * The comparisons of the ClickHouse store with the SQLite store that run on every ClickHouse
 * release tested: store.test.ts on clickhouse-server 18.16, chdb.test.ts on chDB (26.7). Each
 * takes a function giving the URL of a database on the release under test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { resolveNewest } from '../../../../src/correlate/resolve-ref.js';
import { compileSql } from '../../../../src/query/compile-sql.js';
import { parseQuery } from '../../../../src/query/parser.js';
import { runSimulation, SCENARIOS } from '../../../../src/sim/index.js';
import { copyToClickhouse } from '../../../../src/store/clickhouse/copy.js';
import { ensureSchema } from '../../../../src/store/clickhouse/setup.js';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { parseClickhouseUrl } from '../../../../src/store/clickhouse/url.js';
import type { KtrailStore, StoredObject } from '../../../../src/store/store.js';
import { openStore } from '../../../../src/store/writer.js';
import { corpus } from '../../../helpers/paths.js';
import { query } from '../../query/generate.js';
import { FILES, randomEvents, rng } from '../synthetic.js';
import { answers, ingested, syntheticPair, timeline } from './stores.js';

/**
 * Registers the file's hooks: a temporary folder, and the release under test started once for
 * the file (unless skipped) and stopped at its end. The getters are valid inside tests.
 */
export function releaseUnderTest<T extends { stop(): Promise<void> }>(skip: string | false, start: () => Promise<T>): { server(): T; dir(): string } {
  let server: T | undefined;
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ktrail-ch-test-'));
    if (!skip) server = await start();
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { server: () => server!, dir: () => dir };
}

/** Generated queries select the same events from SQLite and ClickHouse (synthetic events). */
export async function sameEventsForGeneratedQueries(url: (database: string) => string): Promise<void> {
  const r = rng(20250321);
  const events = randomEvents(r, 300);
  const { sqlite, ch: store } = await syntheticPair(events, FILES, url('synthetic'));
  const range = { from: events[0]!.time, to: events[events.length - 1]!.time };
  const now = Math.floor((range.from + range.to) / 2);
  let informative = 0;
  for (let i = 0; i < 250; i++) {
    const q = query(r, range);
    for (const correlated of [false, true]) {
      const filter = compileSql(parseQuery(q), { now, correlated });
      const expected = sqlite.events.ids(filter);
      assert.deepEqual(store.events.ids(filter), expected, `query #${i}${correlated ? ' (correlated)' : ''}: ${q}`);
      if (!correlated && expected.length > 0 && expected.length < events.length) informative++;
    }
  }
  assert.ok(informative > 100, `only ${informative} queries selected some but not all events`);
  assert.deepEqual(answers(store), answers(sqlite));
  sqlite.close();
}

/** Every simulated scenario (simulated into `dir`/sim-SCENARIO): the same counts, incidents, evidence and traces. */
export async function sameAnswersForEveryScenario(dir: string, url: (database: string) => string): Promise<void> {
  let withIncidents = 0;
  for (const [i, scenario] of SCENARIOS.entries()) {
    const out = join(dir, `sim-${scenario}`);
    await runSimulation({ scenario, seed: 1, out, durationSec: 150, scale: 0.2 });
    const sqlite = await ingested([join(out, 'bundle')], join(dir, `${scenario}.db`));
    const store = await ingested([join(out, 'bundle')], url(`sim_${i}`));
    const want = answers(sqlite);
    assert.deepEqual(answers(store), want, scenario);
    // Batched timelines are the one-by-one timelines (checked here on SQLite; ClickHouse equals it).
    const roots = want.roots as StoredObject[];
    assert.deepEqual(want.rootTimelines, roots.map((r) => timeline(sqlite.objects.timeline(r))), scenario);
    if ((want.incidents as unknown[]).length > 0) withIncidents++;
    sqlite.close();
  }
  // The comparison is worth something only if incidents were found to compare.
  assert.ok(withIncidents >= 5, `only ${withIncidents} scenarios have incidents`);
}

/**
 * A real bundle (the corpus's kind-1.32-bundle) into both stores: the same answers, the same
 * events for real and generated queries, and a second ingest of the same files adds nothing.
 * Returns the ClickHouse store and the event count for further checks.
 */
export async function sameAnswersForRealBundle(dir: string, url: (database: string) => string): Promise<{ store: KtrailStore; count: number }> {
  const bundle = corpus('kind-1.32-bundle');
  const sqlite = await ingested([bundle], join(dir, 'kind.db'));
  const store = await ingested([bundle], url('kind'));
  assert.ok(store.events.count() > 1000);
  assert.deepEqual(answers(store), answers(sqlite));
  const r = rng(7);
  const range = store.events.timeRange()!;
  const real = [
    '{component="kubelet"} |= "Back-off"',
    '{component=~"kube-.*"} | level >= warn',
    '| pod =~ "kube-system/coredns-.*"',
    '| node = "kind-control-plane" and not component = "kubelet"',
    '|~ "(?i)error|fail"',
    '| object = replicaset/kube-system/coredns-668d6bf9bc',
    '| file =~ ".*kubelet.*"',
    '| verb = "GET" or code >= 400',
  ];
  for (const q of [...real, ...Array.from({ length: 80 }, () => query(r, range))]) {
    const filter = compileSql(parseQuery(q), { now: range.to, correlated: true });
    assert.deepEqual(store.events.ids(filter), sqlite.events.ids(filter), q);
  }
  // Idempotent: the same files again add nothing.
  const again = await ingested([bundle], url('kind'));
  assert.equal(again.events.count(), sqlite.events.count());
  assert.equal(again.sources.list().length, sqlite.sources.list().length);
  const count = sqlite.events.count();
  sqlite.close();
  return { store, count };
}

/**
 * A name many objects had (a tie at the newest time, one never seen at a time, a second kind and
 * namespace): trace's newest few, their count and span are the same from ClickHouse as from
 * SQLite, cut or whole (the simulated scenarios reuse no name, so answers() never cuts one).
 */
export async function sameNewestForReusedNames(url: (database: string) => string): Promise<void> {
  const sqlite = openStore(':memory:');
  const seen = [5, null, 9, 6, 7, 9, 8, 6];
  const pods = seen.map((s, i) => `(${i + 1}, 'u-${i + 1}', 'Pod', 'default', 'web-1', ${s === null ? 'NULL' : s * 1e6})`);
  // A complete source: a copy's rows are visible once its sources are (copy.ts).
  sqlite.db.exec(`INSERT INTO sources (id, path, display, complete) VALUES (1, '/a', 'a.log', 1);
    INSERT INTO objects (id, uid, kind, namespace, name, first_seen) VALUES ${pods.join(', ')},
    (20, 'r-1', 'ReplicaSet', 'default', 'web-1', 1e6), (21, 'r-2', 'ReplicaSet', 'other', 'web-1', 2e6), (22, NULL, 'Node', NULL, 'web-1', NULL)`);
  const target = parseClickhouseUrl(url('names'));
  await copyToClickhouse(sqlite.db, target, await ensureSchema(target));
  const ch = new ClickhouseStore(url('names'));
  assert.equal(resolveNewest(sqlite.objects, 'pod/default/web-1', 3).objects.length, 3, 'the cut is exercised');
  for (const ref of ['pod/default/web-1', 'default/web-1', 'replicaset/web-1', 'other/web-1', 'node/web-1', 'web-1', 'pod/default/none']) {
    for (const newest of [Infinity, 1, 3, 8]) {
      assert.deepEqual(resolveNewest(ch.objects, ref, newest), resolveNewest(sqlite.objects, ref, newest), `${ref}, newest ${newest}`);
    }
  }
  sqlite.close();
}
