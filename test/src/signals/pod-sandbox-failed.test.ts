/**
 * pod-sandbox-failed on real lines: MicroK8s' kubelet failing to create sandboxes while Calico is
 * not up (../shared/corpus/microk8s-kubelite-journal), and the OpenShift must-gather's
 * FailedCreatePodSandBox Event. The runtime's and the kubelet's repetitions of one failure
 * (RunPodSandbox..., CreatePodSandbox..., Error syncing pod) are not counted again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, mustGatherPaths, stating, unpackMustGather } from '../../helpers/signal-lines.js';

test('MicroK8s: one signal per failed sandbox, with the pod, the CNI plugin and its error', { skip: corpusSkip() }, async () => {
  const lines = stating(await eventsOf([corpus('microk8s-kubelite-journal')]), 'pod-sandbox-failed');
  // grep -c '"Failed to create sandbox for pod"' journal.log: 3
  assert.deepEqual(
    lines.map((s) => s.facts['pod']),
    ['kube-system/calico-kube-controllers-77bd7c5b-24kb9', 'kube-system/coredns-864597b5fd-n46c6', 'kube-system/hostpath-provisioner-7df77bc496-cgp28'],
  );
  assert.ok(lines.every((s) => s.facts['plugin'] === 'calico' && s.facts['network'] === true));
  assert.match(String(lines[0]!.facts['err']), /^failed to setup network for sandbox "ccf2a15d[0-9a-f]+": plugin type="calico" failed \(add\): stat \/var\/snap\/microk8s\/current\/var\/lib\/calico\/nodename: no such file or directory/);
});

test('must-gather: the FailedCreatePodSandBox Event, its text without the gRPC wrapping', { skip: corpusSkip() }, async () => {
  const entry = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces/openshift-kube-controller-manager/core/events.yaml');
  const mg = unpackMustGather([entry]);
  try {
    const lines = stating(await eventsOf(mg.paths), 'pod-sandbox-failed');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.facts['reason'], 'FailedCreatePodSandBox');
    assert.equal(lines[0]!.facts['network'], true);
    assert.match(String(lines[0]!.facts['err']), /^failed to create pod network sandbox k8s_revision-pruner-5-ip-10-0-187-218/);
  } finally {
    mg.dispose();
  }
});
