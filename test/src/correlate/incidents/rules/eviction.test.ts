import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents } from '../../../../../src/correlate/incidents/index.js';
import { evictionRule } from '../../../../../src/correlate/incidents/rules/eviction.js';
import { at, Fixture, incidents, kubeEvent } from '../fixture.js';

test('a pod evicted under memory pressure is an incident of its own (no node outage to fold into)', () => {
  const f = new Fixture();
  const pod = f.pod('batch', 'hog');
  kubeEvent(f, 0, pod, 'Evicted', 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.');
  f.ev({ t: 0.5, component: 'kubelet', message: 'Eviction manager: pod is evicted successfully', fields: { pod: 'batch/hog' }, about: [pod] });
  f.done();
  detectIncidents(f.store, { rules: [evictionRule] });
  assert.deepEqual(incidents(f.db).map((i) => [i.kind, i.severity, i.rootUid, i.start, i.end, i.summary]), [
    ['eviction', 2, pod.uid, at(0), at(0.5), 'pod/batch/hog evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.'],
  ]);
});

test("the kubelet eviction manager's complaints about stats are no eviction", () => {
  const f = new Fixture();
  f.ev({ t: 0, component: 'kubelet', severity: 'error', message: 'eviction manager: failed to check if we have separate container filesystem. Ignoring.' });
  f.ev({ t: 1, component: 'kubelet', severity: 'error', message: 'Eviction manager: failed to get summary stats', fields: { err: 'failed to get node info' } });
  f.done();
  assert.deepEqual(detectIncidents(f.store, { rules: [evictionRule] }).byKind, {});
});
