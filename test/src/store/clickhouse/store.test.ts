/**
 * The ClickHouse store against the SQLite store over the same inputs, on a real clickhouse-server
 * (Debian's 18.16 here): the same events for generated queries, the same counts, incidents,
 * evidence and traces for every simulated scenario (those two from agree.ts, which chdb.test.ts
 * runs on 26.7 too) and a real bundle; idempotent re-ingest; an
 * ingest that fails half-way leaves nothing visible; clusters in one store stay apart; a bad URL
 * or a down server is exit status 2 with the URL named and its password hidden.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import type { KtrailStore } from '../../../../src/store/store.js';
import { openStore } from '../../../../src/store/writer.js';
import { clickhouseSkip, startClickhouse } from '../../../helpers/clickhouse-server.js';
import { corpusSkip, cliPath } from '../../../helpers/paths.js';
import { releaseUnderTest, sameAnswersForEveryScenario, sameAnswersForRealBundle, sameEventsForGeneratedQueries, sameNewestForReusedNames } from './agree.js';
import { ingested } from './stores.js';

const skip = clickhouseSkip();
const release = releaseUnderTest(skip, () => startClickhouse());

test('generated queries select the same events from SQLite and ClickHouse (synthetic events)', { skip }, async () => {
  await sameEventsForGeneratedQueries((db) => release.server().url(db));
});

test('a real bundle: the same answers and the same events for queries', { skip: skip || corpusSkip() }, async () => {
  const { store, count } = await sameAnswersForRealBundle(release.dir(), (db) => release.server().url(db));
  // `ktrail sql` runs under readonly=1: reads work, writes are refused by the server.
  assert.deepEqual(store.readOnlySql('SELECT count() AS n FROM events').rows, [{ n: count }]);
  assert.throws(() => store.readOnlySql('INSERT INTO events (id) VALUES (1)'), /readonly/i);
  assert.throws(() => store.readOnlySql('DROP TABLE events'), /readonly/i);
  assert.equal(store.events.count(), count);
});

test('every simulated scenario: the same counts, incidents, evidence and traces', { skip }, async () => {
  await sameAnswersForEveryScenario(release.dir(), (db) => release.server().url(db));
});

test('two Kubernetes clusters in one store stay apart', { skip }, async () => {
  const stores: Record<string, { count: number; incidents: string[] }> = {};
  for (const scenario of ['crashloop', 'dns-failure'] as const) {
    const bundle = join(release.dir(), `sim-${scenario}`, 'bundle');
    const sqlite = await ingested([bundle], join(release.dir(), `${scenario}.db`));
    await ingested([bundle], release.server().url('fleet'), scenario);
    stores[scenario] = { count: sqlite.events.count(), incidents: sqlite.incidents.list().map((x) => x.summary) };
    sqlite.close();
  }
  for (const scenario of ['crashloop', 'dns-failure']) {
    const scoped = new ClickhouseStore(release.server().url('fleet'), { cluster: scenario });
    assert.equal(scoped.events.count(), stores[scenario]!.count, scenario);
    assert.deepEqual(scoped.incidents.list().map((x) => x.summary), stores[scenario]!.incidents, scenario);
    assert.equal(scoped.sources.list().length > 0, true);
  }
  const all = new ClickhouseStore(release.server().url('fleet'));
  assert.equal(all.events.count(), stores['crashloop']!.count + stores['dns-failure']!.count);
  // Ids are unique across the store: the second run's events follow the first's.
  assert.equal(new Set(all.events.ids()).size, all.events.count());
});

test('an ingest that fails half-way leaves nothing visible, and the next one completes it', { skip }, async () => {
  const bundle = join(release.dir(), 'sim-crashloop', 'bundle');
  const url = release.server().url('halfway');
  const sqlite = await ingested([bundle], join(release.dir(), 'crashloop.db'));
  const other = await ingested([join(release.dir(), 'sim-dns-failure', 'bundle')], url);
  const before = other.events.count();
  const incidents = other.incidents.list().length;
  // Make the last insert (sources) fail: a column computed on insert that throws for any new
  // run. Every other table is written.
  const run = (await release.server().sql('SELECT max(run) FROM halfway.sources')).trim();
  await release.server().sql(`ALTER TABLE halfway.sources ADD COLUMN poison UInt8 MATERIALIZED throwIf(run > ${run})`);
  await assert.rejects(ingested([bundle], url), /throwIf/);
  await release.server().sql('ALTER TABLE halfway.sources DROP COLUMN poison');
  const written = Number((await release.server().sql('SELECT count() FROM halfway.events')).trim());
  assert.ok(written > before, 'the failed ingest did write events');
  const store = new ClickhouseStore(url);
  assert.equal(store.events.count(), before, 'none of them is visible');
  assert.equal(store.incidents.list().length, incidents);
  // Run again: the files are not stored complete, so they are read and copied, once.
  const done = await ingested([bundle], url);
  assert.equal(done.events.count(), before + sqlite.events.count());
  sqlite.close();
});

test('a down server, a wrong password or a database without tables: exit 2, the URL named, the password hidden, nothing written', { skip }, async () => {
  const cli = cliPath();
  const bundle = join(release.dir(), 'sim-crashloop', 'bundle');
  const port = release.server().nodes[0]!.httpPort;
  const cases = [
    { args: ['ingest', bundle, '--db', `clickhouse://default:hunter2@127.0.0.1:1/x`], message: /cannot reach ClickHouse/ },
    { args: ['ingest', bundle, '--db', `clickhouse://reader:hunter2@127.0.0.1:${port}/x`], message: /refused the user/ },
    { args: ['incidents', '--db', `clickhouse://reader:reader@127.0.0.1:${port}/default`], message: /no ktrail tables/ },
    { args: ['query', '|= "x"', '--db', `clickhouse://default:hunter2@127.0.0.1/x`], message: /no port/ },
  ];
  for (const c of cases) {
    const r = spawnSync(process.execPath, [cli, ...c.args], { encoding: 'utf8', env: { ...process.env, KTRAIL_DB: '' } });
    assert.equal(r.status, 2, `${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.message);
    assert.match(r.stderr, /clickhouse:\/\/\w+:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(r.stderr, /hunter2|reader@/);
  }
  // Nothing half-written: the refused user's ingest created no database.
  assert.equal((await release.server().sql("SELECT count() FROM system.databases WHERE name = 'x'")).trim(), '0');
});

test('ci, export otlp and sql as users run them: the same reports from ClickHouse as from SQLite, and sql read-only', { skip }, () => {
  const cli = cliPath();
  const bundle = join(release.dir(), 'sim-crashloop', 'bundle');
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, KTRAIL_DB: '' } });
  const url = release.server().url('cli');
  const out: Record<string, { status: number | null; json: string; markdown: string; otlp: string }> = {};
  for (const [name, db] of [['sqlite', join(release.dir(), 'cli.db')], ['clickhouse', url]] as const) {
    const file = (ext: string): string => join(release.dir(), `cli-${name}.${ext}`);
    const ci = run('ci', bundle, '--db', db, '--json', file('json'), '--markdown', file('md'));
    assert.ok(ci.status === 0 || ci.status === 1, `${name}: ${ci.stderr}`);
    const otlp = run('export', 'otlp', '--db', db, '--out', file('otlp'));
    assert.equal(otlp.status, 0, `${name}: ${otlp.stderr}`);
    out[name] = { status: ci.status, json: readFileSync(file('json'), 'utf8'), markdown: readFileSync(file('md'), 'utf8'), otlp: readFileSync(file('otlp'), 'utf8') };
  }
  const report = JSON.parse(out['sqlite']!.json) as { totals: { incidents: number }; timelines: unknown[] };
  assert.ok(report.totals.incidents > 0 && report.timelines.length > 0, 'a report worth comparing');
  assert.deepEqual(out['clickhouse'], out['sqlite']);

  // `ktrail sql` on ClickHouse: reads answer; a write, DDL or a setting that lifts readonly is refused (exit 2).
  const count = run('sql', 'SELECT count() AS n FROM events', '--db', url, '-o', 'json');
  assert.equal(count.status, 0, count.stderr);
  for (const statement of ['INSERT INTO events (id) VALUES (1)', 'DROP TABLE events', 'SELECT 1 SETTINGS readonly = 0']) {
    const r = run('sql', statement, '--db', url);
    assert.equal(r.status, 2, `${statement}: ${r.stderr}`);
    assert.match(r.stderr, /readonly|Cannot modify/i, statement);
  }
  assert.equal(run('sql', 'SELECT count() AS n FROM events', '--db', url, '-o', 'json').stdout, count.stdout);
});

test('lists longer than one query holds: every incident with its root, evidence and owner edges, as from SQLite', { skip }, async () => {
  // The crashloop store's incident (one, with its root pod), that pod, its owner edge and the
  // evidence, copied under new ids until the incident ids, and the root ids, as one IN list pass
  // the server's max_query_size (256 KiB): 625k incidents did, on the 5M-event benchmark.
  // Copy n of an id is id + n * SHIFT, in both stores.
  const bundle = join(release.dir(), 'sim-crashloop', 'bundle');
  const file = join(release.dir(), 'many.db');
  const url = release.server().url('many');
  (await ingested([bundle], file)).close();
  await ingested([bundle], url);
  const SHIFT = 1_000_000;
  const COPIES = 30_000;
  const roots = 'SELECT root_object_id FROM incidents';
  const firstEvidence = '(SELECT min(event_id) FROM incident_evidence)';
  const copies: { table: string; shifted: Record<string, string>; where: string }[] = [
    // uid is unique per cluster in SQLite: a copy's uid is the original's with the copy number.
    { table: 'objects', shifted: { id: `id + n * ${SHIFT}`, uid: 'uid_n' }, where: `id IN (${roots})` },
    // The copied pod is owned by the original ReplicaSet.
    { table: 'owners', shifted: { owned_id: `owned_id + n * ${SHIFT}` }, where: `owned_id IN (${roots})` },
    { table: 'incidents', shifted: { id: `id + n * ${SHIFT}`, root_object_id: `root_object_id + n * ${SHIFT}` }, where: '1' },
    // One evidence row per copy is enough: the lists under test are of incident ids.
    { table: 'incident_evidence', shifted: { incident_id: `incident_id + n * ${SHIFT}` }, where: `incident_id < ${SHIFT} AND event_id = ${firstEvidence}` },
  ];
  const sqliteDb = new Database(file);
  for (const { table, shifted, where } of copies) {
    const columns = (sqliteDb.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    const expr = (c: string, uid: string): string => (shifted[c] === 'uid_n' ? uid : (shifted[c] ?? c));
    sqliteDb.exec(
      `WITH RECURSIVE copy(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < ${COPIES})
       INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => expr(c, "uid || '.' || n")).join(', ')} FROM ${table}, copy WHERE ${where}`,
    );
    const chColumns = (await release.server().sql(`SELECT name FROM system.columns WHERE database = 'many' AND table = '${table}' FORMAT TSV`)).trim().split('\n');
    await release.server().sql(
      `INSERT INTO many.${table} (${chColumns.join(', ')})
       SELECT ${chColumns.map((c) => expr(c, "concat(uid, '.', toString(n))")).join(', ')}
       FROM many.${table} CROSS JOIN (SELECT number + 1 AS n FROM system.numbers LIMIT ${COPIES}) WHERE ${where.replace(/FROM (incidents|incident_evidence)/g, 'FROM many.$1')}`,
    );
  }
  const owners = (sqliteDb.prepare(`SELECT DISTINCT owner_id AS id FROM owners WHERE owned_id IN (${roots})`).all() as { id: number }[]).map((o) => o.id);
  sqliteDb.close();

  const sqlite = openStore(file);
  const ch = new ClickhouseStore(url);
  const incidents = ch.incidents.list();
  assert.ok(incidents.length > COPIES, `${incidents.length} incidents`);
  const rootIds = [...new Set(incidents.flatMap((i) => (i.root ? [i.root.id] : [])))];
  assert.ok(rootIds.length > COPIES, `${rootIds.length} roots`);
  assert.deepEqual(incidents, sqlite.incidents.list());
  const ids = incidents.map((i) => i.id);
  assert.deepEqual(ch.incidents.evidenceOfAll(ids, 1e9), sqlite.incidents.evidenceOfAll(ids, 1e9));
  assert.deepEqual(ch.incidents.evidence(ids[ids.length - 1]!), sqlite.incidents.evidence(ids[ids.length - 1]!));
  const edges = (store: KtrailStore): string[] => store.objects.ownerEdgesAmong([...rootIds, ...owners]).map((e) => JSON.stringify(e)).sort();
  assert.equal(edges(ch).length, rootIds.length, 'each copied pod owned by its ReplicaSet');
  assert.deepEqual(edges(ch), edges(sqlite));
  sqlite.close();
});

test('a name many objects had: the same newest objects, count and span as SQLite, cut or whole', { skip }, async () => {
  await sameNewestForReusedNames((db) => release.server().url(db));
});
