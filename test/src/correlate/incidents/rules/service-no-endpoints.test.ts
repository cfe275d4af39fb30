import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { probeFailureRule } from '../../../../../src/correlate/incidents/rules/probe-failure.js';
import { serviceNoEndpointsRule } from '../../../../../src/correlate/incidents/rules/service-no-endpoints.js';
import { at, evidence, Fixture, incidentObjects, incidents, type Obj } from '../fixture.js';

function probeFailed(f: Fixture, t: number, pod: Obj, type = 'Readiness'): number {
  return f.ev({
    t,
    component: 'kubelet',
    host: 'w1',
    message: 'Probe failed',
    fields: { probeType: type, pod: `${pod.namespace}/${pod.name}`, podUID: pod.uid, containerName: 'redis', probeResult: 'failure', output: 'dial tcp 10.244.1.4:6379: connect: connection refused' },
    about: [pod],
  });
}

function app(f: Fixture, replicas: number) {
  const deploy = f.obj('Deployment', 'shop', 'cache');
  const rs = f.obj('ReplicaSet', 'shop', 'cache-5dchl');
  f.own(deploy, rs);
  const pods = Array.from({ length: replicas }, (_, i) => f.pod('shop', `cache-5dchl-${'abcde'[i]!.repeat(5)}`, { owner: rs, first: -300 }));
  const svc = f.obj('Service', 'shop', 'cache', { uid: null, first: -300 });
  const endpoints = f.obj('Endpoints', 'shop', 'cache', { uid: null });
  const slice = f.obj('EndpointSlice', 'shop', 'cache-q5bx6', { uid: null });
  return { svc, pods, endpoints, slice };
}

test('every pod behind a Service failing readiness: no endpoints, with the endpoint writes and kube-proxy syncs as effects', () => {
  const f = new Fixture();
  const { pods, endpoints, slice } = app(f, 1);
  const pod = pods[0]!;
  const failures = [0, 10, 20, 30].map((t) => probeFailed(f, t, pod));
  const put = f.ev({ t: 20.01, component: 'audit', message: 'update endpoints shop/cache 200', fields: { verb: 'update' }, about: [endpoints] });
  const putSlice = f.ev({ t: 20.02, component: 'kube-apiserver', message: 'HTTP', fields: { verb: 'PUT', resp: 200 }, about: [slice] });
  const read = f.ev({ t: 20.03, component: 'audit', message: 'get endpoints shop/cache 200', fields: { verb: 'get' }, about: [endpoints] });
  const sync = f.ev({ t: 20.2, component: 'kube-proxy', host: 'w2', message: 'Syncing iptables rules', fields: { ipFamily: 'IPv4' } });
  const later = f.ev({ t: 25, component: 'kube-proxy', host: 'w2', message: 'Syncing iptables rules', fields: { ipFamily: 'IPv4' } });
  f.done();
  const summary = detectIncidents(f.store, { rules: [serviceNoEndpointsRule, probeFailureRule] });
  assert.deepEqual(summary.byKind, { 'service-no-endpoints': 1 });
  assert.equal(summary.absorbed, 1); // the pod's probe-failure is this incident
  const [inc] = incidents(f.db);
  assert.equal(inc!.rootName, 'cache');
  assert.equal(inc!.details.root.kind, 'Service');
  assert.equal(inc!.start, at(0));
  assert.equal(inc!.end, at(30));
  assert.equal(inc!.summary, 'service shop/cache has no ready endpoint: all 1 pod behind it fail readiness (dial tcp 10.244.1.4:6379: connect: connection refused)');
  const ev = evidence(f.db, inc!.id);
  assert.deepEqual(failures.map((id) => ev.get(id)), ['trigger', 'trigger', 'trigger', 'trigger']);
  assert.equal(ev.get(put), 'effect');
  assert.equal(ev.get(putSlice), 'effect');
  assert.equal(ev.get(sync), 'effect');
  assert.ok(!ev.has(read) && !ev.has(later));
  assert.deepEqual(incidentObjects(f.db, inc!.id), ['root:cache', `affected:${pod.name}`]);
  assert.deepEqual(inc!.details.components, ['audit', 'kube-apiserver', 'kube-proxy', 'kubelet']);
});

test('one unready pod of two is a probe failure of that pod, not a Service without endpoints', () => {
  const f = new Fixture();
  const { pods } = app(f, 2);
  for (const t of [0, 10, 20, 30]) probeFailed(f, t, pods[0]!);
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [serviceNoEndpointsRule, probeFailureRule] }).byKind, { 'probe-failure': 1 });
});

test('both pods unready at once is no endpoints; a replaced pod stops counting once deleted', () => {
  const f = new Fixture();
  const { pods } = app(f, 2);
  const [a, b] = pods as [Obj, Obj];
  // b is deleted at t=5 (before the failures); a alone fails: no endpoints from then.
  f.ev({ t: 5, component: 'audit', message: 'delete pods shop/x 200', fields: { verb: 'delete' }, about: [b] });
  for (const t of [10, 20, 30]) probeFailed(f, t, a);
  f.done();
  detectIncidents(f.store, { rules: [serviceNoEndpointsRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.start, i.end]), [['service-no-endpoints', at(10), at(30)]]);
});

test('two failures (below failureThreshold) are not enough', () => {
  const f = new Fixture();
  const { pods } = app(f, 1);
  probeFailed(f, 0, pods[0]!);
  probeFailed(f, 10, pods[0]!);
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [serviceNoEndpointsRule, probeFailureRule] }).byKind, {});
});
