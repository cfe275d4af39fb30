import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { unschedulableRule } from '../../../../../src/correlate/incidents/rules/unschedulable.js';
import { SEVERITIES } from '../../../../../src/model/event.js';
import { corpusSkip } from '../../../../helpers/paths.js';
import { mustGatherPaths, unpackMustGather } from '../../../../helpers/signal-lines.js';
import { at, detect, detectOnFiles, detectOnly, evidence, Fixture, incidentObjects, incidents, kubeEvent, type Obj } from '../fixture.js';

const WHY = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.';

function noFit(f: Fixture, t: number, pod: Obj): number {
  return f.ev({ t, component: 'kube-scheduler', message: 'Unable to schedule pod; no fit; waiting', fields: { pod: `${pod.namespace}/${pod.name}`, err: WHY }, about: [pod] });
}

function bound(f: Fixture, t: number, pod: Obj): number {
  return f.ev({ t, component: 'kube-scheduler', message: 'Successfully bound pod to node', fields: { pod: `${pod.namespace}/${pod.name}`, node: 'node-1' }, about: [pod] });
}

test('pods pending for a minute with repeated failures are one incident per ReplicaSet, rooted at the first pod', () => {
  const f = new Fixture();
  const rs = f.obj('ReplicaSet', 'batch', 'report-abc');
  const a = f.pod('batch', 'report-abc-aaaaa', { owner: rs });
  const b = f.pod('batch', 'report-abc-bbbbb', { owner: rs });
  const created = f.ev({ t: 0, component: 'kube-controller-manager', message: 'Event occurred', fields: { reason: 'SuccessfulCreate', message: 'Created pod: report-abc-aaaaa' }, about: [rs, a] });
  const ids = [noFit(f, 0.1, a), noFit(f, 0.2, b), kubeEvent(f, 1, a, 'FailedScheduling', WHY, { source: 'default-scheduler' }), noFit(f, 70, a), noFit(f, 70.1, b)];
  const inc = detectOnly(f, unschedulableRule);
  assert.equal(inc!.rootUid, a.uid);
  assert.equal(inc!.summary, `2 pods (first pod/batch/report-abc-aaaaa) cannot be scheduled: ${WHY}`);
  assert.equal(inc!.start, at(0.1));
  assert.equal(inc!.end, at(70.1));
  assert.deepEqual([...evidence(f.db, inc!.id)], [[created, 'evidence'], ...ids.map((id) => [id, 'trigger'])]);
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:report-abc-aaaaa', 'affected:report-abc-bbbbb']);
});

test('a pod bound within a minute (a node still starting) is not an incident', () => {
  const f = new Fixture();
  const pod = f.pod('kube-system', 'coredns-1');
  noFit(f, 0, pod);
  noFit(f, 5, pod);
  noFit(f, 20, pod);
  bound(f, 30, pod);
  f.ev({ t: 200, component: 'kubelet', message: 'the logs go on' });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [unschedulableRule] }).byKind, {});
});

test('a pod bound only after minutes is an incident that ends when it is bound', () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'big');
  noFit(f, 0, pod);
  noFit(f, 60, pod);
  const done = bound(f, 120, pod);
  const [inc] = detect(f, unschedulableRule);
  assert.equal(inc!.end, at(120));
  assert.equal(evidence(f.db, inc!.id).get(done), 'evidence');
  assert.equal(inc!.details.counts['bound'], 1);
});

test("the bindings of pods that never failed to schedule change nothing, and still count when they are an incident's evidence", () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'big');
  const other = f.pod('batch', 'other');
  noFit(f, 0, pod);
  bound(f, 10, other);
  noFit(f, 60, pod);
  // Another pod's binding that is also a line about this pod: in its story, so counted as before.
  const shared = f.ev({ t: 90, component: 'kube-scheduler', message: 'Successfully bound pod to node', fields: { pod: 'batch/other', node: 'node-1' }, about: [other, pod] });
  const done = bound(f, 120, pod);
  const [inc] = detect(f, unschedulableRule);
  assert.equal(inc!.end, at(120));
  assert.equal(evidence(f.db, inc!.id).get(done), 'evidence');
  assert.equal(evidence(f.db, inc!.id).get(shared), 'evidence');
  assert.equal(inc!.details.counts['bound'], 2);
  assert.equal(incidents(f.db).length, 1, 'the pod that was only bound is no incident');
});

test('a binding that names the failing pod only by its UID still ends its wait', () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'big');
  noFit(f, 0, pod);
  noFit(f, 60, pod);
  const done = f.ev({ t: 120, component: 'kube-scheduler', message: 'Successfully bound pod to node', fields: { podUID: pod.uid, node: 'node-1' }, about: [pod] });
  f.ev({ t: 900, component: 'kubelet', message: 'the logs go on' });
  const [inc] = detect(f, unschedulableRule);
  assert.equal(inc!.end, at(120), 'bound at 120 s, not pending until the logs end');
  assert.equal(evidence(f.db, inc!.id).get(done), 'evidence');
  assert.equal(inc!.details.counts['bound'], 1);
});

test("the older scheduler's unstructured line is read too", () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'old');
  f.ev({ t: 0, component: 'kube-scheduler', message: `Unable to schedule batch/old: no fit: ${WHY}; waiting`, about: [pod] });
  f.ev({ t: 90, component: 'kube-scheduler', message: `Unable to schedule batch/old: no fit: ${WHY}; waiting`, about: [pod] });
  f.done();
  detectIncidents(f.store, { rules: [unschedulableRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.rootUid, i.summary]), [[pod.uid, `pod/batch/old cannot be scheduled: ${WHY}`]]);
});

test('must-gather: a pod that only waited for its node to become ready is info; a rollout blocked by anti-affinity is the fault', { skip: corpusSkip() }, async () => {
  const ns = mustGatherPaths.kubelet.replace('host_service_logs/masters/kubelet_service.log', 'namespaces');
  const mg = unpackMustGather([`${ns}/openshift-ingress-operator/core/events.yaml`, `${ns}/openshift-apiserver/core/events.yaml`]);
  try {
    const found = await detectOnFiles(mg.paths, unschedulableRule);
    const waited = found.find((i) => i.details.root.label === 'pod/openshift-ingress-operator/ingress-operator-7b85cd998b-f4lj9')!;
    assert.equal(waited.severity, SEVERITIES.indexOf('info'));
    assert.equal(waited.summary, "pod/openshift-ingress-operator/ingress-operator-7b85cd998b-f4lj9 waited for a ready node, then was placed: 0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.");
    const blocked = found.find((i) => i.details.root.label === 'pod/openshift-apiserver/apiserver-5647477f76-pvx6b')!;
    assert.equal(blocked.severity, SEVERITIES.indexOf('error'));
    assert.match(blocked.summary, /^3 pods \(first pod\/openshift-apiserver\/apiserver-5647477f76-pvx6b\) cannot be scheduled: 0\/5 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector, 3 node\(s\) didn't match pod affinity\/anti-affinity rules/);
  } finally {
    mg.dispose();
  }
});
