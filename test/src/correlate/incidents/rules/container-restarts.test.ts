/**
 * The restart signals crashloop and oom-kill share (src/correlate/incidents/rules/container-restarts.ts):
 * read once for both, then out of the cache, so detection does not hold them to its end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGNAL_REGISTRY } from '../../../../../src/signals/index.js';
import { restartSignals } from '../../../../../src/correlate/incidents/rules/container-restarts.js';
import { crashing, crashLoopErr, Fixture, kubeletErrorSyncing } from '../fixture.js';

test('restartSignals: the two rules that read them share one read; a third read is a new one, with the same signals', () => {
  const { f, ids } = crashing();
  f.store.detection.computeSignals(SIGNAL_REGISTRY);
  const view = f.store.detection.view(0.5);
  const first = restartSignals(view);
  assert.deepEqual(first.map((s) => s.event.id), ids, 'the back-offs, each about its pod');
  assert.ok(first.every((s) => s.tag === 'backoff' && s.object?.name === 'checkout-1'));
  assert.equal(restartSignals(view), first, 'the second reader gets the same array');
  const third = restartSignals(view);
  assert.notEqual(third, first, 'the cache let go of it after its two readers');
  assert.deepEqual(third, first);
  assert.equal(restartSignals(f.store.detection.view(0.5)) === third, false, 'another view reads its own');
});

test("restartSignals: one pod's signals share its row, another pod's have their own, and each read makes its own rows", () => {
  const f = new Fixture();
  const one = f.pod('shop', 'checkout-1');
  const two = f.pod('shop', 'checkout-2');
  for (const t of [0, 15, 30]) {
    kubeletErrorSyncing(f, t, one, crashLoopErr('checkout', one, '20s'));
    kubeletErrorSyncing(f, t + 1, two, crashLoopErr('checkout', two, '20s'));
  }
  f.done();
  f.store.detection.computeSignals(SIGNAL_REGISTRY);
  const view = f.store.detection.view(0.5);
  const signals = restartSignals(view);
  restartSignals(view); // the second reader: the cache lets go
  const rowsOf = (name: string) => signals.filter((s) => s.object?.name === name).map((s) => s.object);
  assert.equal(rowsOf('checkout-1').length, 3);
  assert.equal(new Set(rowsOf('checkout-1')).size, 1, "checkout-1's three signals hold one row");
  assert.equal(new Set(rowsOf('checkout-2')).size, 1);
  assert.notEqual(rowsOf('checkout-1')[0], rowsOf('checkout-2')[0]);
  const again = restartSignals(view);
  assert.notEqual(again[0]!.object, signals[0]!.object, 'a new read, new rows: they die with its signals');
  assert.deepEqual(again[0]!.object, signals[0]!.object);
});
