/**
 * The rows of an ingest killed half-way, on a real clickhouse-server (Debian's 18.16 here): they
 * are invisible, and the next ingest deletes them (an ALTER TABLE ... DELETE mutation on every
 * table) and completes the files the killed one had begun.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { runSimulation } from '../../../../src/sim/index.js';
import { TABLES } from '../../../../src/store/clickhouse/schema.js';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { openStore } from '../../../../src/store/writer.js';
import { clickhouseForFile } from '../../../helpers/clickhouse-fixture.js';
import { clickhouseSkip } from '../../../helpers/clickhouse-server.js';
import { cliPath } from '../../../helpers/paths.js';

const skip = clickhouseSkip();
const CLI = cliPath();
const env = { ...process.env, KTRAIL_DB: '' };
const fixture = clickhouseForFile('ktrail-ch-orphans-');

const count = async (sql: string): Promise<number> => Number((await fixture.server().sql(sql)).trim());

/** Rows of runs that have no sources rows, over every table. */
async function orphanRows(): Promise<number> {
  let n = 0;
  for (const t of TABLES) if (t.name !== 'sources') n += await count(`SELECT count() FROM orphans.${t.name} WHERE run NOT IN (SELECT run FROM orphans.sources)`);
  return n;
}

test('an ingest killed half-way: its rows are invisible, and the next ingest deletes them and completes the files', { skip }, async () => {
  const ch = fixture.server();
  const dir = fixture.dir();
  const bundles: string[] = [];
  for (const scenario of ['crashloop', 'dns-failure'] as const) {
    const out = join(dir, scenario);
    await runSimulation({ scenario, seed: 5, out, durationSec: 120, scale: 0.2 });
    bundles.push(join(out, 'bundle'));
  }
  const url = ch.url('orphans');
  const first = spawnSync(process.execPath, [CLI, 'ingest', bundles[1]!, '--db', url], { env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const visible = new ClickhouseStore(url).events.count();
  const objects = await count('SELECT count() FROM orphans.objects');

  // Links are written after events, refs and objects, and before the sources rows: make their
  // insert take 3 s, and kill the ingest in that window.
  await ch.sql('ALTER TABLE orphans.event_objects ADD COLUMN slow UInt8 MATERIALIZED sleep(3)');
  const child = spawn(process.execPath, [CLI, 'ingest', bundles[0]!, '--db', url], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 300_000;
  while ((await count('SELECT count() FROM orphans.objects')) === objects) {
    assert.ok(Date.now() < deadline, 'the ingest never reached its copy');
    await sleep(50);
  }
  child.kill('SIGKILL');
  await exited;
  await sleep(4000); // whatever the server was still inserting is in
  await ch.sql('ALTER TABLE orphans.event_objects DROP COLUMN slow');
  assert.ok((await count('SELECT count() FROM orphans.events')) > visible, 'the killed ingest wrote events');
  assert.ok((await orphanRows()) > 0);
  assert.equal(new ClickhouseStore(url).events.count(), visible, 'none of them is visible');

  // The next ingest: no wait for the dead holder's lock, the orphans deleted, the files completed.
  const db = join(dir, 'crashloop.db');
  assert.equal(spawnSync(process.execPath, [CLI, 'ingest', bundles[0]!, '--db', db], { env }).status, 0);
  const sqlite = openStore(db, { readonly: true });
  const want = sqlite.events.count();
  sqlite.close();
  const next = spawnSync(process.execPath, [CLI, 'ingest', bundles[0]!, '--db', url], { env, encoding: 'utf8' });
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stderr, /removing the rows of 1 ingest run\(s\) that never completed \(run \d+\)/);
  assert.doesNotMatch(next.stderr, /waiting for another ingest/);
  const store = new ClickhouseStore(url);
  assert.equal(store.events.count(), visible + want);
  // Mutations run in the background: the rows go soon after.
  while ((await orphanRows()) > 0) {
    assert.ok(Date.now() < deadline, 'the orphan rows were never deleted');
    await sleep(200);
  }
  assert.equal(await count('SELECT count() FROM orphans.events'), store.events.count(), 'every row left is visible');
  assert.equal(new Set(store.events.ids()).size, store.events.count());
});
