/**
 * Clock skew from causal pairs: a simulated cluster whose clocks agree, read through the real
 * pipeline, then one node's events shifted as a skewed clock would write them; and the real
 * captures (failure-cases: four kind nodes on one machine, so near zero is the right answer).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KEvent } from '../../../src/model/event.js';
import { estimateSkew, formatSkewLines, type SkewReport } from '../../../src/correlate/skew.js';
import { runSimulation } from '../../../src/sim/index.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf } from '../../helpers/signal-lines.js';

const MS = 1000;
const host = (r: SkewReport, name: string) => r.hosts.find((h) => h.host === name);

let simEvents: KEvent[] | undefined;
async function simulated(): Promise<KEvent[]> {
  if (simEvents) return simEvents;
  const dir = mkdtempSync(join(tmpdir(), 'ktrail-skew-'));
  try {
    await runSimulation({ scenario: 'healthy-rollout', seed: 3, out: dir, durationSec: 180, scale: 0.2 });
    simEvents = await eventsOf([join(dir, 'bundle')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return simEvents;
}

test('clocks that agree: every node within a few ms of the control plane, bounds around zero', async () => {
  const r = estimateSkew(await simulated());
  assert.equal(r.reference, 'kind-control-plane');
  assert.ok(r.pairs >= 10, `pairs: ${r.pairs}`);
  for (const name of ['kind-worker', 'kind-worker2']) {
    const h = host(r, name)!;
    assert.ok(h.upperPairs >= 2 && h.lowerPairs >= 2, JSON.stringify(h));
    assert.ok(Math.abs(h.offsetUs!) < 50 * MS, `${name}: ${h.offsetUs}`);
    assert.ok(h.lowerUs! <= 0 && h.upperUs! >= 0, `bounds bracket zero: ${JSON.stringify(h)}`);
    assert.ok(h.consistent);
  }
});

test('one node 1.5 s ahead and one 700 ms behind: estimated within the watch delay', async () => {
  const shift: Record<string, number> = { 'kind-worker': 1_500 * MS, 'kind-worker2': -700 * MS };
  const skewed = (await simulated()).map((e) => (e.host && shift[e.host] ? { ...e, time: e.time + shift[e.host]! } : e));
  const r = estimateSkew(skewed);
  for (const [name, by] of Object.entries(shift)) {
    const h = host(r, name)!;
    // The upper bounds are the skew plus a watch event's delay: never below it, a few ms above.
    assert.ok(h.offsetUs! >= by && h.offsetUs! - by < 50 * MS, `${name}: ${h.offsetUs} for ${by}`);
    assert.ok(h.lowerUs! <= by, `${name}: lower bound ${h.lowerUs} for ${by}`);
  }
  assert.equal(host(r, 'kind-control-plane')!.offsetUs, 0);
  assert.match(formatSkewLines(r).join('\n'), /kind-worker: \+1\.5\d\d s; bounds/);
});

test('failure-cases (4 kind nodes, one machine): every node within 20 ms of the scheduler', { skip: corpusSkip() }, async () => {
  const r = estimateSkew(await eventsOf([corpus('failure-cases')]));
  // The scheduler's log has no host: its own clock is the reference.
  assert.equal(r.reference, 'kube-scheduler (no host)');
  const nodes = r.hosts.filter((h) => !h.reference);
  assert.deepEqual(nodes.map((h) => h.host), ['kind-worker', 'kind-worker2', 'kind-worker3']);
  for (const h of nodes) assert.ok(Math.abs(h.offsetUs!) < 20 * MS, `${h.host}: ${h.offsetUs}`);
  assert.equal(host(r, 'kind-worker')!.upperPairs, 11);
});

test('a one-node capture has no pairs between hosts and says so', { skip: corpusSkip() }, async () => {
  const r = estimateSkew(await eventsOf([corpus('kind-1.32-bundle')]));
  assert.deepEqual(r, { reference: null, hosts: [], pairs: 0 });
  assert.match(formatSkewLines(r)[0]!, /no causal pairs/);
});
