/**
 * The store's state as the commands meet it, with real processes: a reader of a store whose
 * ingest was SIGKILLed says so and exits non-zero (it used to answer "no incidents found" with
 * status 0); two ingests into one --db at once: the second stops at once naming the first (pid,
 * command, since), with no FOREIGN KEY stack trace, and the first completes; an ingest killed
 * after storing its events and before it had correlated them is named too (it used to leave a
 * store with no incidents, which the next ingest of the same inputs did not mend).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, cliPath } from '../../helpers/paths.js';
import { writePipeData } from '../../bench/pipe-data.js';

const cli = cliPath();
const ingestChild = join(repoRoot, 'dist', 'test', 'src', 'store', 'ingest-child.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function klogLines(n: number, pod = 'web-1'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = String(i % 60).padStart(2, '0');
    out.push(`E0321 14:${String(10 + Math.floor(i / 60) % 50).padStart(2, '0')}:${s}.${String(i % 1000).padStart(6, '0')}    2689 pod_workers.go:1301] "Error syncing pod, skipping" err="back-off ${i}" pod="default/${pod}"`);
  }
  return out.join('\n') + '\n';
}

/** Starts the crash test's ingest child and SIGKILLs it after two committed batches. */
function ingestAndKill(db: string, log: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [ingestChild, db, log, '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      if ((out.match(/^committed /gm) ?? []).length >= 2 && !proc.killed) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the ingest was not killed:\n${out}`))));
  });
}

test('a store with an interrupted ingest: every reader says so on stderr and exits non-zero; ingest completes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-interrupted-'));
  try {
    const log = join(dir, 'crash.log');
    writeFileSync(log, klogLines(20_000));
    const db = join(dir, 'k.db');
    await ingestAndKill(db, log);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'kubelet.log'), klogLines(3, 'web-2'));

    const readers: [string, string[]][] = [
      ['incidents', ['incidents', '--db', db]],
      ['trace', ['trace', 'pod/default/web-1', '--db', db]],
      ['query', ['query', '{component="kubelet"}', '--db', db]],
      ['export', ['export', 'ndjson', '--db', db]],
    ];
    for (const [name, args] of readers) {
      const r = run(args);
      assert.equal(r.status, 1, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /the store is incomplete: the ingest of crash\.log was interrupted; complete it with: ktrail ingest .*crash\.log --db /, name);
      assert.equal(r.stdout, '', `${name} printed an answer from half a store`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: a stack trace`);
    }
    // ci reads its PATH into the store; the other, interrupted source still makes the answer partial.
    const ci = run(['ci', other, '--db', db]);
    assert.equal(ci.status, 2, ci.stderr);
    assert.match(ci.stderr, /^ktrail ci: .*the store is incomplete/m);

    const ingest = run(['ingest', log, '--db', db, '--json']);
    assert.equal(ingest.status, 0, ingest.stderr);
    assert.ok(JSON.parse(ingest.stdout).discardedEvents >= 1000, 'the partial events were replaced');
    const incidents = run(['incidents', '--db', db, '-o', 'json']);
    assert.equal(incidents.status, 0, incidents.stderr);
    const query = run(['query', '{component="kubelet"}', '--db', db, '--limit', '3']);
    assert.equal(query.status, 0, query.stderr);
    // ci read its PATH in before it refused: two sources, both complete now, every line once.
    const count = run(['sql', 'SELECT count(*) AS n, sum(complete) AS c, (SELECT count(*) FROM events) AS e FROM sources', '--db', db, '-o', 'json']);
    assert.deepEqual(JSON.parse(count.stdout), { n: 2, c: 2, e: 20_003 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two ingests into one --db at once: the second names the holder and stops; the first completes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-two-writers-'));
  try {
    const big = join(dir, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'kubelet.log'), klogLines(80_000));
    const small = join(dir, 'small');
    mkdirSync(small);
    writeFileSync(join(small, 'kubelet.log'), klogLines(10, 'web-2'));
    const db = join(dir, 'k.db');

    const first = spawn(process.execPath, [cli, 'ingest', big, '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOut = '';
    let firstErr = '';
    first.stdout.setEncoding('utf8').on('data', (c: string) => (firstOut += c));
    first.stderr.setEncoding('utf8').on('data', (c: string) => (firstErr += c));
    const firstDone = new Promise<number | null>((resolve) => first.on('close', (code) => resolve(code)));
    // The first holds the lock from opening the store until it has correlated what it read.
    const deadline = Date.now() + 30_000;
    while (!existsSync(`${db}.lock`)) {
      assert.ok(Date.now() < deadline && first.exitCode === null, `the first ingest never took the lock: ${firstErr}`);
      await new Promise((r) => setTimeout(r, 10));
    }

    const second = run(['ingest', small, '--db', db]);
    const stillRunning = first.exitCode === null;
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`another ktrail is writing this store \\(pid ${first.pid}, \`main\\.js ingest .*big --db .*\`, since \\d{4}-\\d\\d-\\d\\dT`));
    assert.doesNotMatch(second.stderr, /FOREIGN KEY|SqliteError|\n\s+at /);
    assert.ok(stillRunning, 'the first ingest ended before the second began: the test raced nothing');

    assert.equal(await firstDone, 0, firstErr);
    assert.equal(JSON.parse(firstOut).events, 80_000);
    assert.ok(!existsSync(`${db}.lock`), 'the lock is gone with its holder');
    const after = run(['ingest', small, '--db', db, '--json']);
    assert.equal(after.status, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).events, 10);
    const count = run(['sql', 'SELECT count(*) AS n, sum(complete) AS c FROM sources', '--db', db, '-o', 'json']);
    assert.deepEqual(JSON.parse(count.stdout), { n: 2, c: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A pipe given as a path has no fingerprint: a cache file keyed by its name would pile up every run's lines. */
const LINE = 'I0321 14:51:23.000001       1 controller.go:42] "Synced"';

test('`-`, /dev/stdin and <(cmd) are read into an in-memory store, never a cache file', (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'ktrail-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  for (const input of ['-', '/dev/stdin', '<(echo "$LINE")', '-']) {
    const r = spawnSync('bash', ['-c', `echo "$LINE" | "$NODE" "$CLI" sql 'SELECT count(*) AS n FROM events' ${input}`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LINE, NODE: process.execPath, CLI: cli, XDG_CACHE_HOME: cache },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['n', '1'], `${input}: ${r.stdout}`);
  }
  assert.equal(existsSync(join(cache, 'ktrail')), false);
});

test('an ingest killed after storing its events, before it had correlated them: readers say so; the next ingest of the same inputs correlates it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-uncorrelated-'));
  try {
    // Crash loops, slow etcd requests and thousands of pods: about a second of indexes and
    // correlation after the events are stored, for the kill to land in.
    const log = join(dir, 'mixed.log');
    await writePipeData(log, 30_000);
    const db = join(dir, 'k.db');
    const child = spawn(process.execPath, [cli, 'ingest', log, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KTRAIL_PHASES: '1' } });
    let err = '';
    const killed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
      // Printed once every source is stored complete (store/ingest.ts), before the indexes and correlation.
      if (err.includes('phase parse+write') && !child.killed) child.kill('SIGKILL');
    });
    assert.equal(await killed, 'SIGKILL', err);
    assert.doesNotMatch(err, /phase incident write/, 'killed before correlation had ended');

    for (const args of [['incidents', '--db', db], ['trace', 'pod/default/web-1', '--db', db]]) {
      const r = run(args);
      assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /the store is incomplete: an ingest stored its events and was interrupted before it had correlated them \(links, incidents\); complete it with: ktrail ingest .*mixed\.log --db /);
      assert.equal(r.stdout, '', `${args[0]} answered from an uncorrelated store`);
    }
    const sql = run(['sql', 'SELECT count(*) AS n FROM events', '--db', db, '-o', 'json']);
    assert.equal(JSON.parse(sql.stdout).n, 30_000, 'sql still looks into it');
    assert.match(sql.stderr, /before it had correlated them/, 'and names its state');

    // The same, unchanged file: nothing to read again, and the correlation is done.
    const again = run(['ingest', log, '--db', db, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as { ingested: number; skipped: number; objects?: number };
    assert.deepEqual([summary.ingested, summary.skipped], [0, 1]);
    assert.ok((summary.objects ?? 0) > 1000, `correlated: ${summary.objects} objects`);
    const mended = run(['incidents', '--db', db, '-o', 'json']);
    assert.equal(mended.status, 0, mended.stderr);

    // What an ingest that was never interrupted finds.
    const whole = join(dir, 'whole.db');
    assert.equal(run(['ingest', log, '--db', whole]).status, 0);
    const expected = run(['incidents', '--db', whole, '-o', 'json']);
    assert.ok(expected.stdout.split('\n').length > 100, 'incidents to compare');
    assert.equal(mended.stdout.replaceAll(db, 'DB'), expected.stdout.replaceAll(whole, 'DB'));
    assert.equal(run(['ingest', log, '--db', db, '--json']).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
