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
import { fixedFingerprint, offsetsToFix, shiftedBatches, shiftedStream, storedShifts } from '../../../src/correlate/skew-fix.js';
import { linkObjects } from '../../../src/correlate/link.js';
import { newSourceStats } from '../../../src/ingest/stats.js';
import { ingestEventStream } from '../../../src/store/ingest.js';
import { openStore, type Store } from '../../../src/store/writer.js';
import { runSimulation } from '../../../src/sim/index.js';
import { cliPath } from '../../helpers/paths.js';
import { eventsOf } from '../../helpers/signal-lines.js';

const cli = cliPath();

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

/** A simulated cluster whose clocks agree, read through the real pipeline. */
async function simulatedEvents(seed: number): Promise<KEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-fix-skew-store-'));
  try {
    await runSimulation({ scenario: 'healthy-rollout', seed, out: dir, durationSec: 180, scale: 0.2 });
    return await eventsOf([join(dir, 'bundle')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The events into a new in-memory store as `ingest` stores them (moved by `offsets` when given), then linked. */
async function stored(events: KEvent[], offsets?: Map<string, number>): Promise<Store> {
  const store = openStore(':memory:');
  const files = [...new Set(events.map((e) => e.source.file))];
  const metas = files.map((f) => ({ path: `/sim/${f}`, display: f, cluster: '', fingerprint: offsets ? fixedFingerprint(f, offsets) : f }));
  await ingestEventStream(store.writer(), metas, () => {
    const read = { stats: files.map((f) => newSourceStats(f)), events: batchesOf(events, 500) };
    return offsets ? shiftedStream(read, offsets) : read;
  });
  linkObjects(store.correlation);
  return store;
}

/** Per pod the scheduler bound to `node`: µs from its bind to its kubelet's SyncLoop ADD, in the pod's trace. */
function bindToAdd(store: Store, pods: string[]): number[] {
  return pods.map((p) => {
    const [ns, name] = p.split('/');
    const pod = store.objects.byName('Pod', ns!, name!)[0];
    assert.ok(pod, `pod ${p} in the store`);
    const steps = store.objects.timeline(pod).steps;
    const events = store.events.byIds(steps.map((s) => s.eventId));
    const bind = events.find((e) => e.component === 'kube-scheduler' && e.message === 'Successfully bound pod to node');
    const add = events.find((e) => e.component === 'kubelet' && e.message === 'SyncLoop ADD');
    assert.ok(bind && add, `${p}: bind and ADD in its trace`);
    // The trace lists steps in time order: the index says what a reader of the trace sees first.
    // (The estimate is the pairs' median, so one pod's ADD can land on its bind's very microsecond.)
    const [bi, ai] = [steps.findIndex((s) => s.eventId === bind.id), steps.findIndex((s) => s.eventId === add.id)];
    if (bind.time !== add.time) assert.equal(bi < ai, bind.time < add.time, `${p}: trace order`);
    return add.time - bind.time;
  });
}

test('ingest --fix-skew: one node 1.5 s ahead and one 700 ms behind are stored moved back; every trace has the kubelet ADD back beside its bind', async () => {
  const MS = 1000;
  const shift: Record<string, number> = { 'kind-worker': 1_500 * MS, 'kind-worker2': -700 * MS };
  // As the skewed clocks would have written them, merged by those clocks.
  const skewed = (await simulatedEvents(3))
    .map((e) => (e.host && shift[e.host] ? { ...e, time: e.time + shift[e.host]! } : e))
    .sort((a, b) => a.time - b.time || a.seq - b.seq);
  const offsets = offsetsToFix(estimateSkew(skewed));
  assert.deepEqual([...offsets.keys()].sort(), ['kind-worker', 'kind-worker2']);
  const podsOn = (node: string): string[] =>
    [...new Set(skewed.filter((e) => e.component === 'kube-scheduler' && e.message === 'Successfully bound pod to node' && e.fields['node'] === node).map((e) => String(e.fields['pod'])))];
  const behind = podsOn('kind-worker2');
  const ahead = podsOn('kind-worker');
  assert.ok(behind.length >= 2 && ahead.length >= 2, `pods: ${behind.length} behind, ${ahead.length} ahead`);

  const plain = await stored(skewed);
  const fixed = await stored(skewed, offsets);
  try {
    // As read: the late node's kubelet "gets" its pods 0.7 s before they are bound, the early one's 1.5 s after.
    assert.ok(bindToAdd(plain, behind).every((d) => d < -600 * MS), 'the skew shows as read');
    assert.ok(bindToAdd(plain, ahead).every((d) => d > 1_400 * MS));
    // Stored with --fix-skew: each ADD within tens of ms of its bind (the estimate is the median
    // of the pairs, so the watch delays' spread around it remains, not the skew).
    for (const d of [...bindToAdd(fixed, behind), ...bindToAdd(fixed, ahead)]) assert.ok(Math.abs(d) < 50 * MS, `bind to ADD ${d} µs`);
    assert.equal(fixed.events.count(), plain.events.count());
    // The store says what it moved, per source, and nothing else.
    const shifts = storedShifts(fixed.sources.list())!;
    assert.deepEqual(Object.keys(shifts).sort(), ['kind-worker', 'kind-worker2']);
    assert.ok(Math.abs(shifts['kind-worker']! + 1_500 * MS) < 50 * MS && Math.abs(shifts['kind-worker2']! - 700 * MS) < 50 * MS, JSON.stringify(shifts));
    assert.equal(storedShifts(plain.sources.list()), undefined);
  } finally {
    plain.close();
    fixed.close();
  }
});

test('a source stored moved has another fingerprint than the same file as read, and than with other offsets', () => {
  const a = fixedFingerprint('abc', new Map([['n1', 5], ['n2', -3]]));
  assert.notEqual(a, 'abc');
  assert.equal(a, fixedFingerprint('abc', new Map([['n2', -3], ['n1', 5]])));
  assert.notEqual(a, fixedFingerprint('abc', new Map([['n1', 6], ['n2', -3]])));
  assert.equal(fixedFingerprint(undefined, new Map([['n1', 5]])), undefined);
});
