/**
 * --fix-skew: a simulated cluster whose nodes' clocks are off by up to 2 s, read by the CLI as a
 * user does: the hosts moved are named on stderr, the output stays in time order, and the fixed
 * stream shows no skew any more (every node within the watch delay of the control plane).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { estimateSkew, type SkewInput } from '../../../src/correlate/skew.js';
import { shiftedBatches } from '../../../src/correlate/skew-fix.js';
import { runSimulation } from '../../../src/sim/index.js';
import { repoRoot } from '../../helpers/paths.js';

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

function ev(seq: number, time: number, host: string): KEvent {
  return { seq, time, host, component: 'kubelet', severity: 'info', message: `m${seq}`, fields: {}, objects: [], source: { file: 'f', line: seq, endLine: seq, format: 'none/klog' }, raw: '', format: 'klog' };
}

async function* batchesOf(events: KEvent[], size: number): AsyncGenerator<KEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

test('shifted events come out in time order, each host moved by minus its offset', async () => {
  // Host b's clock is 5 units ahead, c's 3 behind: merged by their own clocks, then fixed.
  const truth = Array.from({ length: 60 }, (_, i) => ({ t: 100 + i * 2, host: ['a', 'b', 'c'][i % 3]! }));
  const skew: Record<string, number> = { a: 0, b: 5, c: -3 };
  const merged = truth.map((x, i) => ev(i + 1, x.t + skew[x.host]!, x.host)).sort((x, y) => x.time - y.time || x.seq - y.seq);
  const out: KEvent[] = [];
  for await (const b of shiftedBatches(batchesOf(merged, 7), new Map([['b', 5], ['c', -3]]))) out.push(...b);
  assert.equal(out.length, truth.length);
  assert.deepEqual(out.map((e) => e.time), truth.map((x) => x.t));
  assert.deepEqual(out.map((e) => e.host), truth.map((x) => x.host));
});

test('ktrail --fix-skew on a cluster with skewed clocks: the fixed output has no skew left', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-fix-skew-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await runSimulation({ scenario: 'healthy-rollout', seed: 1, out: dir, durationSec: 180, scale: 0.2, skewMs: 2000 });
  const bundle = join(dir, 'bundle');
  const read = (...args: string[]) => spawnSync(process.execPath, [cli, bundle, '-o', 'json', ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const toInput = (line: string): SkewInput => {
    const j = JSON.parse(line) as { timeUs: number; component: string; host?: string; msg: string; fields: Record<string, unknown> };
    return { time: j.timeUs, component: j.component, host: j.host, message: j.msg, fields: j.fields };
  };
  const before = estimateSkew(read().stdout.split('\n').filter(Boolean).map(toInput));
  const skewed = before.hosts.filter((h) => !h.reference && Math.abs(h.offsetUs!) > 100_000);
  assert.ok(skewed.length >= 1, `the simulation skews a node: ${JSON.stringify(before.hosts)}`);

  const fixed = read('--fix-skew');
  assert.equal(fixed.status, 0, fixed.stderr);
  for (const h of skewed) assert.match(fixed.stderr, new RegExp(`--fix-skew: ${h.host} moved by `));
  const events = fixed.stdout.split('\n').filter(Boolean).map(toInput);
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.time >= events[i - 1]!.time, `out of order at ${i}`);
  const after = estimateSkew(events);
  for (const h of after.hosts) assert.ok(Math.abs(h.offsetUs ?? 0) < 50_000, `${h.host} still ${h.offsetUs} µs off`);
});

test('--fix-skew refuses a pipe (it reads the inputs twice)', () => {
  const r = spawnSync(process.execPath, [cli, '--fix-skew'], { input: 'I0321 14:51:23.000001       1 x.go:1] "a"\n', encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--fix-skew reads the inputs twice/);
});
