/**
 * report/timelines.ts: roots read a chunk at a time through the batched timelines() give, root by
 * root and in order, the timelines timeline() gives one at a time, whatever the chunk size
 * (chunks of 1, of 3 cutting through the roots, and one chunk of all of them).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStoreFor } from '../../../src/cli/open-store.js';
import { createDiagnostics } from '../../../src/cli/diagnostics.js';
import { WORKLOAD_KINDS } from '../../../src/report/otlp/traces.js';
import { timelineChunks } from '../../../src/report/timelines.js';
import { runSimulation } from '../../../src/sim/index.js';
import type { KtrailStore, Timeline } from '../../../src/store/store.js';

let work = '';
let store: KtrailStore;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'ktrail-timelines-test-'));
  await runSimulation({ scenario: 'node-not-ready', seed: 1, out: join(work, 'sim'), durationSec: 150, scale: 0.2 });
  ({ store } = await openStoreFor([join(work, 'sim', 'bundle')], { db: join(work, 'k.db') }, createDiagnostics({})));
});
after(async () => {
  store?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A step's links to two objects of one timeline come in no set order: compare them sorted. */
const canonical = (t: Timeline): Timeline => ({ ...t, steps: t.steps.map((s) => ({ ...s, links: [...s.links].sort((a, b) => a.objectId - b.objectId) })) });

test('chunked batched timelines equal one-by-one timelines, at every chunk size and with a limit', () => {
  const roots = [...store.objects.roots(WORKLOAD_KINDS), ...store.objects.roots(['Node'])];
  assert.ok(roots.length >= 7, `only ${roots.length} roots`);
  for (const limit of [undefined, 5]) {
    const opts = limit === undefined ? {} : { limit };
    const one = roots.map((r) => canonical(store.objects.timeline(r, opts)));
    assert.ok(one.some((t) => t.objects.length > 2 && t.steps.length > 0), 'some root owns objects with events');
    for (const size of [1, 3, roots.length]) {
      const chunks = [...timelineChunks(store, roots, opts, size)];
      assert.equal(chunks.length, Math.ceil(roots.length / size));
      assert.ok(chunks.every((c) => c.length <= size));
      assert.deepEqual(chunks.flat().map(canonical), one, `chunks of ${size}, limit ${limit}`);
    }
  }
  assert.deepEqual([...timelineChunks(store, [])], []);
});
