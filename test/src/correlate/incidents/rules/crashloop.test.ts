import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { backoffSeconds } from '../../../../../src/correlate/incidents/rules/container-restarts.js';
import { crashloopRule } from '../../../../../src/correlate/incidents/rules/crashloop.js';
import { at, crashLoopErr, evidence, Fixture, incidentObjects, incidents, kubeEvent, kubeletErrorSyncing, type Obj } from '../fixture.js';

function died(f: Fixture, t: number, pod: Obj, exitCode: number): number {
  return f.ev({
    t,
    component: 'kubelet',
    host: 'node-1',
    message: 'Generic (PLEG): container finished',
    fields: { podID: pod.uid, containerID: 'abc', exitCode },
    about: [pod],
  });
}

function rollout(f: Fixture) {
  const deploy = f.obj('Deployment', 'shop', 'checkout');
  const rs = f.obj('ReplicaSet', 'shop', 'checkout-7d9f8b');
  f.own(deploy, rs);
  return { deploy, rs };
}

test('back-off delays read from the kubelet error', () => {
  assert.equal(backoffSeconds('back-off 10s restarting failed container=x pod=y'), 10);
  assert.equal(backoffSeconds('back-off 1m20s restarting failed container=x pod=y'), 80);
  assert.equal(backoffSeconds('back-off 5m0s restarting failed container=x pod=y'), 300);
  assert.equal(backoffSeconds('Back-off pulling image "x"'), 0);
});

test('a container failing twice in a row (back-off 20 s) is a crash loop rooted at its pod, with the rollout as cause', () => {
  const f = new Fixture();
  const { deploy, rs } = rollout(f);
  const pod = f.pod('shop', 'checkout-7d9f8b-x2x9q', { owner: rs });
  const scaled = f.ev({ t: -1, component: 'kube-controller-manager', message: 'Event occurred', fields: { object: 'shop/checkout', kind: 'Deployment', reason: 'ScalingReplicaSet', message: 'Scaled up replica set checkout-7d9f8b from 0 to 1' }, about: [deploy] });
  const created = f.ev({ t: -0.9, component: 'kube-controller-manager', message: 'Event occurred', fields: { object: 'shop/checkout-7d9f8b', kind: 'ReplicaSet', reason: 'SuccessfulCreate', message: 'Created pod: checkout-7d9f8b-x2x9q' }, about: [rs, pod] });
  const post = f.ev({ t: -0.8, component: 'audit', message: 'create pods shop/checkout-7d9f8b-x2x9q 201', fields: { verb: 'create' }, about: [pod] });
  const exit1 = died(f, 5, pod, 1);
  const err1 = kubeletErrorSyncing(f, 5.1, pod, crashLoopErr('checkout', pod, '10s'));
  const exit2 = died(f, 16, pod, 1);
  const err2 = kubeletErrorSyncing(f, 16.1, pod, crashLoopErr('checkout', pod, '20s'));
  const backoff = kubeEvent(f, 30, pod, 'BackOff', `Back-off restarting failed container checkout in pod ${pod.name}_shop(${pod.uid})`, { count: 2 });
  const unrelated = f.ev({ t: 10, component: 'kubelet', message: 'SyncLoop (PLEG): event for pod', fields: { pod: 'shop/other' } });
  f.done();
  const summary = detectIncidents(f.store, { rules: [crashloopRule] });
  assert.deepEqual(summary.byKind, { crashloop: 1 });
  const [inc] = incidents(f.db);
  assert.equal(inc!.kind, 'crashloop');
  assert.equal(inc!.severity, 3);
  assert.equal(inc!.rootUid, pod.uid);
  assert.equal(inc!.start, at(5));
  assert.equal(inc!.end, at(30));
  assert.equal(inc!.summary, 'pod/shop/checkout-7d9f8b-x2x9q is crash-looping, exit code 1');
  assert.deepEqual(
    [...evidence(f.db, inc!.id)],
    [
      [scaled, 'evidence'],
      [created, 'evidence'],
      [post, 'evidence'],
      [exit1, 'trigger'],
      [err1, 'trigger'],
      [exit2, 'trigger'],
      [err2, 'trigger'],
      [backoff, 'trigger'],
    ],
  );
  assert.ok(!evidence(f.db, inc!.id).has(unrelated));
  assert.deepEqual(inc!.details.components, ['audit', 'event', 'kube-controller-manager', 'kubelet']);
  assert.equal(inc!.details.counts['exits'], 2);
  assert.equal(inc!.details.counts['backoffs'], 4);
  assert.deepEqual(
    inc!.details.causeChain.map((s) => [s.kind, s.object]),
    [
      ['rollout', 'deployment/shop/checkout'],
      ['created-by', 'replicaset/shop/checkout-7d9f8b'],
    ],
  );
  assert.deepEqual(incidentObjects(f.db, inc!.id), [`root:${pod.name}`]);
});

test("the lines about the Events recorded for the pod are in its story; another pod's Events are not", () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1');
  // Event objects exist where a line gave their UID (an Event document): named <pod>.<hex>.
  const recorded = f.obj('Event', 'shop', 'checkout-1.17a2b3c4d5e6f7a8');
  const others = f.obj('Event', 'shop', 'checkout-10.17a2b3c4d5e6f7a9');
  const triggers = [0, 15, 30].map((t) => kubeletErrorSyncing(f, t, pod, crashLoopErr('checkout', pod, '20s')));
  const write = f.ev({ t: 16, component: 'kube-apiserver', message: 'HTTP', fields: { verb: 'PATCH', URI: '/api/v1/namespaces/shop/events/checkout-1.17a2b3c4d5e6f7a8' }, about: [recorded] });
  const other = f.ev({ t: 17, component: 'kube-apiserver', message: 'HTTP', fields: { verb: 'PATCH', URI: '/api/v1/namespaces/shop/events/checkout-10.17a2b3c4d5e6f7a9' }, about: [others] });
  f.done();
  detectIncidents(f.store, { rules: [crashloopRule] });
  const [inc] = incidents(f.db);
  assert.deepEqual([...evidence(f.db, inc!.id)], [...triggers.map((id) => [id, 'trigger']), [write, 'evidence']]);
  assert.ok(!evidence(f.db, inc!.id).has(other));
});

test('one crash that recovers (a single 10 s back-off) is not a crash loop', () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1');
  died(f, 5, pod, 1);
  kubeletErrorSyncing(f, 5.1, pod, crashLoopErr('checkout', pod, '10s'));
  kubeEvent(f, 5.2, pod, 'BackOff', 'Back-off restarting failed container checkout in pod checkout-1_shop(x)', { count: 1 });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [crashloopRule] }).byKind, {});
});

test('three back-off Events alone (no kubelet log) are enough; a quiet 10 minutes splits the loop in two', () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1');
  kubeEvent(f, 0, pod, 'BackOff', 'Back-off restarting failed container checkout in pod checkout-1', { count: 3 });
  // 11 minutes later, failing again: a second incident.
  kubeletErrorSyncing(f, 660, pod, crashLoopErr('checkout', pod, '40s'));
  f.done();
  const found = incidents((detectIncidents(f.store, { rules: [crashloopRule] }), f.db));
  assert.deepEqual(found.map((i) => [i.kind, i.rootUid, i.start, i.end]), [
    ['crashloop', pod.uid, at(0), at(0)],
    ['crashloop', pod.uid, at(660), at(660)],
  ]);
});

test('replicas of one ReplicaSet crash-looping together are one incident rooted at the first pod created', () => {
  const f = new Fixture();
  const { rs } = rollout(f);
  const a = f.pod('shop', 'checkout-7d9f8b-aaaaa', { owner: rs, first: 1 });
  const b = f.pod('shop', 'checkout-7d9f8b-bbbbb', { owner: rs, first: 0 });
  kubeletErrorSyncing(f, 5, a, crashLoopErr('checkout', a, '20s'));
  kubeletErrorSyncing(f, 7, b, crashLoopErr('checkout', b, '20s'));
  f.done();
  detectIncidents(f.store, { rules: [crashloopRule] });
  const found = incidents(f.db);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.rootUid, b.uid);
  assert.equal(found[0]!.details.counts['pods'], 2);
  assert.deepEqual(incidentObjects(f.db, found[0]!.id), [`root:${b.name}`, `affected:${a.name}`]);
});

test('exit 137 that the kubelet caused (a liveness kill) is a crash, not an OOM kill', () => {
  const f = new Fixture();
  const pod = f.pod('default', 'web-1');
  for (const t of [0, 30, 70]) {
    f.ev({ t, component: 'kubelet', message: 'Killing container with a grace period', fields: { pod: 'default/web-1', podUID: pod.uid, containerName: 'nginx' }, about: [pod] });
    died(f, t + 1, pod, 137);
  }
  kubeletErrorSyncing(f, 72, pod, crashLoopErr('nginx', pod, '40s'));
  f.done();
  assert.deepEqual(detectIncidents(f.store).byKind, { crashloop: 1 });
});
