/**
 * network-not-ready on real kubelet journals: an OpenShift 4.18 master whose runtime reports no
 * CNI configuration every 5 s for 54 minutes (../shared/corpus/openshift-kubelet-journal), and
 * the kubelet 1.19 form written to pkg/kubelet/kubelet.go's format (the corpus has none).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { assertStated, eventsOf, factsOfLines } from '../../helpers/signal-lines.js';

test('OpenShift master: 651 reports with the reason and message as stated', { skip: corpusSkip() }, async () => {
  // grep -c '"Container runtime network not ready"' kubelet_230525.log: 651
  assertStated(await eventsOf([corpus('openshift-kubelet-journal')]), 'network-not-ready', 651, {
    reason: 'NetworkPluginNotReady',
    message: 'Network plugin returns error: no CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?',
  });
});

test('kubelet 1.19 text form (pkg/kubelet/kubelet.go: "Container runtime network not ready: %v")', async () => {
  assert.deepEqual(await factsOfLines(['E1119 11:59:40.929006    4677 kubelet.go:2188] Container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized'], 'network-not-ready'), [{ reason: 'NetworkPluginNotReady', message: 'docker: network plugin is not ready: cni config uninitialized' }]);
});
