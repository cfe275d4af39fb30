/**
 * pod-ip on real lines: the OpenShift must-gather's masters' kubelet (1.21, ../shared/corpus/
 * openshift-must-gather-aws) dialling pods to probe them, and failure-cases' kind kubelets (1.24),
 * read through the real parsers. Audit events of pods from the falco corpus state no IP; a
 * kubelet's status patch in audit is written to the audit.k8s.io/v1 format (the corpus has none).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { eventsOf, eventsOfLines, mustGatherKubelet, stating } from '../../helpers/signal-lines.js';

const kubeletOf = mustGatherKubelet();

test('kubelet 1.21: a failed probe that dialled the pod states its IP; one whose output names no address does not', { skip: corpusSkip() }, () => {
  const failed = kubeletOf().filter((e) => e.message === 'Probe failed');
  // grep -c '"Probe failed"' kubelet_service.log: 289, of which 171 name `https://IP:port` or `dial tcp IP:port`
  assert.equal(failed.length, 289);
  const stated = stating(kubeletOf(), 'pod-ip');
  assert.equal(stated.length, 171);
  assert.ok(stated.every((s) => s.event.message === 'Probe failed' && s.facts['ips'] === s.facts['probed']));
  // Aug 03 09:18:58.178179 ... "Probe failed" probeType="Liveness" pod="openshift-config-operator/openshift-config-operator-f6878df57-t5zqz" ... output="Get \"https://10.128.0.14:8443/healthz\": ...
  assert.deepEqual(stated[0]!.facts, { ips: '10.128.0.14', probed: '10.128.0.14' });
  assert.equal(stated[0]!.event.fields['pod'], 'openshift-config-operator/openshift-config-operator-f6878df57-t5zqz');
  // The look-alikes: the etcd quorum guard's exec probe fails with output="" (118 of them).
  const silent = failed.filter((e) => e.fields['output'] === '');
  assert.ok(silent.length > 0);
  const ids = new Set(stated.map((s) => s.event));
  assert.ok(silent.every((e) => !ids.has(e)));
});

test('kind 1.24 kubelets: "Creating hosts mount" states the pod\'s IPs; the status patch that holds podIP as JSON text does not', { skip: corpusSkip() }, async () => {
  const events = await eventsOf([corpus('failure-cases', 'C5', 'log', '2023-08-29T23:48:45-kubelet-kind-worker.log.txt')]);
  const stated = stating(events, 'pod-ip');
  // grep -c 'Creating hosts mount for container' ...-kubelet-kind-worker.log.txt: 27, each with podIPs=[10.244.2.x]
  assert.equal(stated.length, 27);
  assert.ok(stated.every((s) => s.event.message === 'Creating hosts mount for container'));
  // Aug 30 04:29:02 kind-worker kubelet[704773]: ... "Creating hosts mount for container" pod="default/nginx-deployment-6dccd8f6b9-m4v2l" containerName="nginx" podIPs=[10.244.2.32] path=true
  assert.deepEqual(stated[0]!.facts, { ips: '10.244.2.32' });
  // "Patch status for pod" carries the pod's status (and its podIP) as one JSON string: not read.
  // grep -c '"Patch status for pod"': 116, 27 of them with "podIP" inside the patch
  const patches = events.filter((e) => e.message === 'Patch status for pod');
  assert.equal(patches.length, 116);
  assert.equal(patches.filter((e) => String(e.fields['patch']).includes('podIP')).length, 27);
});

test('audit: pods created in the falco corpus state no IP; a kubelet status patch with status.podIPs does', { skip: corpusSkip() }, async () => {
  const falco = await eventsOf([corpus('audit-events')]);
  assert.ok(falco.filter((e) => /\bpods\b/.test(e.message)).length >= 10);
  assert.deepEqual(stating(falco, 'pod-ip'), []);
  // The kubelet's PATCH of a pod's status (audit.k8s.io/v1, level RequestResponse), as kube-apiserver writes it.
  const patch = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: '0b6b5ef4-1cbb-4dba-9d2f-6a4f4a6c2c1a', stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods/web-1/status', verb: 'patch', user: { username: 'system:node:kind-worker' },
    sourceIPs: ['172.18.0.3'], userAgent: 'kubelet/v1.32.2 (linux/amd64) kubernetes/67a30c0',
    objectRef: { resource: 'pods', namespace: 'default', name: 'web-1', apiVersion: 'v1', subresource: 'status' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject: { metadata: { uid: '5d1f9b8e-2c4e-4a8e-9f0a-1b2c3d4e5f60' }, status: { podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00:10:244:1::7' }] } },
    requestReceivedTimestamp: '2025-03-21T14:52:01.000000Z', stageTimestamp: '2025-03-21T14:52:01.004000Z',
  };
  const stated = stating(await eventsOfLines([JSON.stringify(patch)], 'audit.log'), 'pod-ip');
  assert.deepEqual(stated.map((s) => s.facts), [{ ips: '10.244.1.7,fd00:10:244:1::7' }]);
});
