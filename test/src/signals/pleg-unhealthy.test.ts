/**
 * pleg-unhealthy: the corpus has only the start-up form (`PLEG is not healthy: pleg has yet to be
 * successful`, kind 1.32, kubelet 1.19, the must-gather's masters), which is not this signal; the
 * fault form is written to pkg/kubelet/pleg/generic.go Healthy()'s format ("pleg was last seen
 * active %v ago; threshold is %v") inside the corpus's "Skipping pod synchronization" line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('start-up "pleg has yet to be successful" on real kubelets is no signal', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('kind-1.32-bundle'), corpus('raw-klog-1.19')]);
  assert.ok(events.filter((e) => e.message.includes('PLEG is not healthy') || String(e.fields['err'] ?? '').includes('PLEG is not healthy')).length >= 2);
  assert.deepEqual(stating(events, 'pleg-unhealthy'), []);
});

test('a PLEG past its threshold: how long ago, and the threshold', async () => {
  assert.deepEqual(await factsOfLines([
      'E0803 09:30:00.339611    1354 kubelet.go:1882] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m5.339582491s ago; threshold is 3m0s"',
      'E1119 11:58:39.929006    4390 kubelet.go:1765] skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 4m0.1s ago; threshold is 3m0s]',
    ], 'pleg-unhealthy'), [
    { ago: '3m5.339582491s', threshold: '3m0s' },
    { ago: '4m0.1s', threshold: '3m0s' },
  ]);
});
