import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { nodeNotReadyRule } from '../../../../../src/correlate/incidents/rules/node-not-ready.js';
import { evictionRule } from '../../../../../src/correlate/incidents/rules/eviction.js';
import { at, detectOnly, evidence, Fixture, incidentObjects, incidents, kubeEvent, type Obj } from '../fixture.js';

function notUpdated(f: Fixture, t: number, node: Obj): number {
  return f.ev({ t, component: 'kube-controller-manager', host: 'cp', message: "Node hasn't been updated", fields: { logger: 'node-lifecycle-controller', node: node.name, nodeConditionType: 'Ready' }, about: [node] });
}

/** A node that stops (kubelet stopped), goes NotReady, loses its pod, which is replaced elsewhere. */
function outage() {
  const f = new Fixture();
  const node = f.obj('Node', null, 'worker-2');
  const rs = f.obj('ReplicaSet', 'default', 'web-abc');
  const old = f.pod('default', 'web-abc-old11', { owner: rs, first: -600 });
  const fresh = f.pod('default', 'web-abc-new22', { owner: rs, first: 100.05 });
  const bystander = f.pod('default', 'db-0', { first: -600 });
  const ids = {
    placed: f.ev({ t: -600, component: 'kube-scheduler', message: 'Successfully bound pod to node', fields: { pod: 'default/web-abc-old11', node: 'worker-2' }, about: [old] }),
    stopping: f.ev({ t: 0, component: 'other', host: 'worker-2', message: 'Stopping kubelet.service - kubelet: The Kubernetes Node Agent...' }),
    journal: f.ev({ t: 0.1, component: 'other', host: 'worker-2', message: 'Started Session 3 of User root.' }),
    notUpdated: notUpdated(f, 40, node),
    nodeEvent: kubeEvent(f, 40.01, node, 'NodeNotReady', 'Node worker-2 status is now: NodeNotReady', { type: 'Normal', source: 'node-controller' }),
    statusPatch: f.ev({ t: 40.02, component: 'audit', message: 'patch nodes/status worker-2 200', fields: { verb: 'patch' }, about: [node] }),
    podNotReady: f.ev({ t: 40.03, component: 'kube-controller-manager', message: 'Updating ready status of pod to false', fields: { logger: 'node-lifecycle-controller', pod: 'default/web-abc-old11' }, about: [old] }),
    podEvent: kubeEvent(f, 40.04, old, 'NodeNotReady', 'Node is not ready', { source: 'node-controller' }),
    taint: kubeEvent(f, 100, old, 'TaintManagerEviction', 'Marking for deletion Pod default/web-abc-old11', { type: 'Normal', source: 'taint-eviction-controller' }),
    deleting: f.ev({ t: 100.01, component: 'kube-controller-manager', message: 'Deleting pod', fields: { logger: 'taint-eviction-controller', controller: 'taint-eviction-controller', pod: 'default/web-abc-old11' }, about: [old] }),
    deleteAudit: f.ev({ t: 100.02, component: 'audit', message: 'delete pods default/web-abc-old11 200', fields: { verb: 'delete' }, about: [old] }),
    createdNew: f.ev({ t: 100.04, component: 'kube-controller-manager', message: 'Event occurred', fields: { reason: 'SuccessfulCreate', message: 'Created pod: web-abc-new22' }, about: [rs, fresh] }),
    boundNew: f.ev({ t: 100.1, component: 'kube-scheduler', message: 'Successfully bound pod to node', fields: { pod: 'default/web-abc-new22', node: 'worker-1' }, about: [fresh] }),
    startedNew: f.ev({ t: 100.2, component: 'kubelet', host: 'worker-1', message: 'SyncLoop ADD', fields: { source: 'api', pods: ['default/web-abc-new22'] }, about: [fresh] }),
    other: f.ev({ t: 100.3, component: 'kubelet', host: 'worker-1', message: 'SyncLoop ADD', fields: { pods: ['default/db-0'] }, about: [bystander] }),
  };
  return { f, node, old, fresh, ids };
}

test('a node NotReady is rooted at the Node, with what stopped, the evictions and the rescheduling as its chain', () => {
  const { f, node, old, fresh, ids } = outage();
  const inc = detectOnly(f, nodeNotReadyRule);
  assert.equal(inc!.kind, 'node-not-ready');
  assert.equal(inc!.rootUid, node.uid);
  assert.equal(inc!.start, at(0));
  assert.equal(inc!.end, at(100.2));
  assert.equal(inc!.summary, 'node worker-2 is NotReady: 1 pod evicted, 1 rescheduled');
  assert.deepEqual(
    [...evidence(f.db, inc!.id)],
    [
      [ids.stopping, 'cause'],
      [ids.notUpdated, 'trigger'],
      [ids.nodeEvent, 'trigger'],
      [ids.statusPatch, 'evidence'],
      [ids.podNotReady, 'effect'],
      [ids.podEvent, 'effect'],
      [ids.taint, 'effect'],
      [ids.deleting, 'effect'],
      [ids.deleteAudit, 'effect'],
      [ids.createdNew, 'effect'],
      [ids.boundNew, 'effect'],
      [ids.startedNew, 'effect'],
    ],
  );
  assert.deepEqual(
    inc!.details.causeChain.map((s) => [s.kind, s.objectUid, s.time]),
    [
      ['node-down', node.uid, at(0)],
      ['node-not-ready', node.uid, at(40)],
      ['eviction', old.uid, at(100)],
      ['rescheduled', fresh.uid, at(100.1)],
    ],
  );
  assert.equal(inc!.details.causeChain[3]!.summary, 'replacement pod/default/web-abc-new22 of replicaset/default/web-abc scheduled to worker-1');
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:worker-2', 'affected:web-abc-old11', 'affected:web-abc-new22']);
  assert.deepEqual(inc!.details.components, ['audit', 'event', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'other']);
});

test('the eviction of a pod of the failed node folds into the node incident', () => {
  const { f } = outage();
  f.done();
  const summary = detectIncidents(f.store, { rules: [nodeNotReadyRule, evictionRule] });
  assert.deepEqual(summary.byKind, { 'node-not-ready': 1 });
  assert.equal(summary.absorbed, 1);
  const [inc] = incidents(f.db);
  assert.deepEqual(inc!.details.absorbed.map((a) => [a.kind, a.root]), [['eviction', 'pod/default/web-abc-old11']]);
});

test("the kubelet's own NotReady Event at boot is no outage", () => {
  const f = new Fixture();
  const node = f.obj('Node', null, 'worker-1');
  kubeEvent(f, 0, node, 'NodeNotReady', 'Node worker-1 status is now: NodeNotReady', { type: 'Normal', source: 'kubelet' });
  f.ev({ t: 0.5, component: 'kubelet', host: 'worker-1', message: 'Node became not ready', fields: { node: 'worker-1' }, about: [node] });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [nodeNotReadyRule] }).byKind, {});
});

test('a node that fails again after 10 quiet minutes is a second incident', () => {
  const f = new Fixture();
  const node = f.obj('Node', null, 'worker-3');
  notUpdated(f, 0, node);
  notUpdated(f, 5, node);
  notUpdated(f, 700, node);
  f.done();
  detectIncidents(f.store, { rules: [nodeNotReadyRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.rootUid, i.start, i.end]), [
    [node.uid, at(0), at(5)],
    [node.uid, at(700), at(700)],
  ]);
});
