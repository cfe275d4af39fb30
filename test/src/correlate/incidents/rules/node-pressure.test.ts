/**
 * node-pressure: the real kubelets' healthy conditions at start are no incident (OpenShift master,
 * kubelet 1.19); a disk-pressure episode written to the kubelet's formats (the corpus's
 * "Recording event message for node" line with the pressure condition, the eviction manager's
 * lines from pkg/kubelet/eviction/eviction_manager.go) is one on the node, its eviction an effect.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evictionRule } from '../../../../../src/correlate/incidents/rules/eviction.js';
import { nodePressureRule } from '../../../../../src/correlate/incidents/rules/node-pressure.js';
import { corpus, corpusSkip } from '../../../../helpers/paths.js';
import { detectOnFiles, detectOnLines } from '../fixture.js';

test('healthy node conditions at start are no incident', { skip: corpusSkip() }, async () => {
  assert.deepEqual(await detectOnFiles([corpus('openshift-kubelet-journal'), corpus('raw-klog-1.19')], nodePressureRule), []);
});

test('disk pressure, the resource reclaimed and the pod evicted: one incident, the eviction folded in', async () => {
  const found = await detectOnLines(
    [
      'May 23 08:07:10 w1 kubelet[2689]: I0523 08:07:10.901669    2689 kubelet_node_status.go:724] "Recording event message for node" node="w1" event="NodeHasDiskPressure"',
      'May 23 08:07:13 w1 kubelet[2689]: I0523 08:07:13.000000    2689 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
      'May 23 08:07:14 w1 kubelet[2689]: I0523 08:07:14.000000    2689 eviction_manager.go:616] "Eviction manager: pod is evicted successfully" pod="default/web-1"',
    ],
    'journal.log',
    nodePressureRule,
    evictionRule,
  );
  assert.deepEqual(found.map((i) => i.kind), ['node-pressure']);
  assert.equal(found[0]!.details.root.label, 'node/w1');
  assert.equal(found[0]!.summary, 'node w1 under pressure for 2 s: NodeHasDiskPressure, reclaiming ephemeral-storage; the kubelet evicted 1 pod');
  assert.deepEqual(found[0]!.details.absorbed.map((a) => a.kind), ['eviction']);
});
