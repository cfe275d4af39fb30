/**
 * Inputs that are not regular files, through the real CLI (they depend on how the process was
 * started): a named FIFO, `-`, /dev/stdin and /dev/fd/N (bash's <(cmd)) are read once as
 * streams; a device is refused instead of read forever. Every run has a time limit.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../../helpers/paths.js';

const cli = cliPath();
const LINE = 'I0321 14:51:23.000001       1 controller.go:42] "Synced" pod="default/web-1"';
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ktrail ARGS` in bash (real pipes, as a user's shell makes them), with a time limit. */
function ktrail(args: string, stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} ${args}`], {
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LINE },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ktrail ${args} did not end within 20 s (stderr: ${stderr})`));
    }, 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

function jsonEvents(out: string): { msg: string; source: { file: string } }[] {
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; source: { file: string } });
}

test('`-` and /dev/stdin read stdin, also next to files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'kube-scheduler.log');
  writeFileSync(file, `${LINE.replace('23.000001', '24.000001')}\n`);
  for (const name of ['-', '/dev/stdin']) {
    // From a pipe (bash), and from a socket (node's own pipes to a child).
    const r = await ktrail(`${name} ${file} -o json`, `${LINE}\n`);
    const piped = await ktrail(`${name} ${file} -o json < <(echo "$LINE")`);
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(jsonEvents(piped.stdout).length, 2, piped.stdout);
    assert.equal(r.status, 0, r.stderr);
    const events = jsonEvents(r.stdout);
    assert.equal(events.length, 2, r.stdout);
    assert.equal(events[0]!.source.file, name);
    assert.equal(events[0]!.msg, 'Synced');
  }
});

test('/dev/fd/N (what bash passes for <(cmd)) is read as a pipe', async () => {
  const r = await ktrail('<(echo "$LINE") -o json');
  assert.equal(r.status, 0, r.stderr);
  const events = jsonEvents(r.stdout);
  assert.equal(events.length, 1, r.stdout);
  assert.match(events[0]!.source.file, /^\/dev\/fd\/\d+$/);
  assert.equal(events[0]!.msg, 'Synced');
});

test('a named FIFO is opened once and read to its end', { skip: hasMkfifo ? false : 'no mkfifo' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'kube-scheduler.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const run = ktrail(`${fifo} -o json`);
  // The writer's open waits for ktrail's; a second open by ktrail would wait for a writer forever.
  const writer = await open(fifo, 'w');
  await writer.write(`${LINE}\n${LINE.replace('23.000001', '25.000001')}\n`);
  await writer.close();
  const r = await run;
  assert.equal(r.status, 0, r.stderr);
  assert.equal(jsonEvents(r.stdout).length, 2);
});

test('devices are refused, not read forever', async () => {
  const r = await ktrail('/dev/zero /dev/urandom -o json');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /ktrail: \/dev\/zero: is a device, not a log: not read/);
  assert.match(r.stderr, /ktrail: \/dev\/urandom: is a device/);
});
