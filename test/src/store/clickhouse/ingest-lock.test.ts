/**
 * The ClickHouse ingest lock on a real clickhouse-server (Debian's 18.16 here): a second ingest
 * waits for the first; a holder whose lease lapsed is broken and learns it at check(); a holder
 * whose process is gone is broken at once; and two `ktrail ingest` run at the same moment into
 * one store take different ids and copy a source once.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runSimulation } from '../../../../src/sim/index.js';
import { acquireIngestLock, type IngestLock } from '../../../../src/store/clickhouse/ingest-lock.js';
import { ClickhouseStore } from '../../../../src/store/clickhouse/store.js';
import { parseClickhouseUrl } from '../../../../src/store/clickhouse/url.js';
import { openStore } from '../../../../src/store/writer.js';
import { clickhouseSkip, startClickhouse, type ClickhouseServers } from '../../../helpers/clickhouse-server.js';
import { repoRoot, cliPath } from '../../../helpers/paths.js';

const skip = clickhouseSkip();
const CLI = cliPath();
const DB = 'locks';
let ch: ClickhouseServers | undefined;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ktrail-ch-lock-'));
  if (skip) return;
  ch = await startClickhouse();
  await ch.sql(`CREATE DATABASE ${DB}`);
});
after(async () => {
  await ch?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const dbUrl = (): string => ch!.url(DB);

/** Whether `p` settles within `ms`. */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

test('a second ingest waits for the first, then takes the lock', { skip }, async () => {
  const target = parseClickhouseUrl(dbUrl());
  const first = await acquireIngestLock(target);
  let waitedFor: string | undefined;
  const second = acquireIngestLock(target, { onWait: (holder) => (waitedFor = holder) });
  assert.equal(await settles(second, 2500), false, 'the second does not get the lock while the first holds it');
  assert.equal(waitedFor, first.owner);
  await first.check();
  await first.release();
  const lock = await second;
  await lock.check();
  await assert.rejects(first.check(), /lost the store's ingest lock/);
  await lock.release();
});

test('a holder whose lease lapsed loses the lock, learns it at check(), and its release leaves the new lock alone', { skip }, async () => {
  const target = parseClickhouseUrl(dbUrl());
  const old = await acquireIngestLock(target);
  // A lease of 0 s: the holder's last heartbeat is stale a second later.
  const taker = await acquireIngestLock(target, { leaseSeconds: 0 });
  await assert.rejects(old.check(), /lost the store's ingest lock \(now held by .*\); its rows stay invisible/);
  await old.release();
  await taker.check();
  await taker.release();
});

test('a holder whose process was killed is broken at once, without waiting for its lease', { skip }, async () => {
  const url = dbUrl();
  const mod = join(repoRoot, 'dist', 'src', 'store', 'clickhouse', 'ingest-lock.js');
  const urlMod = join(repoRoot, 'dist', 'src', 'store', 'clickhouse', 'url.js');
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const { acquireIngestLock } = await import(${JSON.stringify(mod)}); const { parseClickhouseUrl } = await import(${JSON.stringify(urlMod)});
     const l = await acquireIngestLock(parseClickhouseUrl(${JSON.stringify(url)})); console.log(l.owner); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const owner = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  assert.match(owner, new RegExp(`:${child.pid}:`));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  let waited = false;
  const started = Date.now();
  const lock: IngestLock = await acquireIngestLock(parseClickhouseUrl(url), { onWait: () => (waited = true) });
  assert.equal(waited, false, 'a dead holder is not waited for');
  assert.ok(Date.now() - started < 30_000);
  await lock.release();
});

/** `ktrail ingest ARGS` as a child process; resolves with its exit status and stderr. */
function ingest(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, 'ingest', ...args], { env: { ...process.env, KTRAIL_DB: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (status) => resolve({ status, stderr }));
  });
}

test('two ingests at the same moment: different ids, each source copied once', { skip }, async () => {
  const bundles: string[] = [];
  for (const scenario of ['crashloop', 'dns-failure'] as const) {
    const out = join(dir, `sim-${scenario}`);
    await runSimulation({ scenario, seed: 3, out, durationSec: 120, scale: 0.2 });
    bundles.push(join(out, 'bundle'));
  }
  const counts = bundles.map((b, i) => {
    const db = join(dir, `${i}.db`);
    const r = spawnSync(process.execPath, [CLI, 'ingest', b, '--db', db], { env: { ...process.env, KTRAIL_DB: '' } });
    assert.equal(r.status, 0, String(r.stderr));
    const s = openStore(db, { readonly: true });
    const n = { events: s.events.count(), sources: s.sources.list().length };
    s.close();
    return n;
  });
  const url = dbUrl();
  // The same bundle twice at once (its sources must be copied once), and another beside them.
  const runs = await Promise.all([ingest([bundles[0]!, '--db', url]), ingest([bundles[0]!, '--db', url]), ingest([bundles[1]!, '--db', url])]);
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  assert.ok(runs.some((r) => /waiting for another ingest/.test(r.stderr)), 'at least one ingest waited');
  const store = new ClickhouseStore(url);
  assert.equal(store.events.count(), counts[0]!.events + counts[1]!.events);
  assert.equal(store.sources.list().length, counts[0]!.sources + counts[1]!.sources);
  assert.equal(new Set(store.events.ids()).size, store.events.count(), 'no two events share an id');
  const raw = Number((await ch!.sql(`SELECT count() FROM ${DB}.events`)).trim());
  assert.equal(raw, store.events.count(), 'nothing was written twice, visible or not');
});
