/**
 * ingest, trace, query and sql through the built binary: a second ingest parses nothing, trace
 * joins what several components said about one pod, sql is read-only, query errors point at
 * their column, and the commands that read a store run beside one another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, corpusSkip, repoRoot, cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const UID = '3f9c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';

function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function bundle(dir: string): string {
  const root = join(dir, 'logs');
  mkdirSync(root);
  writeFileSync(
    join(root, 'kube-scheduler.log'),
    '2025-03-21T14:51:24.000000001Z stderr F I0321 14:51:24.000000       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-1" node="worker-1" evaluatedNodes=3 feasibleNodes=3\n',
  );
  writeFileSync(
    join(root, 'kubelet.log'),
    [
      `I0321 14:51:25.000000    2689 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["default/web-1"]`,
      `E0321 14:51:30.000000    2689 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=web pod=web-1_default(${UID})\\"" pod="default/web-1" podUID="${UID}"`,
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(root, 'etcd.log'),
    '{"level":"warn","ts":"2025-03-21T14:51:26.000000Z","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"469.7ms","expected-duration":"100ms","request":"key:\\"/registry/pods/default/web-1\\" "}\n',
  );
  return root;
}

test('ingest once, then trace, query and sql read the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-store-'));
  try {
    const logs = bundle(dir);
    const db = join(dir, 'k.db');
    const first = run(['ingest', logs, '--db', db, '--json']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).events, 4);
    const second = run(['ingest', logs, '--db', db, '--json']);
    assert.deepEqual([JSON.parse(second.stdout).events, JSON.parse(second.stdout).skipped], [0, 3]);

    const trace = run(['trace', 'pod/default/web-1', '--db', db]);
    assert.equal(trace.status, 0, trace.stderr);
    assert.match(trace.stdout, new RegExp(`pod/default/web-1 +uid ${UID}`));
    for (const c of ['kube-scheduler', 'etcd', 'kubelet']) assert.match(trace.stdout, new RegExp(` ${c} `));
    assert.match(trace.stdout, /\+1\.00s .* etcd /, 'time between steps');

    const json = JSON.parse(run(['trace', UID, '--db', db, '-o', 'json']).stdout) as { events: { component: string; objects: { uid: string }[] }[] };
    assert.deepEqual(
      json.events.map((e) => e.component),
      ['kube-scheduler', 'kubelet', 'etcd', 'kubelet'],
    );
    assert.ok(json.events.every((e) => e.objects.some((o) => o.uid === UID)), 'every event names the resolved pod with its uid');

    const q = run(['query', '{component="kubelet"} | level >= error', '--db', db, '-o', 'json']);
    assert.equal(q.status, 0, q.stderr);
    assert.equal(q.stdout.trim().split('\n').length, 1);

    const sql = run(['sql', 'SELECT component, count(*) AS n FROM events GROUP BY component ORDER BY component', '--db', db]);
    assert.equal(sql.stdout, 'component\tn\netcd\t1\nkube-scheduler\t1\nkubelet\t2\n');
    const write = run(['sql', 'DELETE FROM events', '--db', db]);
    assert.equal(write.status, 2);
    assert.match(write.stderr, /only statements that return rows|readonly|read-only/i);

    const bad = run(['query', '{component="kubelet"} | level >=', '--db', db]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /column \d+/);

    const missing = run(['trace', 'pod/default/nope', '--db', db]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no object matches/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kind-1.32-bundle: the trace of a CoreDNS pod joins three components through its pods/ UID', { skip: corpusSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-kind-'));
  try {
    const r = run(['trace', 'kube-system/coredns-668d6bf9bc-79t94', corpus('kind-1.32-bundle'), '-o', 'json'], { XDG_CACHE_HOME: dir });
    assert.equal(r.status, 0, r.stderr);
    const t = JSON.parse(r.stdout) as { root: { uid: string }; events: { component: string }[] };
    assert.equal(t.root.uid, 'c1ebac98-f89d-4559-9478-2025627dbb6e', 'the UID of its pods/ folder');
    const components = new Set(t.events.map((e) => e.component));
    assert.ok(components.size >= 3, `components: ${[...components].join(', ')}`);
    assert.ok(components.has('kubelet') && components.has('coredns'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readers of one store run side by side: trace, incidents, query and export beside an export holding it open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-readers-'));
  try {
    const db = join(dir, 'k.db');
    const ingest = run(['ingest', join(repoRoot, 'fixtures', 'sim', 'mixed', 'bundle'), '--db', db]);
    assert.equal(ingest.status, 0, ingest.stderr);
    // 1.9 MB of NDJSON to a pipe nobody reads: after its first page the exporter waits on the pipe
    // with the store open, as a long reader does (incidents of a 5M-event store: a minute). It
    // used to hold the store's write lock all that time, and every other command was refused.
    const exporter = spawn(process.execPath, [cli, 'export', 'ndjson', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await once(exporter.stdout, 'data');
      exporter.stdout.pause();
      const readers = [
        ['trace', 'node/kind-worker', '--db', db],
        ['incidents', '--db', db],
        ['query', '{component="kubelet"}', '--limit', '1', '--db', db],
        ['export', 'ndjson', '--out', join(dir, 'out.ndjson'), '--db', db],
      ];
      for (const args of readers) {
        const r = run(args);
        assert.equal(r.status, 0, `${args[0]}: ${r.stderr}`);
        if (args[0] !== 'export') assert.notEqual(r.stdout, '', `${args[0]} printed nothing`);
      }
      const events = Number(/([\d,]+) events/.exec(ingest.stdout)![1]!.replace(/,/g, ''));
      assert.equal(readFileSync(join(dir, 'out.ndjson'), 'utf8').split('\n').length - 1, events, 'the second export wrote every event');
      assert.equal(exporter.exitCode, null, 'the first export is still waiting, its store open');
    } finally {
      exporter.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
