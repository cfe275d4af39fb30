/**
 * The read command end to end, through the built binary: text, NDJSON in pino's shape and raw
 * output; stdin; filters; NO_COLOR; and log text never reaching the terminal with its escapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();

const SCHEDULER = [
  '2025-03-21T14:51:24.000000001Z stderr F I0321 14:51:24.000000       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-1" node="worker-1" evaluatedNodes=3 feasibleNodes=3',
  '2025-03-21T14:51:26.000000001Z stderr F E0321 14:51:26.000000       1 schedule_one.go:1055] "Error scheduling pod; retrying" err="0/3 nodes are available: 3 Insufficient cpu." pod="default/big-1"',
].join('\n');
const ETCD = [
  '2025-03-21T14:51:25.000000001Z stderr F {"level":"warn","ts":"2025-03-21T14:51:25.000000Z","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"469.7ms","expected-duration":"100ms","request":"key:\\"/registry/pods/default/web-1\\" "}',
  '2025-03-21T14:51:27.000000001Z stderr F {"level":"info","ts":"2025-03-21T14:51:27.000000Z","caller":"etcdserver/server.go:1","msg":"evil \\u001b[31mred\\u001b]0;pwned\\u0007 text"}',
].join('\n');

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('files are merged in time order; -o json is NDJSON in pino shape; -o raw gives the original lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-read-'));
  try {
    writeFileSync(join(dir, 'kube-scheduler.log'), SCHEDULER + '\n');
    writeFileSync(join(dir, 'etcd.log'), ETCD + '\n');
    const json = run(['-o', 'json', dir]);
    assert.equal(json.status, 0, json.stderr);
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      events.map((e) => [e.component, e.level, e.time, e.severity]),
      [
        ['kube-scheduler', 30, Date.UTC(2025, 2, 21, 14, 51, 24), 'info'],
        ['etcd', 40, Date.UTC(2025, 2, 21, 14, 51, 25), 'warn'],
        ['kube-scheduler', 50, Date.UTC(2025, 2, 21, 14, 51, 26), 'error'],
        ['etcd', 30, Date.UTC(2025, 2, 21, 14, 51, 27), 'info'],
      ],
    );
    assert.equal(events[0]!.msg, 'Successfully bound pod to node');
    assert.deepEqual((events[0]!.source as Record<string, unknown>).format, 'cri/klog');
    assert.equal((events[0]!.source as Record<string, unknown>).line, 1);
    assert.ok((events[0]!.objects as { kind: string; name: string }[]).some((o) => o.kind === 'Pod' && o.name === 'web-1'));
    assert.equal((events[1]!.fields as Record<string, unknown>).took, '469.7ms');

    const raw = run(['-o', 'raw', dir]);
    assert.deepEqual(raw.stdout.trim().split('\n'), [
      SCHEDULER.split('\n')[0],
      ETCD.split('\n')[0],
      SCHEDULER.split('\n')[1],
      ETCD.split('\n')[1],
    ]);

    const filtered = run(['-o', 'json', '--component', 'etcd', '--level', 'warn', dir]);
    assert.equal(filtered.stdout.trim().split('\n').length, 1);
    const since = run(['-o', 'json', '--since', '2025-03-21T14:51:26Z', dir]);
    assert.equal(since.stdout.trim().split('\n').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('text output neutralizes escapes and honours NO_COLOR; stdin is read when piped', () => {
  const plain = run([], ETCD + '\n', { NO_COLOR: '1', FORCE_COLOR: '1' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /\x1b/);
  assert.match(plain.stdout, /evil ␛\[31mred␛\]0;pwned␇ text/);
  assert.match(plain.stdout, /^2025-03-21 14:51:25\.000 etcd +- W apply request took too long took=469\.7ms/m);

  const coloured = run([], ETCD + '\n', { FORCE_COLOR: '1', NO_COLOR: '' });
  assert.match(coloured.stdout, /\x1b\[/, 'colour when forced');
  // Only ktrail's own colour codes: the log's ESC is still shown as ␛.
  assert.match(coloured.stdout, /evil ␛\[31mred/);
});

test('bad usage exits 2 with a message', () => {
  const r = run(['--level', 'loud', '/nonexistent']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown level "loud"/);
  const o = run(['-o', 'xml']);
  assert.equal(o.status, 2);
});

test('a reader that goes away (| head) ends ktrail quietly, with no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-epipe-'));
  try {
    const line = SCHEDULER.split('\n')[0]!;
    writeFileSync(join(dir, 'kube-scheduler.log'), (line + '\n').repeat(50_000));
    for (const args of [`-o raw ${dir}`, `-o json ${dir}`, `${dir}`, `demo`]) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" ${args} | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.match(r.stdout, /status=0/, `${args}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /EPIPE|at .*\.js:\d+/, args);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
