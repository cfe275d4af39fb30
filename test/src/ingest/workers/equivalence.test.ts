/**
 * Parse workers change nothing a user sees: the same inputs read on the main thread alone
 * (KTRAIL_WORKERS=0) and on worker threads (KTRAIL_WORKERS=2) give the same stdout bytes, the
 * same stderr and the same exit status, through the built binary: a simulated bundle and real
 * captures, in every output (-o json, text, raw) and in `stats --json` (the whole-event path
 * that ingest, ci and the TUI take), and bad input of every kind; and `ingest` stores the same
 * rows, its events formed for the store on the workers (src/store/stored-form.ts) or by the writer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { runSimulation } from '../../../../src/sim/index.js';
import { corpus, corpusSkip, cliPath } from '../../../helpers/paths.js';

const cli = cliPath();
let work = '';
let bundle = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'ktrail-workers-'));
  await runSimulation({ scenario: 'mixed', seed: 1, out: join(work, 'sim') });
  bundle = join(work, 'sim', 'bundle');
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(workers: number, args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, KTRAIL_WORKERS: String(workers), NO_COLOR: '1' },
    maxBuffer: 1 << 30,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** One thread and two give the same bytes, stderr and status; returns the one-thread run. */
function sameBothWays(args: string[]): Run {
  const one = run(0, args);
  const two = run(2, args);
  assert.equal(two.status, one.status, `exit status of ktrail ${args.join(' ')}`);
  assert.equal(two.stderr, one.stderr, `stderr of ktrail ${args.join(' ')}`);
  assert.ok(two.stdout.equals(one.stdout), `stdout of ktrail ${args.join(' ')} differs (${one.stdout.length} vs ${two.stdout.length} bytes)`);
  return one;
}

test('a simulated bundle reads the same on worker threads: -o json, text, raw and stats', () => {
  const json = sameBothWays(['-o', 'json', bundle]);
  const lines = json.stdout.toString('utf8').trim().split('\n');
  assert.ok(lines.length > 10_000, `the simulated bundle gave ${lines.length} events`);
  // Renumbered in output order: 1, 2, 3...
  assert.deepEqual(
    lines.slice(0, 3).map((l) => (JSON.parse(l) as { seq: number }).seq),
    [1, 2, 3],
  );
  sameBothWays([bundle]);
  sameBothWays(['-o', 'raw', bundle]);
  sameBothWays(['-o', 'json', '--component', 'etcd,kubelet', '--level', 'warn', bundle]);
  sameBothWays(['--last', '2m', bundle]);
  const stats = sameBothWays(['stats', '--json', bundle]);
  assert.ok((JSON.parse(stats.stdout.toString('utf8')) as { totals: { balanced: boolean } }).totals.balanced);
});

test('real captures read the same on worker threads (several clusters together)', { skip: corpusSkip() }, () => {
  const folders = [
    'kind-1.32-bundle',
    'failure-cases',
    'microk8s-kubelite-journal',
    'openshift-kubelet-journal',
    'audit-events',
    'coredns-querylog',
    'docker-json-kube-proxy',
    'minikube-logs',
    'aks-diagnostics-audit',
    'must-gather-etcd-events',
    'raw-klog-1.19',
    'compose-logs',
  ].map((f) => corpus(f));
  const json = sameBothWays(['-o', 'json', ...folders]);
  assert.ok(json.stdout.length > 1_000_000);
  sameBothWays(folders);
  sameBothWays(['stats', '--json', ...folders]);
});

test('bad input says the same on worker threads: garbage, truncated gzip, long line, invalid UTF-8, missing file, device', async () => {
  const dir = join(work, 'bad');
  await rm(dir, { recursive: true, force: true });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir);
  const klog = (i: number): string => `I0321 14:51:${String(i % 60).padStart(2, '0')}.000000       1 x.go:1] "line ${i}" pod="default/p-${i}"\n`;
  const text = Array.from({ length: 3000 }, (_, i) => klog(i)).join('');
  await writeFile(join(dir, 'garbage.log'), Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)));
  await writeFile(join(dir, 'cut.log.gz'), gzipSync(text).subarray(0, 2000));
  await writeFile(join(dir, 'long.log'), klog(1) + 'I0321 14:51:02.000000       1 x.go:1] "' + 'x'.repeat(10 * 1024 * 1024) + '"\n' + klog(3));
  await writeFile(join(dir, 'invalid-utf8.log'), Buffer.concat([Buffer.from(klog(4)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x0a]), Buffer.from(klog(5))]));
  await writeFile(join(dir, 'kube-apiserver.log'), text);
  const args = [dir, join(dir, 'missing.log'), '/dev/zero'];
  const json = sameBothWays(['-o', 'json', ...args]);
  assert.equal(json.status, 1);
  assert.match(json.stderr, /cut\.log\.gz/);
  assert.match(json.stderr, /missing\.log/);
  assert.ok(json.stdout.toString('utf8').includes('"truncated":true'), 'the 10 MB line is cut and flagged');
  sameBothWays(args);
  sameBothWays(['stats', '--json', ...args]);
});

test('a reader that goes away (| head) ends a worker-thread read promptly, with no thread left', async () => {
  const child = spawn(process.execPath, [cli, bundle], { env: { ...process.env, KTRAIL_WORKERS: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const started = Date.now();
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms to stop`);
});

/** Every table an ingest fills (sources without its time of ingest). */
const STORED_TABLES: Record<string, string> = {
  events: '*',
  event_refs: '*',
  event_objects: '*',
  event_signals: '*',
  objects: '*',
  incidents: '*',
  incident_evidence: '*',
  sources: 'id, path, display, cluster, size, mtime, fingerprint, envelope, complete, stats',
};

/** `ktrail ingest` on one thread and on two stores the same rows in every table. */
function sameStoreBothWays(name: string, inputs: string[]): void {
  const dbs = [0, 2].map((workers) => {
    const db = join(work, `${name}-w${workers}.db`);
    const r = run(workers, ['ingest', ...inputs, '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    return db;
  });
  const db = new Database(dbs[0]!, { readonly: true });
  try {
    db.prepare('ATTACH ? AS b').run(dbs[1]!);
    for (const [table, cols] of Object.entries(STORED_TABLES)) {
      const n = db.prepare(`SELECT count(*) FROM main.${table}`).pluck().get() as number;
      assert.equal(db.prepare(`SELECT count(*) FROM b.${table}`).pluck().get(), n, `${name}: rows of ${table}`);
      const differ = db.prepare(`SELECT count(*) FROM (SELECT ${cols} FROM main.${table} EXCEPT SELECT ${cols} FROM b.${table})`).pluck().get();
      assert.equal(differ, 0, `${name}: ${table} rows differ between one thread and two`);
    }
    const count = (t: string): number => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    assert.ok(count('events') > 1000 && count('event_signals') > 0 && count('event_refs') > 0, `${name}: a store worth comparing`);
  } finally {
    db.close();
  }
}

test('ingest stores the same rows on worker threads: a simulated bundle', () => {
  sameStoreBothWays('sim', [bundle]);
});

test('ingest stores the same rows on worker threads: real journald, audit and kind captures', { skip: corpusSkip() }, () => {
  sameStoreBothWays(
    'corpus',
    ['openshift-kubelet-journal', 'kind-1.32-bundle', 'audit-events', 'microk8s-kubelite-journal'].map((f) => corpus(f)),
  );
});
