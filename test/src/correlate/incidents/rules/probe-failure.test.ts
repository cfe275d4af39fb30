import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { probeFailureRule } from '../../../../../src/correlate/incidents/rules/probe-failure.js';
import { at, Fixture, incidents, kubeEvent, type Obj } from '../fixture.js';

function probe(f: Fixture, t: number, pod: Obj, type: string): number {
  return f.ev({ t, component: 'kubelet', message: 'Probe failed', fields: { probeType: type, pod: `${pod.namespace}/${pod.name}`, podUID: pod.uid, output: 'HTTP probe failed with statuscode: 503' }, about: [pod] });
}

test('three liveness failures are an incident; startup probe failures never are; 2 quiet minutes split', () => {
  const f = new Fixture();
  const web = f.pod('default', 'web-1');
  for (const t of [0, 10, 20]) probe(f, t, web, 'Liveness');
  for (const t of [200, 210, 220]) probe(f, t, web, 'Liveness');
  const booting = f.pod('default', 'slow-boot');
  for (const t of [0, 10, 20, 30, 40]) probe(f, t, booting, 'Startup');
  f.done();
  detectIncidents(f.store, { rules: [probeFailureRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.severity, i.rootUid, i.start, i.end, i.summary]), [
    ['probe-failure', 2, web.uid, at(0), at(20), 'pod/default/web-1: 3 liveness probe failures (HTTP probe failed with statuscode: 503)'],
    ['probe-failure', 2, web.uid, at(200), at(220), 'pod/default/web-1: 3 liveness probe failures (HTTP probe failed with statuscode: 503)'],
  ]);
});

test('kubelet lines and Events repeat each other: the larger count is used, not the sum', () => {
  const f = new Fixture();
  const web = f.pod('default', 'web-1');
  probe(f, 0, web, 'Readiness');
  probe(f, 10, web, 'Readiness');
  kubeEvent(f, 10, web, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', { count: 2 });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [probeFailureRule] }).byKind, {});
});
