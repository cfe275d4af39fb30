/**
 * A real crash: a child process ingesting a file is SIGKILLed in the middle; the database must be
 * consistent, show nothing half-done as complete, and the next run must finish the job with
 * exactly the file's events.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../../../src/store/connection.js';
import { StoreReader } from '../../../src/store/reader.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'ingest-child.js');
const dir = mkdtempSync(join(tmpdir(), 'ktrail-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LINES = 20_000;
const BATCH = 1_000;

/** Runs the child until it has printed `killAfter` commits, then SIGKILLs it. */
function runAndKill(db: string, log: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, db, log, String(BATCH)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let commits = 0;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      commits = (out.match(/^committed /gm) ?? []).length;
      if (commits >= killAfter && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (_code, signal) => resolve({ signal, out }));
  });
}

function inspect(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return {
      integrity: d.pragma('integrity_check', { simple: true }),
      sources: d.prepare(`SELECT id, complete FROM sources`).all() as { id: number; complete: number }[],
      events: d.prepare(`SELECT count(*) FROM events`).pluck().get() as number,
      distinctLines: d.prepare(`SELECT count(DISTINCT line) FROM events`).pluck().get() as number,
      refs: d.prepare(`SELECT count(*) FROM event_refs`).pluck().get() as number,
      bulkPending: d.prepare(`SELECT 1 FROM meta WHERE key = 'bulk_ingest'`).get() !== undefined,
    };
  } finally {
    d.close();
  }
}

test('SIGKILL mid-ingest leaves a consistent store, and the next run completes it exactly', async () => {
  const log = join(dir, 'crash.log');
  writeFileSync(log, Array.from({ length: LINES }, (_, i) => `line ${i} of the crash test`).join('\n') + '\n');
  const db = join(dir, 'crash.db');

  const killed = await runAndKill(db, log, 3);
  assert.equal(killed.signal, 'SIGKILL', `the child was not killed mid-ingest:\n${killed.out}`);
  assert.doesNotMatch(killed.out, /^done$/m);

  const partial = inspect(db);
  assert.equal(partial.integrity, 'ok');
  assert.equal(partial.sources.length, 1);
  assert.equal(partial.sources[0]!.complete, 0, 'a half-ingested source must not look complete');
  assert.ok(partial.events >= 3 * BATCH && partial.events < LINES, `partial events: ${partial.events}`);
  assert.equal(partial.events % BATCH, 0, 'only whole batches are committed');
  assert.equal(partial.refs, partial.events);
  // A fresh store is ingested in bulk mode: the flag tells the next open to build the indexes.
  assert.equal(partial.bulkPending, true);

  const rerun = spawnSync(process.execPath, [child, db, log, String(BATCH)], { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.match(rerun.stdout, new RegExp(`^begin ingest discarded=${partial.events}$`, 'm'));
  const done = inspect(db);
  assert.equal(done.integrity, 'ok');
  assert.deepEqual(
    done.sources.map((s) => s.complete),
    [1],
  );
  assert.equal(done.events, LINES);
  assert.equal(done.distinctLines, LINES);
  assert.equal(done.refs, LINES);
  assert.equal(done.bulkPending, false);
  const reopened = openStore(db);
  assert.equal(new StoreReader(reopened).count(), LINES);
  reopened.close();

  // A third run: same file, complete: nothing is added.
  const third = spawnSync(process.execPath, [child, db, log, String(BATCH)], { encoding: 'utf8' });
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stdout, /^begin skip discarded=0$/m);
  assert.equal(inspect(db).events, LINES);
});
