/**
 * node-pressure: the corpus's kubelets only ever report the healthy conditions (NodeHasNoDiskPressure,
 * NodeHasSufficientMemory at start), which must not count; the pressure forms are the same
 * real lines with the other condition, and the eviction manager's line and Event written to
 * pkg/kubelet/eviction/eviction_manager.go's format.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, factsOfLines, stating } from '../../helpers/signal-lines.js';

test('the healthy node conditions every kubelet records at start are no pressure', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('openshift-kubelet-journal'), corpus('raw-klog-1.19'), corpus('minikube-logs')]);
  assert.ok(events.some((e) => e.fields['event'] === 'NodeHasNoDiskPressure' || e.fields['reason'] === 'NodeHasNoDiskPressure'));
  assert.deepEqual(stating(events, 'node-pressure'), []);
});

test('pressure conditions, the eviction threshold and the resource reclaimed', async () => {
  assert.deepEqual(await factsOfLines([
      'I0523 08:07:10.901669    2689 kubelet_node_status.go:724] "Recording event message for node" node="w1" event="NodeHasDiskPressure"',
      'I0523 08:07:10.950000    2689 event.go:291] "Event occurred" object="w1" kind="Node" apiVersion="" type="Normal" reason="NodeHasInsufficientMemory" message="Node w1 status is now: NodeHasInsufficientMemory"',
      'I0523 08:07:10.990000    2689 kubelet_node_status.go:526] Recording NodeHasDiskPressure event message for node w1',
      'I0523 08:07:11.000000    2689 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
      'I0523 08:07:11.000100    2689 event.go:389] "Event occurred" object="w1" fieldPath="" kind="Node" apiVersion="" type="Warning" reason="EvictionThresholdMet" message="Attempting to reclaim ephemeral-storage"',
    ], 'node-pressure'), [
    { condition: 'NodeHasDiskPressure', node: 'w1' },
    { reason: 'NodeHasInsufficientMemory', text: 'Node w1 status is now: NodeHasInsufficientMemory', event: true },
    { condition: 'NodeHasDiskPressure', node: 'w1' },
    { resource: 'ephemeral-storage' },
    { reason: 'EvictionThresholdMet', text: 'Attempting to reclaim ephemeral-storage', event: true, resource: 'ephemeral-storage' },
  ]);
});
