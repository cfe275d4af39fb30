/**
 * `ktrail stats --db STORE` as users run it: two clusters ingested into one store, counted per
 * cluster from the store; checked against what reading the same inputs reports, against the
 * incidents the store lists, and (on a real clickhouse-server) equal between SQLite and ClickHouse.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { StatsReport } from '../../../src/cli/stats.js';
import type { StoreStatsReport } from '../../../src/cli/stats-store.js';
import { runSimulation } from '../../../src/sim/index.js';
import { clickhouseSkip, startClickhouse, type ClickhouseServers } from '../../helpers/clickhouse-server.js';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const chSkip = clickhouseSkip();
const SCENARIOS = ['crashloop', 'dns-failure'] as const;
let dir = '';
let ch: ClickhouseServers | undefined;

function ktrail(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, KTRAIL_DB: '' } });
}

function ok(...args: string[]): string {
  const r = ktrail(...args);
  assert.equal(r.status, 0, `ktrail ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const bundle = (scenario: string): string => join(dir, scenario, 'bundle');

/** Each scenario's bundle ingested into `db` under the scenario's name as its cluster. */
function ingestBoth(db: string): void {
  for (const s of SCENARIOS) ok('ingest', bundle(s), '--db', db, '--cluster', s);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ktrail-stats-store-'));
  for (const scenario of SCENARIOS) await runSimulation({ scenario, seed: 1, out: join(dir, scenario), durationSec: 150, scale: 0.2 });
  if (!chSkip) ch = await startClickhouse();
});
after(async () => {
  await ch?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('stats --db on a SQLite store: per-cluster counts from the store, agreeing with the inputs and the incident list', () => {
  const db = join(dir, 'fleet.db');
  ingestBoth(db);
  const report = JSON.parse(ok('stats', '--db', db, '--json')) as StoreStatsReport;
  assert.equal(report.store, db);
  assert.deepEqual(report.clusters.map((c) => c.cluster), [...SCENARIOS]);
  let incidents = 0;
  for (const c of report.clusters) {
    // What reading the same bundle reports: the same sources, lines and events.
    const read = JSON.parse(ok('stats', '--json', bundle(c.cluster))) as StatsReport;
    const own = report.sources.filter((s) => s.cluster === c.cluster);
    assert.equal(c.sources, read.sources.length, c.cluster);
    assert.deepEqual(own.map((s) => [s.linesRead, s.events, s.folded, s.setAside]), read.sources.map((s) => [s.linesRead, s.events, s.folded, s.setAside]), c.cluster);
    assert.equal(c.events, read.totals.events, c.cluster);
    assert.ok(own.every((s) => s.complete));
    // The store's own incidents and objects of that cluster.
    const listed = JSON.parse(ok('incidents', '--db', db, '--cluster', c.cluster, '-o', 'json')) as unknown[];
    assert.equal(c.incidents, listed.length, c.cluster);
    incidents += c.incidents;
    const objects = ok('sql', `SELECT count(*) AS n FROM objects WHERE cluster = '${c.cluster}'`, '--db', db, '-o', 'json');
    assert.equal(c.objects, (JSON.parse(objects.trim()) as { n: number }).n, c.cluster);
    assert.ok(c.objects > 0 && c.events > 0, c.cluster);
  }
  assert.ok(incidents > 0, 'the comparison is worth something only with incidents');
  assert.equal(report.totals.events, report.clusters.reduce((n, c) => n + c.events, 0));
  assert.equal(report.totals.balanced, true);

  const text = ok('stats', '--db', db);
  for (const c of report.clusters) {
    assert.ok(text.includes(`cluster ${c.cluster}: ${c.sources} sources, ${c.events} events, ${c.objects} objects, ${c.incidents} incidents\n`), text);
  }
  assert.match(text, /^TOTAL +\d+ +\d+/m);

  const one = JSON.parse(ok('stats', '--db', db, '--json', '--cluster', 'dns-failure')) as StoreStatsReport;
  assert.deepEqual(one.clusters, report.clusters.filter((c) => c.cluster === 'dns-failure'));
  assert.ok(one.sources.length > 0 && one.sources.every((s) => s.cluster === 'dns-failure'));

  // Usage errors: a missing store, PATHs and --db together, a cluster the store lacks.
  for (const args of [['--db', join(dir, 'none.db')], ['--db', db, bundle('crashloop')], ['--db', db, '--cluster', 'nope']]) {
    const r = ktrail('stats', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^ktrail: /);
  }
});

test('stats --db on ClickHouse equals stats --db on SQLite for the same ingests', { skip: chSkip }, () => {
  const db = join(dir, 'fleet.db');
  const url = ch!.url('stats');
  ingestBoth(url);
  const strip = (r: StoreStatsReport): Omit<StoreStatsReport, 'store'> => {
    const { store: _store, ...rest } = r;
    return rest;
  };
  const sqlite = JSON.parse(ok('stats', '--db', db, '--json')) as StoreStatsReport;
  const clickhouse = JSON.parse(ok('stats', '--db', url, '--json')) as StoreStatsReport;
  assert.equal(clickhouse.store, url.replace(/:[^:@/]*@/, ':***@'));
  assert.deepEqual(strip(clickhouse), strip(sqlite));
  const scoped = JSON.parse(ok('stats', '--db', url, '--json', '--cluster', 'crashloop')) as StoreStatsReport;
  assert.deepEqual(scoped.clusters, sqlite.clusters.filter((c) => c.cluster === 'crashloop'));
});
