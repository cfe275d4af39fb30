/**
 * The restart signals crashloop and oom-kill share (src/correlate/incidents/rules/container-restarts.ts):
 * read once for both, then out of the cache, so detection does not hold them to its end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGNAL_REGISTRY } from '../../../../../src/signals/index.js';
import { restartSignals } from '../../../../../src/correlate/incidents/rules/container-restarts.js';
import { crashing } from '../fixture.js';

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
