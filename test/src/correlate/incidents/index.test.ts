import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectIncidents, INCIDENT_KINDS, RULES } from '../../../../src/correlate/incidents/index.js';
import { crashloopRule } from '../../../../src/correlate/incidents/rules/crashloop.js';
import { crashing, crashLoopErr, evidence, Fixture, incidents, kubeletErrorSyncing } from './fixture.js';

test('every kind has exactly one rule, and the simulator truth names are among them', () => {
  assert.deepEqual(RULES.map((r) => r.kind).sort(), [...INCIDENT_KINDS].sort());
  for (const k of ['image-pull-backoff', 'crashloop', 'oom-kill', 'unschedulable', 'node-not-ready', 'etcd-leader-loss', 'dns-upstream-timeout', 'dns-nxdomain', 'service-no-endpoints']) {
    assert.ok((INCIDENT_KINDS as readonly string[]).includes(k), k);
  }
});

test('running again replaces the incidents instead of adding to them', () => {
  const { f } = crashing();
  detectIncidents(f.store);
  const first = incidents(f.db);
  const summary = detectIncidents(f.store);
  const second = incidents(f.db);
  assert.equal(summary.incidents, 1);
  assert.equal(second.length, 1);
  assert.equal((f.db.prepare('SELECT count(*) AS n FROM incident_evidence').get() as { n: number }).n, 3);
  assert.equal((f.db.prepare('SELECT count(*) AS n FROM incident_objects').get() as { n: number }).n, 1);
  assert.deepEqual({ ...second[0], id: 0 }, { ...first[0], id: 0 });
});

test('details hold the components, counts per role, the root and the first triggers with file and line', () => {
  const { f, ids } = crashing();
  detectIncidents(f.store, { rules: [crashloopRule] });
  const [inc] = incidents(f.db);
  assert.deepEqual(inc!.details.components, ['kubelet']);
  assert.deepEqual(inc!.details.root, { kind: 'Pod', namespace: 'shop', name: 'checkout-1', uid: inc!.rootUid, label: 'pod/shop/checkout-1' });
  assert.equal(inc!.details.counts['trigger'], 3);
  assert.equal(inc!.details.counts['evidenceTotal'], 3);
  assert.deepEqual(inc!.details.samples.map((s) => [s.eventId, s.file, s.line]), ids.map((id, i) => [id, 'kubelet.log', i + 1]));
});

test('the evidence cap keeps the triggers; the counts still tell the whole', () => {
  const { f } = crashing();
  const summary = detectIncidents(f.store, { rules: [crashloopRule], maxEvidence: 2 });
  assert.equal(summary.evidenceRows, 2);
  const [inc] = incidents(f.db);
  assert.equal(evidence(f.db, inc!.id).size, 2);
  assert.equal(inc!.details.counts['evidenceTotal'], 3);
});

test('a store nobody linked says so; an incident then names its root without an object row', () => {
  const f = new Fixture();
  f.ev({ t: 0, component: 'kubelet', severity: 'error', message: 'Error syncing pod, skipping', fields: { err: 'with CrashLoopBackOff: "back-off 20s restarting failed container=x pod=y_z(u)"', pod: 'z/y' } });
  f.done();
  const summary = detectIncidents(f.store);
  assert.equal(summary.linked, false);
  // The pod is named but no object exists for it: the incident keeps the name, without a root row.
  assert.equal(summary.incidents, 1);
  assert.equal(summary.unresolvedRoots, 1);
  assert.equal(incidents(f.db)[0]!.details.root.label, 'pod/z/y');
});

test('incidents read back with their evidence located in the files, triggers first', () => {
  const f = new Fixture();
  const pod = f.pod('shop', 'checkout-1');
  const story = f.ev({ t: -5, component: 'audit', message: 'create pods shop/checkout-1 201', about: [pod] });
  const ids = [0, 15, 30].map((t) => kubeletErrorSyncing(f, t, pod, crashLoopErr('checkout', pod, '20s')));
  f.done();
  detectIncidents(f.store, { rules: [crashloopRule] });
  const [inc] = f.store.incidents.list();
  assert.equal(inc!.kind, 'crashloop');
  assert.equal(inc!.severity, 'error');
  assert.equal(inc!.details.root?.label, 'pod/shop/checkout-1');
  assert.deepEqual(
    f.store.incidents.evidence(inc!.id).map((e) => [e.eventId, e.role, e.file, e.line]),
    [...ids.map((id, i) => [id, 'trigger', 'kubelet.log', i + 1]), [story, 'evidence', 'audit.log', 1]],
  );
});
